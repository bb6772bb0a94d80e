// SPDX-License-Identifier: GPL-3.0-or-later
// The change composer in a connected main window against a private server: typing a name and a type
// plans the change off the GUI thread and the plan view shows its steps; a name the core's validation
// refuses shows the reason beside the name field and no plan; what only the server can refuse (an unknown
// type, a column that exists) shows beside the field it names; types and columns complete.
#include "core/store/journal.h"
#include "tests/gui/gui_shots.h"
#include "tests/support/pg_fixture.h"
#include "ui/change/backfill_editor.h"
#include "ui/change/change_composer.h"
#include "ui/window/main_window.h"
#include "ui/plan/plan_view.h"
#include "ui/plan/step_card.h"
#include "ui/map/table_detail.h"
#include "ui/window/workspace.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTest>

using namespace lockstep;

namespace {
quint32 oidOf(pg::Connection& conn, const QString& table)
{
    return conn.exec(QStringLiteral("SELECT $1::regclass::oid"), {table}).value(0, 0).toUInt();
}

// Sets a line edit's text as typing would (one textChanged per character).
void typeInto(QLineEdit* edit, const QString& text)
{
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}
} // namespace

class TestChangeComposer : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void addColumnOpensTheComposerOnThatTable();
    void typingANameAndTypePlansTheChange();
    void notNullWithBackfillPlansEveryPhase();
    void invalidNameShowsTheReasonBesideItAndNoPlan();
    void serverRefusalsShowBesideTheFieldTheyName();
    void everyProblemAtOnce();
    void typesAndColumnsComplete();
    void foreignKeyPicksATableAndAUniqueColumn();
    void replaceMarksThePointOfNoReturn();

private:
    void openComposer(const QString& table);
    ui::ChangeComposer* composer() const { return m_window->workspace()->composer(); }
    ui::PlanView* planView() const { return m_window->workspace()->planView(); }

    QString m_conninfo;
    std::unique_ptr<ui::MainWindow> m_window;
};

void TestChangeComposer::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QFile::remove(store::Journal::defaultPath());
    m_conninfo = test::freshDatabase(QStringLiteral("composer"));
    auto conn = test::connect(m_conninfo);
    conn->execScript(QStringLiteral(R"sql(
        CREATE TYPE mood AS ENUM ('calm', 'busy');
        CREATE TABLE customers (id int PRIMARY KEY, email text UNIQUE NOT NULL, name text, region int);
        INSERT INTO customers SELECT g, 'c' || g || '@example.com', 'Customer ' || g, g % 7 FROM generate_series(1, 300) g;
        CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id int NOT NULL REFERENCES customers (id),
                             total numeric(12,2) NOT NULL DEFAULT 0, note text, "Order Ref" text);
        INSERT INTO orders (customer_id, total, note) SELECT 1 + g % 300, g * 1.25, 'n' || g FROM generate_series(1, 20000) g;
        ANALYZE;
    )sql"));
}

void TestChangeComposer::init()
{
    m_window = std::make_unique<ui::MainWindow>();
    m_window->resize(1600, 1000);
    m_window->setRatesInterval(0);
    m_window->show();
    m_window->connectTo(m_conninfo, QStringLiteral("composer test db"));
    QTRY_VERIFY2_WITH_TIMEOUT(m_window->isCatalogLoaded(), qPrintable(m_window->catalogError()), 30000);
}

void TestChangeComposer::cleanup() { m_window.reset(); }

void TestChangeComposer::openComposer(const QString& table)
{
    auto conn = test::connect(m_conninfo);
    const quint32 oid = oidOf(*conn, table);
    emit m_window->addColumnRequested(oid);
    QCOMPARE(composer()->tableOid(), oid);
    // The table's structure arrives from the database thread: the backfill editor then knows its columns.
    QTRY_VERIFY_WITH_TIMEOUT(!composer()->backfillEdit()->columns().isEmpty(), 10000);
}

void TestChangeComposer::addColumnOpensTheComposerOnThatTable()
{
    auto conn = test::connect(m_conninfo);
    const quint32 orders = oidOf(*conn, QStringLiteral("public.orders"));
    ui::Workspace* ws = m_window->workspace();
    QCOMPARE(ws->flowTabs()->tabText(0), QStringLiteral("Change"));
    QCOMPARE(ws->flowTabs()->tabText(1), QStringLiteral("Plan"));
    // Before a change: both tabs say what to do.
    QVERIFY(planView()->emptyText().contains(QLatin1String("Compose a change to see its plan")));
    QVERIFY(!planView()->currentPlan());
    test::saveShots(m_window.get(), QStringLiteral("composer_00_no_table"));

    // The detail pane's "Add a column…" button: the Change tab opens on that table, the cursor in Name.
    ws->selectTable(orders);
    auto* button = ws->detail()->findChild<QPushButton*>();
    QVERIFY(button);
    QCOMPARE(button->text(), QStringLiteral("Add a column…"));
    ws->flowTabs()->setCurrentIndex(3);
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(ws->flowTabs()->currentWidget(), composer());
    QCOMPARE(composer()->tableOid(), orders);
    QVERIFY(composer()->nameEdit()->hasFocus());
    QTRY_COMPARE_WITH_TIMEOUT(composer()->backfillEdit()->columns(),
                              (QStringList{"id", "customer_id", "total", "note", "Order Ref"}), 10000);
    QVERIFY(composer()->statusText().contains(QLatin1String("a name and a type")));
    // The flow area grew so the form has room.
    QVERIFY2(ws->flowTabs()->height() > 350, qPrintable(QString::number(ws->flowTabs()->height())));
}

void TestChangeComposer::typingANameAndTypePlansTheChange()
{
    openComposer(QStringLiteral("public.orders"));
    QSignalSpy requested(composer(), &ui::ChangeComposer::planRequested);
    QSignalSpy planned(planView(), &ui::PlanView::planChanged);
    QTest::keyClicks(composer()->nameEdit(), QStringLiteral("total_cents"));
    QTest::keyClicks(composer()->typeBox()->lineEdit(), QStringLiteral("bigint"));
    QTRY_VERIFY_WITH_TIMEOUT(planView()->currentPlan(), 10000);
    QCOMPARE(planView()->stepIds(), (QStringList{"add_column", "switch"}));
    QCOMPARE(planView()->currentPlan()->change.column, QStringLiteral("total_cents"));
    QCOMPARE(planView()->currentPlan()->change.type, QStringLiteral("bigint"));
    QCOMPARE(planView()->currentPlan()->table, QStringLiteral("\"public\".\"orders\""));   // quoted by libpq
    // Seventeen keystrokes, one validation: the debounce waits for a pause in the typing.
    QCOMPARE(requested.count(), 1);
    QCOMPARE(planned.count(), 1);
    QVERIFY(composer()->hasPlan());
    QVERIFY2(composer()->statusText().contains(QLatin1String("Plan ready: 2 steps")), qPrintable(composer()->statusText()));
    QCOMPARE(composer()->fieldMessage(QStringLiteral("add_column")), QString());
    // Grey hints beside the fields while nothing is wrong.
    QVERIFY(!composer()->messageLabel(QStringLiteral("type"))->text().isEmpty());

    // An index: the plan grows a CONCURRENTLY step, as the user toggles it.
    composer()->indexBox()->setChecked(true);
    QTRY_COMPARE_WITH_TIMEOUT(planView()->stepIds(), (QStringList{"add_column", "index", "switch"}), 10000);
    test::saveShots(m_window.get(), QStringLiteral("composer_01_add_column"));
}

void TestChangeComposer::notNullWithBackfillPlansEveryPhase()
{
    openComposer(QStringLiteral("public.orders"));
    QTest::keyClicks(composer()->nameEdit(), QStringLiteral("total_cents"));
    QTest::keyClicks(composer()->typeBox()->lineEdit(), QStringLiteral("bigint"));
    composer()->backfillEdit()->setFocus();
    QTest::keyClicks(composer()->backfillEdit(), QStringLiteral("(total * 100)::bigint"));
    QCOMPARE(composer()->backfillEdit()->text(), QStringLiteral("(total * 100)::bigint"));
    composer()->notNullBox()->setChecked(true);
    composer()->uniqueBox()->setChecked(true);
    typeInto(composer()->checkEdit(), QStringLiteral("total_cents >= 0"));
    const QStringList expected{"add_column", "sync_trigger", "backfill", "sync_swap", "sync_catch_up", "failed_rows",
                               "not_null_check", "check", "not_null_validate",
                               "not_null_set", "not_null_drop_check", "check_validate", "unique_index",
                               "unique_constraint", "switch", "contract_drop_sync"};
    QTRY_COMPARE_WITH_TIMEOUT(planView()->stepIds(), expected, 10000);
    QCOMPARE(planView()->phaseNames(), (QStringList{"expand", "backfill", "constrain", "switch", "contract"}));
    const Plan* plan = planView()->currentPlan();
    QVERIFY(plan);
    QCOMPARE(plan->change.backfill.value_or(QString()), QStringLiteral("(total * 100)::bigint"));
    QVERIFY(plan->change.notNull);
    QCOMPARE(plan->change.check.value_or(QString()), QStringLiteral("total_cents >= 0"));
    // Nothing here is irreversible: no point of no return on an add.
    QVERIFY(!planView()->pointOfNoReturn());
    QVERIFY2(planView()->summaryText().contains(QLatin1String("ACCESS EXCLUSIVE briefly")), qPrintable(planView()->summaryText()));
    QVERIFY(planView()->summaryText().contains(QLatin1String("Every step can be rolled back")));
    test::saveShots(m_window.get(), QStringLiteral("composer_02_not_null_backfill_change"));
    m_window->workspace()->showPlan();
    test::saveShots(m_window.get(), QStringLiteral("composer_03_not_null_backfill_plan"));
}

void TestChangeComposer::invalidNameShowsTheReasonBesideItAndNoPlan()
{
    openComposer(QStringLiteral("public.orders"));
    QTest::keyClicks(composer()->nameEdit(), QStringLiteral("ok_name"));
    QTest::keyClicks(composer()->typeBox()->lineEdit(), QStringLiteral("int"));
    QTRY_VERIFY_WITH_TIMEOUT(planView()->currentPlan(), 10000);
    // The window plans as `lockstep plan` does: its estimates say where they come from (no run on this server yet).
    QVERIFY2(planView()->currentPlan()->estimateSource.startsWith(QLatin1String("default model")),
             qPrintable(planView()->currentPlan()->estimateSource));

    // 70 bytes: longer than PostgreSQL's 63-byte identifiers. The core's offline validation says so beside
    // the name, and the plan goes away; the server checks only the rest (under a free name, never this one).
    QSignalSpy requested(composer(), &ui::ChangeComposer::planRequested);
    typeInto(composer()->nameEdit(), QString(70, QLatin1Char('n')));
    QTRY_VERIFY_WITH_TIMEOUT(!composer()->fieldMessage(QStringLiteral("add_column")).isEmpty(), 5000);
    const QString message = composer()->fieldMessage(QStringLiteral("add_column"));
    QVERIFY2(message.contains(QLatin1String("63")), qPrintable(message));
    QVERIFY(composer()->messageLabel(QStringLiteral("add_column"))->isVisible());
    QVERIFY(composer()->messageLabel(QStringLiteral("add_column"))->styleSheet().contains(QLatin1String("#c8372d")));
    QVERIFY(!planView()->currentPlan());
    QVERIFY(planView()->stepIds().isEmpty());
    QVERIFY2(planView()->emptyText().contains(QLatin1String("Name:")), qPrintable(planView()->emptyText()));
    QTRY_COMPARE_WITH_TIMEOUT(requested.count(), 1, 5000);
    QVERIFY(requested.first().first().value<NewColumnChange>().column != QString(70, QLatin1Char('n')));
    QVERIFY2(composer()->statusText().contains(QLatin1String("(Lockstep's own check, offline)")), qPrintable(composer()->statusText()));
    QTRY_VERIFY2_WITH_TIMEOUT(composer()->statusText().contains(QLatin1String("The server found nothing wrong with the other fields")),
                              qPrintable(composer()->statusText()), 10000);
    QVERIFY(!planView()->currentPlan());
    QVERIFY(!composer()->hasPlan());
    // Only the name is at fault: the type shows its grey hint, not a problem.
    QCOMPARE(composer()->fieldMessage(QStringLiteral("type")), QString());
    test::saveShots(m_window.get(), QStringLiteral("composer_04_invalid_name"));

    // A system column's name, refused offline as well.
    typeInto(composer()->nameEdit(), QStringLiteral("xmin"));
    QTRY_VERIFY_WITH_TIMEOUT(composer()->fieldMessage(QStringLiteral("add_column")).contains(QLatin1String("system column")), 5000);
    QVERIFY(!planView()->currentPlan());

    // A bad expression names its own field: the default, parsed by libpg_query.
    typeInto(composer()->nameEdit(), QStringLiteral("fine_again"));
    typeInto(composer()->defaultEdit(), QStringLiteral("1; DROP TABLE orders"));
    QTRY_VERIFY_WITH_TIMEOUT(!composer()->fieldMessage(QStringLiteral("default")).isEmpty(), 5000);
    QCOMPARE(composer()->fieldMessage(QStringLiteral("add_column")), QString());
    QVERIFY(!planView()->currentPlan());

    // Fixed: the message goes and the plan comes back.
    composer()->defaultEdit()->clear();
    QTRY_VERIFY_WITH_TIMEOUT(planView()->currentPlan(), 10000);
    QCOMPARE(composer()->fieldMessage(QStringLiteral("default")), QString());
    QCOMPARE(planView()->currentPlan()->change.column, QStringLiteral("fine_again"));
}

void TestChangeComposer::serverRefusalsShowBesideTheFieldTheyName()
{
    openComposer(QStringLiteral("public.orders"));
    QTest::keyClicks(composer()->nameEdit(), QStringLiteral("flag"));
    QTest::keyClicks(composer()->typeBox()->lineEdit(), QStringLiteral("nosuchtype"));
    // Syntactically a type, so only the server can say it does not exist.
    QTRY_VERIFY_WITH_TIMEOUT(!composer()->fieldMessage(QStringLiteral("type")).isEmpty(), 10000);
    QVERIFY2(composer()->fieldMessage(QStringLiteral("type")).contains(QLatin1String("\"nosuchtype\" is not a known type")),
             qPrintable(composer()->fieldMessage(QStringLiteral("type"))));
    QCOMPARE(composer()->fieldMessage(QStringLiteral("add_column")), QString());
    QVERIFY(!planView()->currentPlan());
    QVERIFY(composer()->statusText().contains(QLatin1String("The server refused the change")));
    test::saveShots(m_window.get(), QStringLiteral("composer_05_unknown_type"));

    // A name the table already has: the server's refusal lands beside the name.
    typeInto(composer()->typeBox()->lineEdit(), QStringLiteral("boolean"));
    typeInto(composer()->nameEdit(), QStringLiteral("note"));
    QTRY_VERIFY_WITH_TIMEOUT(composer()->fieldMessage(QStringLiteral("add_column")).contains(QLatin1String("already has a column \"note\"")),
                             10000);
    QCOMPARE(composer()->fieldMessage(QStringLiteral("type")), QString());

    // NOT NULL on a table with rows and nothing to fill them: the server names not_null.
    typeInto(composer()->nameEdit(), QStringLiteral("flag"));
    composer()->notNullBox()->setChecked(true);
    QTRY_VERIFY2_WITH_TIMEOUT(composer()->fieldMessage(QStringLiteral("not_null")).contains(QStringLiteral("give “Default” or “Backfill”")),
                              qPrintable(composer()->statusText()), 10000);
    QVERIFY(!planView()->currentPlan());
    typeInto(composer()->defaultEdit(), QStringLiteral("false"));
    QTRY_VERIFY_WITH_TIMEOUT(planView()->currentPlan(), 10000);
    QCOMPARE(composer()->fieldMessage(QStringLiteral("not_null")), QString());

    // A backfill the table's rows cannot convert ('n1', 'n2', ... are not numbers): the server computes it on
    // the rows and the refusal, with the failing values and their share, lands beside Backfill; no plan.
    composer()->notNullBox()->setChecked(false);
    composer()->defaultEdit()->clear();
    typeInto(composer()->nameEdit(), QStringLiteral("note_amount"));
    typeInto(composer()->typeBox()->lineEdit(), QStringLiteral("numeric(14,2)"));
    auto typeBackfill = [this](const QString& text) {
        ui::BackfillEditor* e = composer()->backfillEdit();
        e->setFocus();
        e->selectAll();
        QTest::keyClick(e, Qt::Key_Backspace);
        QTest::keyClicks(e, text);
    };
    typeBackfill(QStringLiteral("note"));
    QTRY_VERIFY2_WITH_TIMEOUT(composer()->fieldMessage(QStringLiteral("backfill")).contains(QLatin1String("fails on")),
                              qPrintable(composer()->statusText()), 15000);
    const QString why = composer()->fieldMessage(QStringLiteral("backfill"));
    QVERIFY2(why.contains(QLatin1String("100 %")) && why.contains(QLatin1String("invalid input syntax for type numeric")), qPrintable(why));
    QVERIFY(!planView()->currentPlan());
    test::saveShots(m_window.get(), QStringLiteral("composer_06_backfill_fails_on_rows"));
    // A backfill that converts: the plan comes, and says what the proof saw.
    typeBackfill(QStringLiteral("length(note)"));
    QTRY_VERIFY_WITH_TIMEOUT(planView()->currentPlan(), 15000);
    QCOMPARE(composer()->fieldMessage(QStringLiteral("backfill")), QString());
    QVERIFY2(planView()->currentPlan()->proof.contains(QLatin1String("without an error")), qPrintable(planView()->currentPlan()->proof));
}

// A taken name no longer hides a mistyped type: the name is found taken in the catalog already read, the
// server checks the rest meanwhile and its refusal (with its suggestion) lands beside the type; each says
// where it came from. An unknown column in the backfill is found here too, with the nearest column.
void TestChangeComposer::everyProblemAtOnce()
{
    openComposer(QStringLiteral("public.orders"));
    QTRY_VERIFY_WITH_TIMEOUT(!composer()->backfillEdit()->columns().isEmpty(), 10000);   // the structure is read
    QTest::keyClicks(composer()->nameEdit(), QStringLiteral("note"));
    QTest::keyClicks(composer()->typeBox()->lineEdit(), QStringLiteral("numerc(12,2)"));
    QTRY_VERIFY2_WITH_TIMEOUT(!composer()->fieldMessage(QStringLiteral("type")).isEmpty(), qPrintable(composer()->statusText()), 10000);
    const QString name = composer()->fieldMessage(QStringLiteral("add_column"));
    const QString type = composer()->fieldMessage(QStringLiteral("type"));
    QVERIFY2(name.contains(QLatin1String("already has a column \"note\"")), qPrintable(name));
    QVERIFY2(type.contains(QLatin1String("did you mean numeric(12,2)?")), qPrintable(type));
    const QString status = composer()->statusText();
    QVERIFY2(status.contains(QStringLiteral("Fix the 2 fields marked in red — Name: public.orders already has a column \"note\" "
                                            "(in the catalog Lockstep read); Type: ")), qPrintable(status));
    QVERIFY2(status.contains(QLatin1String("(refused by the server).")), qPrintable(status));
    QVERIFY(!planView()->currentPlan());
    test::saveShots(m_window.get(), QStringLiteral("composer_07_every_problem_at_once"));

    typeInto(composer()->typeBox()->lineEdit(), QStringLiteral("numeric(12,2)"));
    composer()->backfillEdit()->setText(QStringLiteral("totl * 2"));
    QTRY_VERIFY2_WITH_TIMEOUT(composer()->fieldMessage(QStringLiteral("backfill")).contains(QLatin1String("did you mean total?")),
                              qPrintable(composer()->statusText()), 10000);
    QVERIFY(composer()->fieldMessage(QStringLiteral("add_column")).contains(QLatin1String("already has")));
    QCOMPARE(composer()->fieldMessage(QStringLiteral("type")), QString());
    // Both fixed: a plan.
    typeInto(composer()->nameEdit(), QStringLiteral("total_twice"));
    composer()->backfillEdit()->setText(QStringLiteral("total * 2"));
    QTRY_VERIFY2_WITH_TIMEOUT(planView()->currentPlan(), qPrintable(composer()->statusText()), 15000);
    QCOMPARE(composer()->fieldMessage(QStringLiteral("add_column")), QString());
}

void TestChangeComposer::typesAndColumnsComplete()
{
    openComposer(QStringLiteral("public.orders"));
    // The server's types, read once per connection: base types, arrays, and the database's own enum.
    QTRY_VERIFY_WITH_TIMEOUT(composer()->typeBox()->findText(QStringLiteral("mood")) >= 0, 10000);
    QComboBox* types = composer()->typeBox();
    for (const char* t : {"bigint", "integer[]", "timestamp with time zone", "mood[]", "jsonb", "numeric"})
        QVERIFY2(types->findText(QString::fromLatin1(t)) >= 0, t);
    for (const char* t : {"pg_node_tree", "regclass", "void", "trigger", "orders", "aclitem"})
        QVERIFY2(types->findText(QString::fromLatin1(t)) < 0, t);
    QVERIFY(types->count() > 80);
    QCOMPARE(types->itemText(0), QStringLiteral("bigint"));   // the common ones first

    // The backfill editor: one line, the table's columns complete, quoted when their name needs it.
    ui::BackfillEditor* backfill = composer()->backfillEdit();
    backfill->setFocus();
    QTest::keyClicks(backfill, QStringLiteral("cus"));
    QCOMPARE(backfill->completionsAt(3), QStringList{QStringLiteral("customer_id")});
    QVERIFY(backfill->isListActive());
    QTest::keyClick(backfill, Qt::Key_Return);   // takes the completion, does not start a second line
    QCOMPARE(backfill->text(), QStringLiteral("customer_id"));
    QTest::keyClick(backfill, Qt::Key_Return);
    QCOMPARE(backfill->lines(), 1);
    backfill->setText(QStringLiteral("note || "));
    backfill->SendScintilla(QsciScintillaBase::SCI_DOCUMENTEND);
    QTest::keyClicks(backfill, QStringLiteral("Ord"));
    QVERIFY(backfill->isListActive());
    QTest::keyClick(backfill, Qt::Key_Tab);
    QCOMPARE(backfill->text(), QStringLiteral("note || \"Order Ref\""));
    QCOMPARE(ui::BackfillEditor::columnReference(QStringLiteral("total")), QStringLiteral("total"));
    QCOMPARE(ui::BackfillEditor::columnReference(QStringLiteral("select")), QStringLiteral("\"select\""));
    QCOMPARE(ui::BackfillEditor::columnReference(QStringLiteral("Total")), QStringLiteral("\"Total\""));
    // Several lines pasted or set become one.
    backfill->setText(QStringLiteral("total\n* 2"));
    QCOMPARE(backfill->text(), QStringLiteral("total * 2"));
    QCOMPARE(backfill->lines(), 1);
}

void TestChangeComposer::foreignKeyPicksATableAndAUniqueColumn()
{
    openComposer(QStringLiteral("public.orders"));
    QTest::keyClicks(composer()->nameEdit(), QStringLiteral("referrer_id"));
    QTest::keyClicks(composer()->typeBox()->lineEdit(), QStringLiteral("integer"));
    composer()->referencesBox()->setChecked(true);
    QComboBox* tables = composer()->referenceTableBox();
    const int customers = tables->findText(QStringLiteral("public.customers"));
    QVERIFY(customers >= 0);
    tables->setCurrentIndex(customers);
    // Only the columns that alone are unique: id (the primary key) and email (unique), not name.
    QTRY_COMPARE_WITH_TIMEOUT(composer()->referenceColumnBox()->count(), 2, 10000);
    QCOMPARE(composer()->referenceColumnBox()->itemData(0).toString(), QStringLiteral("id"));
    QCOMPARE(composer()->referenceColumnBox()->itemData(1).toString(), QStringLiteral("email"));
    composer()->onDeleteBox()->setCurrentIndex(composer()->onDeleteBox()->findData(QStringLiteral("SET NULL")));
    QTRY_COMPARE_WITH_TIMEOUT(planView()->stepIds(), (QStringList{"add_column", "foreign_key", "foreign_key_validate", "switch"}), 10000);
    QCOMPARE(planView()->currentPlan()->change.referencesTable.value_or(QString()), QStringLiteral("\"public\".\"customers\""));
    QCOMPARE(planView()->currentPlan()->change.onDelete.value_or(QString()), QStringLiteral("SET NULL"));
    QVERIFY(planView()->card(QStringLiteral("foreign_key"))->step().sql.contains(QLatin1String("ON DELETE SET NULL")));

    // email is text: the server says an integer cannot reference it, beside References.
    composer()->referenceColumnBox()->setCurrentIndex(1);
    QTRY_VERIFY_WITH_TIMEOUT(composer()->fieldMessage(QStringLiteral("references")).contains(QLatin1String("cannot reference")), 10000);
    QVERIFY(!planView()->currentPlan());
    // SET NULL with NOT NULL contradicts itself: offline validation names on_delete.
    composer()->referenceColumnBox()->setCurrentIndex(0);
    composer()->notNullBox()->setChecked(true);
    QTRY_VERIFY_WITH_TIMEOUT(composer()->fieldMessage(QStringLiteral("on_delete")).contains(QLatin1String("contradicts")), 5000);
    test::saveShots(m_window.get(), QStringLiteral("composer_06_foreign_key_problem"));
}

void TestChangeComposer::replaceMarksThePointOfNoReturn()
{
    openComposer(QStringLiteral("public.orders"));
    composer()->replaceButton()->setChecked(true);
    QVERIFY(composer()->oldColumnBox()->isEnabled());
    const int total = composer()->oldColumnBox()->findData(QStringLiteral("total"));
    QVERIFY(total >= 0);
    composer()->oldColumnBox()->setCurrentIndex(total);
    QTest::keyClicks(composer()->nameEdit(), QStringLiteral("total_v2"));
    QTest::keyClicks(composer()->typeBox()->lineEdit(), QStringLiteral("numeric(14,2)"));
    QTRY_VERIFY_WITH_TIMEOUT(planView()->currentPlan(), 10000);
    const QStringList ids = planView()->stepIds();
    QVERIFY2(ids.last() == QLatin1String("contract_drop_old_column"), qPrintable(ids.join(QLatin1Char(','))));
    QCOMPARE(planView()->currentPlan()->change.kind, NewColumnChange::Kind::Replace);
    QCOMPARE(planView()->currentPlan()->change.oldColumn, QStringLiteral("total"));
    QVERIFY(planView()->pointOfNoReturn());
    QVERIFY(planView()->summaryText().contains(QLatin1String("point of no return")));

    // The old column is the new name: refused offline, beside the name (new_name).
    typeInto(composer()->nameEdit(), QStringLiteral("total"));
    QTRY_VERIFY_WITH_TIMEOUT(composer()->fieldMessage(QStringLiteral("new_name")).contains(QLatin1String("needs another name")), 5000);
    // The primary key cannot be replaced: the server names replace_column.
    typeInto(composer()->nameEdit(), QStringLiteral("id_v2"));
    composer()->oldColumnBox()->setCurrentIndex(composer()->oldColumnBox()->findData(QStringLiteral("id")));
    QTRY_VERIFY_WITH_TIMEOUT(composer()->fieldMessage(QStringLiteral("replace_column")).contains(QLatin1String("primary key")), 10000);
    QVERIFY(!planView()->currentPlan());
}

QTEST_MAIN(TestChangeComposer)
#include "test_change_composer.moc"
