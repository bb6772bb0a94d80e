// SPDX-License-Identifier: GPL-3.0-or-later
// The SQL tab offscreen, without a server: the plan's script in the editor, lint as the user types, the
// parse error's indicator at the parser's position, completion of catalog names, and the exports.
#include "core/plan/plan_export.h"
#include "core/plan/plan_render.h"
#include "core/plan/planner.h"
#include "tests/gui/gui_shots.h"
#include "tests/unit/test_planner_support.h"
#include "ui/server/catalog_schema_lookup.h"
#include "ui/plan/lint_panel.h"
#include "ui/common/lock_badge.h"
#include "ui/sql/sql_editor.h"
#include "ui/sql/sql_tab.h"

#include <QAction>
#include <QCheckBox>
#include <QScrollArea>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QLabel>
#include <QMainWindow>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace lockstep;
using namespace lockstep::test;

namespace {
Plan samplePlan(const QString& shape = QStringLiteral("everything"))
{
    const TableSnapshot t = snapshotFor(KeyShape::IntPk);
    return Planner(offlineIdentQuoter()).plan(t, shapeChange(shape, t));
}

pg::TableStats stats(const QString& schema, const QString& name, qint64 bytes)
{
    pg::TableStats t;
    t.schema = schema;
    t.name = name;
    t.totalBytes = bytes;
    return t;
}

pg::CatalogSnapshot sampleCatalog()
{
    pg::CatalogSnapshot c;
    c.server.versionNum = 150004;
    c.tables = {stats("audit", "events", 200'000'000), stats("public", "items_int", 16'384'000),
                stats("public", "order_items", 300'000'000), stats("public", "orders", 1'200'000'000),
                stats("shop", "Stock Levels", 9'000'000)};
    return c;
}

TableSnapshot ordersTable()
{
    TableSnapshot t;
    t.schema = QStringLiteral("public");
    t.name = QStringLiteral("orders");
    t.totalBytes = 1'200'000'000;
    t.columns = {col("id", "bigint", true, 1), col("total_cents", "integer", false, 2),
                 col("note", "character varying(20)", false, 3), col("Customer Ref", "text", false, 4)};
    return t;
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
} // namespace

class TestSqlTab : public QObject {
    Q_OBJECT
private slots:
    void setPlanShowsTheScript()
    {
        ui::SqlTab tab;
        tab.resize(1280, 720);
        tab.show();
        const Plan plan = samplePlan();
        tab.setPlan(plan);
        QCOMPARE(tab.editor()->text(), renderSqlScript(plan));
        QVERIFY(tab.hasPlan());
        QVERIFY(!tab.isEditedFromPlan());
        QVERIFY(!tab.showPlanAction()->isEnabled());
        // The plan is linted at once: it parses, and every step's statements are listed.
        QVERIFY(!tab.lintPanel()->result().error);
        QVERIFY(tab.lintPanel()->result().statements.size() >= plan.steps.size());
        QVERIFY2(tab.lintPanel()->summaryText().contains(QLatin1String("statements")), qPrintable(tab.lintPanel()->summaryText()));
        QVERIFY(tab.statusText().contains(QLatin1String("Plan script")));

        // The DBA edits it; "Show plan script" puts the plan back, and Ctrl+Z brings the edit back.
        tab.editor()->setText(QStringLiteral("SELECT 1;"));
        QVERIFY(tab.isEditedFromPlan());
        QVERIFY(tab.showPlanAction()->isEnabled());
        QVERIFY(tab.statusText().startsWith(QLatin1String("Your SQL differs from the plan")));
        // A new plan (the composer changed) does not wipe the DBA's text; Show plan script loads it.
        const Plan other = samplePlan(QStringLiteral("unique"));
        tab.setPlan(other);
        QCOMPARE(tab.editor()->text(), QStringLiteral("SELECT 1;"));
        QVERIFY(tab.showPlanAction()->isEnabled());
        tab.showPlanAction()->trigger();
        QCOMPARE(tab.editor()->text(), renderSqlScript(other));
        // Unedited, the script follows the plan.
        tab.setPlan(plan);
        QCOMPARE(tab.editor()->text(), renderSqlScript(plan));
        tab.editor()->setText(QStringLiteral("SELECT 1;"));
        tab.showPlanAction()->trigger();
        QCOMPARE(tab.editor()->text(), renderSqlScript(plan));
        tab.editor()->undo();
        QCOMPARE(tab.editor()->text(), QStringLiteral("SELECT 1;"));
    }

    // The composer's plan comes and goes while the DBA types: a script we showed is never kept as "your
    // SQL" (it was exported as a stale 2-step script while the plan had 12), and without a plan the editor
    // holds no old script.
    void theScriptFollowsThePlanThroughAnIncompleteForm()
    {
        ui::SqlTab tab;
        tab.resize(1280, 720);
        tab.show();
        const Plan early = samplePlan(QStringLiteral("unique"));
        const Plan later = samplePlan();
        QVERIFY(renderSqlScript(early) != renderSqlScript(later));
        tab.setPlan(early);
        tab.clearPlan();   // the form became incomplete
        QVERIFY2(tab.editor()->text().isEmpty(), "no stale script without a plan");
        QVERIFY(!tab.exportActions().first()->isEnabled());
        tab.setPlan(later);
        QCOMPARE(tab.editor()->text(), renderSqlScript(later));
        QVERIFY(!tab.isEditedFromPlan());
        QVERIFY(tab.statusText().contains(QLatin1String("Plan script")));
        // The same with a script brought back by Show plan script: still ours.
        tab.editor()->setText(QStringLiteral("SELECT 1;"));
        tab.showPlanAction()->trigger();
        tab.setPlan(early);
        QCOMPARE(tab.editor()->text(), renderSqlScript(early));
        // The DBA's own SQL survives both.
        tab.editor()->setText(QStringLiteral("SELECT 2;"));
        tab.clearPlan();
        QCOMPARE(tab.editor()->text(), QStringLiteral("SELECT 2;"));
        tab.setPlan(later);
        QCOMPARE(tab.editor()->text(), QStringLiteral("SELECT 2;"));
        QVERIFY(tab.statusText().startsWith(QLatin1String("Your SQL differs from the plan")));
    }

    void typingProducesAHazardWithinASecond()
    {
        ui::SqlTab tab;
        tab.resize(1280, 720);
        tab.show();
        QVERIFY(QTest::qWaitForWindowExposed(&tab));
        QCOMPARE(tab.lintPanel()->visibleHazardCount(), 0);
        tab.editor()->setFocus();
        QElapsedTimer clock;
        clock.start();
        QTest::keyClicks(tab.editor(), QStringLiteral("CREATE INDEX i ON t(a);"));
        QCOMPARE(tab.editor()->text(), QStringLiteral("CREATE INDEX i ON t(a);"));
        QTRY_VERIFY_WITH_TIMEOUT(tab.lintPanel()->visibleHazardCount() >= 1, 1000);
        QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
        const lint::LintResult& r = tab.lintPanel()->result();
        QCOMPARE(r.statements.size(), 1);
        QCOMPARE(r.statements[0].lock, std::optional<LockMode>(LockMode::Share));
        bool concurrently = false;
        for (const lint::Hazard& h : r.statements[0].hazards)
            concurrently = concurrently || h.fix.contains(QLatin1String("CONCURRENTLY"));
        QVERIFY(concurrently);
        // The statement is underlined in amber with the hazard as its tooltip, and marked in the margin.
        QVERIFY(tab.editor()->hasMarkAt(3, ui::SqlEditor::Severity::Warning));
        QVERIFY(tab.editor()->messageAt(3).contains(QLatin1String("CONCURRENTLY")));
        QVERIFY(tab.editor()->hasStatementMarker(0));
        // The panel's badge names the lock (amber: it blocks writes).
        const QList<QLabel*> badges = tab.lintPanel()->findChildren<QLabel*>(QStringLiteral("lockBadge"));
        QCOMPARE(badges.size(), 1);
        QCOMPARE(badges.first()->text(), QStringLiteral("SHARE"));
        // Amber, the plan view's colour for "blocks writes".
        QCOMPARE(ui::LintPanel::lockColor(LockMode::Share), ui::lockColor(ui::LockSeverity::Writes));
        QCOMPARE(badges.first()->property("fill").value<QColor>(), ui::lockColor(ui::LockSeverity::Writes));
        QVERIFY(tab.lintPanel()->summaryText().contains(QLatin1String("1 statement")));

        // Fixing it clears the hazard.
        tab.editor()->setText(QStringLiteral("CREATE INDEX CONCURRENTLY i ON t(a);"));
        QTRY_COMPARE_WITH_TIMEOUT(tab.lintPanel()->visibleHazardCount(), 0, 1000);
        QVERIFY(!tab.editor()->hasMarkAt(3, ui::SqlEditor::Severity::Warning));
        QVERIFY(tab.lintPanel()->summaryText().contains(QLatin1String("no hazards")));
    }

    void clickingAStatementSelectsIt()
    {
        ui::SqlTab tab;
        tab.resize(1280, 720);
        tab.show();
        const QString sql = QStringLiteral("SELECT 1;\nALTER TABLE t ADD COLUMN c int NOT NULL;\n");
        tab.editor()->setText(sql);
        tab.lintNow();
        QCOMPARE(tab.lintPanel()->result().statements.size(), 2);
        QSignalSpy spy(tab.lintPanel(), &ui::LintPanel::statementActivated);
        const lint::StatementReport second = tab.lintPanel()->result().statements[1];
        QList<QFrame*> cards = tab.lintPanel()->findChildren<QFrame*>(QStringLiteral("lintCard"));
        QCOMPARE(cards.size(), 2);
        QTest::mouseClick(cards[1], Qt::LeftButton, {}, QPoint(20, 10));
        QCOMPARE(spy.count(), 1);
        QCOMPARE(tab.editor()->selectedText(), sql.mid(second.offset, second.length));
        QCOMPARE(tab.lintPanel()->highlightedStatement(), 2);

        // Clicking the first card, then a hazard's box inside the second: each selects its own statement.
        QTest::mouseClick(cards[0], Qt::LeftButton, {}, QPoint(20, 5));
        QCOMPARE(tab.editor()->selectedText(), QStringLiteral("SELECT 1"));
        QCOMPARE(tab.lintPanel()->highlightedStatement(), 1);
        const QList<QFrame*> hazards = cards[1]->findChildren<QFrame*>(QStringLiteral("lintHazard"));
        QVERIFY(!hazards.isEmpty());
        QTest::mouseClick(cards[1], Qt::LeftButton, {}, hazards.first()->geometry().center());
        QCOMPARE(spy.count(), 3);
        QCOMPARE(tab.editor()->selectedText(), sql.mid(second.offset, second.length));
        QCOMPARE(tab.lintPanel()->highlightedStatement(), 2);
    }

    void hazardIndexLeadsToTheStatement()
    {
        // A long plan-like script with the risky statements at the end, far below the fold.
        QString sql;
        for (int i = 0; i < 40; ++i)
            sql += QStringLiteral("SET lock_timeout = '1s';\n");
        const int risky = 41;
        sql += QStringLiteral("CREATE INDEX orders_total_idx ON orders (total_cents);\n"
                              "ALTER TABLE orders ALTER COLUMN total_cents TYPE bigint;\n");
        ui::SqlTab tab;
        tab.resize(1280, 720);
        tab.show();
        QVERIFY(QTest::qWaitForWindowExposed(&tab));
        tab.editor()->setText(sql);
        tab.lintNow();
        const lint::LintResult& r = tab.lintPanel()->result();
        QCOMPARE(r.statements.size(), 42);
        QVERIFY(r.statements[risky - 1].hazards.size() >= 1);
        QVERIFY(r.statements[risky].hazards.size() >= 1);
        QVERIFY2(tab.lintPanel()->summaryText().contains(QLatin1String("in 2 statements")), qPrintable(tab.lintPanel()->summaryText()));
        auto* index = tab.lintPanel()->findChild<QFrame*>(QStringLiteral("lintIndex"));
        QVERIFY(index && index->isVisible());
        QLabel* links = index->findChild<QLabel*>();
        QVERIFY(links->text().contains(QStringLiteral("href=\"%1\"").arg(risky)));
        QVERIFY(links->text().contains(QStringLiteral("Line %1").arg(risky)));
        QVERIFY(!links->text().contains(QStringLiteral("href=\"1\"")));   // safe statements are not listed

        // Following the link selects the statement and brings its card into view.
        QSignalSpy spy(tab.lintPanel(), &ui::LintPanel::statementActivated);
        emit links->linkActivated(QString::number(risky));
        QCOMPARE(spy.count(), 1);
        const lint::StatementReport& target = r.statements[risky - 1];
        QCOMPARE(tab.editor()->selectedText(), sql.mid(target.offset, target.length));
        QCOMPARE(tab.lintPanel()->highlightedStatement(), risky);
        auto* scroll = tab.lintPanel()->findChild<QScrollArea*>();
        QFrame* card = tab.lintPanel()->findChildren<QFrame*>(QStringLiteral("lintCard")).at(risky - 1);
        QTRY_VERIFY(scroll->viewport()->rect().intersects(
            QRect(card->mapTo(scroll->viewport(), QPoint(0, 0)), card->size())));

        // A safe script: no index, no hazards, no amber marks.
        tab.editor()->setText(QStringLiteral("CREATE INDEX CONCURRENTLY i ON orders (total_cents);\n"));
        tab.lintNow();
        QVERIFY(!index->isVisible());
        QCOMPARE(tab.lintPanel()->visibleHazardCount(), 0);
        QVERIFY(!tab.editor()->hasStatementMarker(0));
    }

    void backgroundLintKeepsTheNewestText()
    {
        ui::SqlTab tab;
        tab.resize(1280, 720);
        tab.show();
        QSignalSpy linted(&tab, &ui::SqlTab::linted);
        // A big script lints off the GUI thread; edits made meanwhile win over its result.
        QString big;
        for (int i = 0; i < 3000; ++i)
            big += QStringLiteral("ALTER TABLE t%1 ADD COLUMN c int;\n").arg(i);
        tab.editor()->setText(big);
        QTRY_VERIFY_WITH_TIMEOUT(!tab.isLintPending(), 10000);
        QCOMPARE(tab.lintPanel()->result().statements.size(), 3000);
        tab.editor()->setText(big + QStringLiteral("CREATE INDEX i ON t(a);\n"));
        QTest::qWait(350);   // the delay passes: the big lint runs
        tab.editor()->setText(QStringLiteral("SELECT 1;\n"));
        QTRY_VERIFY_WITH_TIMEOUT(!tab.isLintPending(), 10000);
        QCOMPARE(tab.lintPanel()->result().statements.size(), 1);
        QCOMPARE(tab.lintPanel()->result().statements[0].sql, QStringLiteral("SELECT 1"));
        QCOMPARE(linted.last().at(0).toInt(), 1);
    }

    void serverErrorShowsAtItsPosition()
    {
        ui::SqlTab tab;
        tab.resize(1280, 720);
        tab.show();
        const QString statement = QStringLiteral("ALTER TABLE orders ADD COLUMN flag booleen;");
        const QString sql = QStringLiteral("SET lock_timeout = '1s';\n") + statement + QLatin1Char('\n');
        tab.editor()->setText(sql);
        tab.lintNow();
        pg::PgError error;
        error.sqlstate = QStringLiteral("42704");
        error.message = QStringLiteral("type \"booleen\" does not exist");
        error.position = int(statement.indexOf(QLatin1String("booleen"))) + 1;
        QVERIFY(tab.showServerError(statement, error));
        const int at = sql.indexOf(QLatin1String("booleen"));
        QVERIFY(tab.editor()->hasMarkAt(at, ui::SqlEditor::Severity::Error));
        QVERIFY(tab.editor()->hasMarkAt(at + 6, ui::SqlEditor::Severity::Error));
        QVERIFY(!tab.editor()->hasMarkAt(at - 2, ui::SqlEditor::Severity::Error));
        QVERIFY(tab.editor()->hasErrorMarker(1));
        QVERIFY(tab.editor()->messageAt(at).contains(QLatin1String("booleen")));
        QVERIFY2(tab.statusText().contains(QLatin1String("line 2")), qPrintable(tab.statusText()));
        // A relint of the same text keeps it; an edit clears it.
        tab.lintNow();
        QVERIFY(tab.editor()->hasMarkAt(at, ui::SqlEditor::Severity::Error));
        tab.editor()->setText(sql + QStringLiteral("-- edited\n"));
        tab.lintNow();
        QVERIFY(!tab.editor()->hasMarkAt(at, ui::SqlEditor::Severity::Error));
        // Not in the editor: only the status line says it.
        QVERIFY(!tab.showServerError(QStringLiteral("SELECT nothing_here"), error));
        QVERIFY(tab.statusText().contains(QLatin1String("booleen")));
    }

    void emptyEditorExplainsItself()
    {
        ui::SqlTab tab;
        tab.resize(1280, 720);
        tab.show();
        QVERIFY(QTest::qWaitForWindowExposed(&tab));
        QVERIFY(tab.editor()->isPlaceholderVisible());
        QVERIFY(tab.editor()->placeholderText().contains(QLatin1String("Change")));
        QVERIFY(!tab.lintPanel()->findChild<QCheckBox*>()->isVisible());   // nothing to filter
        tab.editor()->setText(QStringLiteral("SELECT 1;"));
        QVERIFY(!tab.editor()->isPlaceholderVisible());
        tab.editor()->clear();
        QVERIFY(tab.editor()->isPlaceholderVisible());
    }

    void syntaxErrorShowsAtTheParserPosition()
    {
        ui::SqlTab tab;
        tab.resize(1280, 720);
        tab.show();
        // Multi-byte characters before the error: the offset is in characters, Scintilla counts bytes.
        const QString sql = QStringLiteral("SELECT 'é€ü';\nSELECT 1;\nSELEC 2;\n");
        const int at = sql.indexOf(QLatin1String("SELEC 2"));
        tab.editor()->setText(sql);
        tab.lintNow();
        const lint::LintResult& r = tab.lintPanel()->result();
        QVERIFY(r.error.has_value());
        QCOMPARE(r.error->offset, at);
        ui::SqlEditor* e = tab.editor();
        QVERIFY(e->hasMarkAt(at, ui::SqlEditor::Severity::Error));
        QVERIFY(e->hasMarkAt(at + 4, ui::SqlEditor::Severity::Error));    // the whole word
        QVERIFY(!e->hasMarkAt(at + 5, ui::SqlEditor::Severity::Error));   // not the next one
        QVERIFY(!e->hasMarkAt(at - 2, ui::SqlEditor::Severity::Error));
        QVERIFY(!e->hasMarkAt(0, ui::SqlEditor::Severity::Error));
        QVERIFY(e->hasErrorMarker(2));
        QVERIFY(!e->hasErrorMarker(1));
        QVERIFY(e->messageAt(at).contains(QLatin1String("syntax error")));
        // Scintilla's own indicator query at the byte position agrees.
        const int bytePos = sql.left(at).toUtf8().size();
        QCOMPARE(bytePos, at + 4);   // é, € and ü take 2, 3 and 2 bytes: 4 more than characters
        QVERIFY(e->SendScintilla(QsciScintillaBase::SCI_INDICATORALLONFOR, bytePos) != 0);
        QVERIFY(e->SendScintilla(QsciScintillaBase::SCI_INDICATORALLONFOR, bytePos - 2) == 0);
        // The panel says it does not parse, with the message and where.
        QCOMPARE(tab.lintPanel()->summaryText(), QStringLiteral("The SQL does not parse"));
        const QList<QFrame*> errors = tab.lintPanel()->findChildren<QFrame*>(QStringLiteral("lintError"));
        QCOMPARE(errors.size(), 1);
        bool mentions = false;
        for (QLabel* l : errors.first()->findChildren<QLabel*>())
            mentions = mentions || (l->text().contains(QLatin1String("syntax error")) && l->text().contains(QLatin1String("Line 3")));
        QVERIFY(mentions);

        // An error at the very end of the text marks its last character.
        tab.editor()->setText(QStringLiteral("SELECT (1"));
        tab.lintNow();
        QVERIFY(tab.lintPanel()->result().error.has_value());
        QVERIFY(e->hasMarkAt(8, ui::SqlEditor::Severity::Error));
        QVERIFY(!e->hasMarkAt(0, ui::SqlEditor::Severity::Error));

        // Fixed: the mark goes away.
        tab.editor()->setText(QStringLiteral("SELECT 1;"));
        tab.lintNow();
        QVERIFY(!e->hasMarkAt(0, ui::SqlEditor::Severity::Error));
        QVERIFY(!e->hasErrorMarker(0));
        QVERIFY(e->errorMessage().isEmpty());
    }

    void completesCatalogNames()
    {
        ui::SqlTab tab;
        tab.resize(1280, 720);
        tab.show();
        QVERIFY(QTest::qWaitForWindowExposed(&tab));
        tab.setCatalog(sampleCatalog());
        ui::SqlEditor* e = tab.editor();
        QCOMPARE(e->completionsFor(QStringLiteral("SELECT * FROM ord")), (QStringList{"order_items", "orders"}));
        QCOMPARE(e->completionsFor(QStringLiteral("SELECT * FROM audit.")), QStringList{"events"});
        QCOMPARE(e->completionsFor(QStringLiteral("SELECT * FROM shop.st")), QStringList{"\"Stock Levels\""});
        QVERIFY(e->completionsFor(QStringLiteral("SELECT * FROM au")).contains(QStringLiteral("audit")));
        QVERIFY(e->completionsFor(QStringLiteral("SELECT to")).isEmpty());   // no columns known yet
        tab.addTableColumns(ordersTable());
        QCOMPARE(e->completionsFor(QStringLiteral("SELECT to")), QStringList{"total_cents"});
        QCOMPARE(e->completionsFor(QStringLiteral("SELECT orders.")),
                 (QStringList{"\"Customer Ref\"", "id", "note", "total_cents"}));
        QCOMPARE(e->completionsFor(QStringLiteral("SELECT public.orders.i")), QStringList{"id"});

        // The real popup: two letters open it with the catalog's names, Return inserts the choice.
        e->setFocus();
        QTest::keyClicks(e, QStringLiteral("SELECT * FROM ord"));
        QTRY_VERIFY_WITH_TIMEOUT(e->isListActive(), 1000);
        QTest::keyClicks(e, QStringLiteral("ers"));
        QVERIFY(e->isListActive());
        QTest::keyClick(e, Qt::Key_Return);
        QCOMPARE(e->text(), QStringLiteral("SELECT * FROM orders"));
        // "schema." opens the schema's tables at once.
        QTest::keyClicks(e, QStringLiteral(" JOIN audit."));
        QTRY_VERIFY_WITH_TIMEOUT(e->isListActive(), 1000);
        QTest::keyClick(e, Qt::Key_Return);
        QCOMPARE(e->text(), QStringLiteral("SELECT * FROM orders JOIN audit.events"));
    }

    void lintUsesWhatTheGuiKnows()
    {
        // Column types from loaded tables: varchar widening is binary-coercible, so no rewrite.
        ui::CatalogSchemaLookup lookup;
        lookup.setCatalog(sampleCatalog());
        lookup.addTable(ordersTable());
        QCOMPARE(lookup.tableBytes(QStringLiteral("orders")), qint64(1'200'000'000));
        QCOMPARE(lookup.tableBytes(QStringLiteral("PUBLIC.Orders")), qint64(1'200'000'000));
        QCOMPARE(lookup.tableBytes(QStringLiteral("\"Orders\"")), qint64(-1));
        QCOMPARE(lookup.tableBytes(QStringLiteral("events")), qint64(200'000'000));   // the one schema that has it
        QCOMPARE(lookup.tableBytes(QStringLiteral("shop.\"Stock Levels\"")), qint64(9'000'000));
        QCOMPARE(lookup.columnType(QStringLiteral("orders"), QStringLiteral("note")), QStringLiteral("character varying(20)"));
        QCOMPARE(lookup.columnType(QStringLiteral("orders"), QStringLiteral("\"Customer Ref\"")), QStringLiteral("text"));
        QCOMPARE(lookup.columnType(QStringLiteral("events"), QStringLiteral("x")), QString());

        ui::SqlTab tab;
        tab.setCatalog(sampleCatalog());
        tab.addTableColumns(ordersTable());
        tab.editor()->setText(QStringLiteral("SET lock_timeout = '1s';\nALTER TABLE orders ALTER COLUMN note TYPE varchar(40);\n"
                                             "ALTER TABLE orders ALTER COLUMN total_cents TYPE bigint;\n"));
        tab.lintNow();
        const lint::LintResult& r = tab.lintPanel()->result();
        QCOMPARE(r.statements.size(), 3);
        QVERIFY(!r.statements[1].rewrites);
        QVERIFY(r.statements[2].rewrites);

        // SET NOT NULL on a column that is NOT NULL already does nothing: no scan, no hazard (a nullable one scans).
        QVERIFY(lookup.columnIsNotNull(QStringLiteral("orders"), QStringLiteral("id")));
        QVERIFY(!lookup.columnIsNotNull(QStringLiteral("orders"), QStringLiteral("note")));
        tab.editor()->setText(QStringLiteral("SET lock_timeout = '1s';\nALTER TABLE orders ALTER COLUMN id SET NOT NULL;\n"
                                             "ALTER TABLE orders ALTER COLUMN note SET NOT NULL;\n"));
        tab.lintNow();
        const lint::LintResult& notNull = tab.lintPanel()->result();
        QVERIFY(!notNull.statements[1].scans);
        QVERIFY(notNull.statements[1].hazards.isEmpty());
        QVERIFY(notNull.statements[2].scans);
    }

    void aBigCatalogIsIndexedOffTheGuiThread()
    {
        // 10,000 tables: indexed on a worker, installed later, the columns loaded meanwhile kept.
        pg::CatalogSnapshot big = sampleCatalog();
        for (int i = 0; i < 10'000; ++i)
            big.tables << stats(QStringLiteral("bulk"), QStringLiteral("t%1").arg(i, 5, 10, QLatin1Char('0')), 8192);
        ui::SqlTab tab;
        QElapsedTimer clock;
        clock.start();
        tab.setCatalog(big);
        const qint64 guiMs = clock.elapsed();
        QVERIFY(tab.isCatalogPending());
        tab.addTableColumns(ordersTable());
        QTRY_VERIFY_WITH_TIMEOUT(!tab.isCatalogPending(), 10000);
        qInfo("10,000 tables: %lld ms on the GUI thread, installed after %lld ms", guiMs, clock.elapsed());
        ui::SqlEditor* e = tab.editor();
        QCOMPARE(e->completionsFor(QStringLiteral("SELECT * FROM bulk.t0999")).size(), 10);   // t09990..t09999
        QCOMPARE(e->completionsFor(QStringLiteral("SELECT * FROM orders.tot")), QStringList{"total_cents"});
        tab.editor()->setText(QStringLiteral("SET lock_timeout = '1s';\nALTER TABLE orders ALTER COLUMN note TYPE varchar(40);\n"));
        tab.lintNow();
        QVERIFY(!tab.lintPanel()->result().statements[1].rewrites);   // the column's type survived the swap
    }

    void exportsWriteTheFiles()
    {
        QTemporaryDir tmp;
        ui::SqlTab tab;
        const Plan plan = samplePlan();
        QSignalSpy exported(&tab, &ui::SqlTab::exported);
        QSignalSpy failed(&tab, &ui::SqlTab::exportFailed);
        QString target;
        QList<ui::SqlTab::ExportKind> asked;
        tab.setPathChooser([&](ui::SqlTab::ExportKind kind, const QString&) {
            asked << kind;
            return target;
        });

        // Without a plan only the editor's text can be saved.
        tab.editor()->setText(QStringLiteral("SELECT 1;\n"));
        QVERIFY(tab.exportActions()[0]->isEnabled());
        QVERIFY(!tab.exportActions()[2]->isEnabled());
        QVERIFY(tab.exportAs(ui::SqlTab::ExportKind::PlanJson).isEmpty());
        QCOMPARE(failed.count(), 1);

        tab.setPlan(plan);
        QVERIFY(tab.exportActions()[2]->isEnabled());
        tab.editor()->append(QStringLiteral("-- reviewed by the DBA\n"));

        // One .sql file: the editor's text as shown, edits included.
        target = tmp.filePath(QStringLiteral("one/plan.sql"));
        tab.exportActions()[0]->trigger();
        QCOMPARE(QString::fromUtf8(readAll(target)), tab.editor()->text());
        QVERIFY(tab.editor()->text().endsWith(QLatin1String("-- reviewed by the DBA\n")));

        // Flyway through the menu action: the plan's steps, numbered.
        target = tmp.filePath(QStringLiteral("flyway"));
        tab.exportActions()[1]->trigger();
        const QVector<ExportFile> expected = numberedFiles(plan, NumberedStyle::Flyway, 1);
        QCOMPARE(exported.last().first().toStringList().size(), expected.size());
        for (const ExportFile& f : expected)
            QCOMPARE(readAll(tmp.filePath(QStringLiteral("flyway/") + f.relativePath)), f.contents);
        QVERIFY(tab.statusText().startsWith(QStringLiteral("Exported %1 files to").arg(expected.size())));
        // Exporting again into the same folder continues the version numbers.
        const QStringList again = tab.exportAs(ui::SqlTab::ExportKind::FlywayFiles);
        QVERIFY(again.first().endsWith(QStringLiteral("V%1__%2.sql").arg(plan.steps.size() + 1).arg(plan.steps.first().id)));

        // sqitch-style deploy/revert pairs.
        target = tmp.filePath(QStringLiteral("sqitch"));
        QCOMPARE(tab.exportAs(ui::SqlTab::ExportKind::SqitchFiles).size(), 2 * plan.steps.size());
        QVERIFY(QFile::exists(tmp.filePath(QStringLiteral("sqitch/revert/001-%1.sql").arg(plan.steps.first().id))));

        // JSON gives the plan back.
        target = tmp.filePath(QStringLiteral("plan.json"));
        tab.exportActions()[3]->trigger();
        QCOMPARE(Plan::fromJson(QJsonDocument::fromJson(readAll(target)).object()).toJson(), plan.toJson());
        QCOMPARE(asked, (QList<ui::SqlTab::ExportKind>{ui::SqlTab::ExportKind::SingleFile, ui::SqlTab::ExportKind::FlywayFiles,
                                                        ui::SqlTab::ExportKind::FlywayFiles, ui::SqlTab::ExportKind::SqitchFiles,
                                                        ui::SqlTab::ExportKind::PlanJson}));

        // An unwritable place: a clear message in the status line, no exception, nothing written.
        QFile blocker(tmp.filePath(QStringLiteral("a-file")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        target = tmp.filePath(QStringLiteral("a-file/plan.json"));
        QVERIFY(tab.exportAs(ui::SqlTab::ExportKind::PlanJson).isEmpty());
        QCOMPARE(failed.count(), 2);
        QVERIFY2(tab.statusText().startsWith(QLatin1String("Export failed: Cannot create directory")), qPrintable(tab.statusText()));
        // Cancelled dialog: nothing happens.
        target.clear();
        const int before = exported.count();
        QVERIFY(tab.exportAs(ui::SqlTab::ExportKind::SingleFile).isEmpty());
        QCOMPARE(exported.count(), before);
        QCOMPARE(failed.count(), 2);
    }

    void screenshots()
    {
        QMainWindow window;
        auto* tab = new ui::SqlTab(&window);
        window.setCentralWidget(tab);
        window.resize(1600, 1000);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        tab->setCatalog(sampleCatalog());
        tab->addTableColumns(ordersTable());
        tab->setPlan(samplePlan());
        // A DBA's own additions under the plan, two of them hazardous.
        tab->editor()->append(QStringLiteral(
            "\n-- Added by hand\nCREATE INDEX orders_total_idx ON public.orders (total_cents);\n"
            "ALTER TABLE public.orders ALTER COLUMN total_cents TYPE bigint;\n"));
        tab->lintNow();
        QVERIFY(tab->lintPanel()->visibleHazardCount() >= 2);
        const lint::StatementReport& last = tab->lintPanel()->result().statements.last();
        tab->editor()->selectRange(last.offset, 0);
        tab->lintPanel()->highlightStatementAt(last.offset);
        saveShots(&window, QStringLiteral("sql_tab"));

        // A DBA's own risky migration, no plan: the hazard index on top, the third risky statement selected.
        tab->clearPlan();
        tab->editor()->setText(QStringLiteral(
            "-- Add a shipping status to orders (hand-written, not reviewed yet)\n"
            "BEGIN;\n"
            "ALTER TABLE public.orders ADD COLUMN shipped_at timestamptz DEFAULT clock_timestamp();\n"
            "ALTER TABLE public.orders ADD COLUMN status text NOT NULL;\n"
            "ALTER TABLE public.orders ADD CONSTRAINT orders_status_check\n"
            "    CHECK (status IN ('new', 'paid', 'shipped'));\n"
            "CREATE INDEX orders_status_idx ON public.orders (status);\n"
            "COMMIT;\n\n"
            "SET lock_timeout = '2s';\n"
            "ALTER TABLE public.orders ALTER COLUMN note TYPE varchar(40);      -- widening: no rewrite\n"
            "ALTER TABLE public.orders ALTER COLUMN total_cents TYPE bigint;\n"
            "ALTER TABLE public.order_items ADD CONSTRAINT order_items_order_fk\n"
            "    FOREIGN KEY (order_id) REFERENCES public.orders (id);\n"
            "ALTER TABLE public.orders RENAME COLUMN note TO remark;\n"));
        tab->lintNow();
        QVERIFY(tab->lintPanel()->result().hazardCount() >= 6);
        tab->lintPanel()->findChild<QFrame*>(QStringLiteral("lintIndex"))->findChild<QLabel*>()->linkActivated(QStringLiteral("4"));
        QApplication::processEvents();
        saveShots(&window, QStringLiteral("sql_tab_risky"));

        // The parse error state.
        tab->editor()->setText(QStringLiteral("BEGIN;\nALTER TABLE orders ADD COLUMN flag boolean;\nCREATE INDEX ON orders (flag;\nCOMMIT;\n"));
        tab->lintNow();
        QVERIFY(tab->lintPanel()->result().error.has_value());
        saveShots(&window, QStringLiteral("sql_tab_error"));

        // The empty state.
        tab->clearPlan();
        tab->editor()->clear();
        tab->lintNow();
        saveShots(&window, QStringLiteral("sql_tab_empty"));
    }
};

QTEST_MAIN(TestSqlTab)
#include "test_sql_tab.moc"
