// SPDX-License-Identifier: GPL-3.0-or-later
// The plan view in a connected main window against a private server: a real plan (resolved and planned on
// the server, as the composer asks for it) shows its phases in order on the timeline, each step's lock
// badge coloured by what the lock blocks, rewrite/scan flags, the why and the SQL behind toggles, the risk
// summary, and the point of no return; "Try locks on server" runs the observed-lock preview through the
// window's database session and shows what each step really took beside the prediction.
#include "core/change/change_resolver.h"
#include "core/change/privilege_preflight.h"
#include "core/plan/planner.h"
#include "core/store/journal.h"
#include "tests/gui/gui_shots.h"
#include "tests/support/pg_fixture.h"
#include "ui/common/lock_badge.h"
#include "ui/window/main_window.h"
#include "ui/plan/plan_view.h"
#include "ui/plan/step_card.h"
#include "ui/window/workspace.h"

#include <Qsci/qsciscintilla.h>

#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTest>

using namespace lockstep;

namespace {
// As the composer's database job plans it: resolved on the server, identifiers quoted by libpq.
Plan planOnServer(const QString& conninfo, const NewColumnChange& change)
{
    auto conn = test::connect(conninfo);
    ChangeResolver resolver(*conn);
    const auto resolved = resolver.resolve(change);
    const pg::Connection& c = *conn;
    Planner planner([&c](const QString& name) { return c.quoteIdent(name); });
    return planner.plan(resolved.table, resolved.change);
}

NewColumnChange addTotalCents()
{
    NewColumnChange c;
    c.table = QStringLiteral("public.orders");
    c.column = QStringLiteral("total_cents");
    c.type = QStringLiteral("bigint");
    c.backfill = QStringLiteral("(total * 100)::bigint");
    c.notNull = true;
    c.index = true;
    c.check = QStringLiteral("total_cents >= 0");
    return c;
}

NewColumnChange replaceTotal()
{
    NewColumnChange c;
    c.table = QStringLiteral("public.orders");
    c.kind = NewColumnChange::Kind::Replace;
    c.oldColumn = QStringLiteral("total");
    c.column = QStringLiteral("total_v2");
    c.type = QStringLiteral("numeric(14,2)");
    return c;
}

QString styleOf(QWidget* w) { return w->styleSheet().toLower(); }
} // namespace

class TestPlanView : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void showsThePhasesInOrderWithBadgesAndFlags();
    void stepsExpandTheirForwardAndRollbackSql();
    void replaceMarksThePointOfNoReturn();
    void tryLocksShowsTheObservedLocksBesideThePrediction();
    void tryLocksOnATableTooBigToBackfillFailsNothing();
    void aMismatchIsHighlightedInRed();
    void clearingThePlanShowsWhy();
    void missingPrivilegesAreSaidBesideThePlan();

private:
    ui::PlanView* planView() const { return m_window->workspace()->planView(); }
    void showPlan(const Plan& plan)
    {
        m_window->workspace()->showPlan();
        planView()->setPlan(plan);
    }

    QString m_conninfo;
    std::unique_ptr<ui::MainWindow> m_window;
};

void TestPlanView::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QFile::remove(store::Journal::defaultPath());
    m_conninfo = test::freshDatabase(QStringLiteral("planview"));
    auto conn = test::connect(m_conninfo);
    conn->execScript(QStringLiteral(R"sql(
        CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id int NOT NULL, total numeric(12,2) NOT NULL DEFAULT 0,
                             note text);
        INSERT INTO orders (customer_id, total, note) SELECT 1 + g % 300, g * 1.25, 'n' || g FROM generate_series(1, 20000) g;
        ANALYZE;
    )sql"));
}

void TestPlanView::init()
{
    m_window = std::make_unique<ui::MainWindow>();
    m_window->resize(1600, 1000);
    m_window->setRatesInterval(0);
    m_window->show();
    m_window->connectTo(m_conninfo, QStringLiteral("plan view test db"));
    QTRY_VERIFY2_WITH_TIMEOUT(m_window->isCatalogLoaded(), qPrintable(m_window->catalogError()), 30000);
}

void TestPlanView::cleanup() { m_window.reset(); }

void TestPlanView::showsThePhasesInOrderWithBadgesAndFlags()
{
    // The empty state says what to do.
    QVERIFY(!planView()->currentPlan());
    QVERIFY(planView()->emptyText().contains(QLatin1String("Compose a change")));
    QVERIFY(!planView()->previewButton()->isVisible());
    m_window->workspace()->showPlan();
    test::saveShots(m_window.get(), QStringLiteral("plan_00_empty"));

    QSignalSpy changed(planView(), &ui::PlanView::planChanged);
    const Plan plan = planOnServer(m_conninfo, addTotalCents());
    showPlan(plan);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(planView()->phaseNames(), (QStringList{"expand", "backfill", "constrain", "switch", "contract"}));
    QCOMPARE(planView()->stepIds(),
             (QStringList{"add_column", "sync_trigger", "backfill", "sync_swap", "sync_catch_up", "failed_rows", "not_null_check",
                          "check", "not_null_validate", "not_null_set",
                          "not_null_drop_check", "check_validate", "index", "switch", "contract_drop_sync"}));
    // One header per phase, in the timeline.
    for (const char* phase : {"expand", "backfill", "constrain", "switch", "contract"}) {
        auto* header = planView()->findChild<QLabel*>(QStringLiteral("phase_") + QLatin1String(phase));
        QVERIFY2(header && header->isVisible(), phase);
        QVERIFY(header->text().contains(QString::fromLatin1(phase).toUpper()));
    }
    // The same plan again (a keystroke that changed nothing): not rebuilt.
    ui::StepCard* first = planView()->card(QStringLiteral("add_column"));
    planView()->setPlan(plan);
    QCOMPARE(planView()->card(QStringLiteral("add_column")), first);
    QCOMPARE(changed.count(), 1);

    // Badges: red for what blocks reads and writes, amber for writes, green for neither.
    const QString red = ui::dangerColor().name(), amber = ui::warningColor().name(), green = ui::okColor().name();
    struct Expect { const char* id; const char* text; ui::LockSeverity severity; QString colour; };
    const Expect expected[] = {
        {"add_column", "ACCESS EXCLUSIVE", ui::LockSeverity::ReadsAndWrites, red},
        {"sync_trigger", "SHARE ROW EXCLUSIVE", ui::LockSeverity::Writes, amber},
        {"sync_swap", "SHARE ROW EXCLUSIVE", ui::LockSeverity::Writes, amber},
        {"sync_catch_up", "ROW EXCLUSIVE", ui::LockSeverity::None, green},
        {"not_null_validate", "SHARE UPDATE EXCLUSIVE", ui::LockSeverity::None, green},
        {"index", "SHARE UPDATE EXCLUSIVE", ui::LockSeverity::None, green},
        {"switch", "no table lock", ui::LockSeverity::None, green},
    };
    for (const Expect& e : expected) {
        ui::StepCard* card = planView()->card(QString::fromLatin1(e.id));
        QVERIFY2(card, e.id);
        QCOMPARE(card->badgeText(), QString::fromLatin1(e.text));
        QCOMPARE(card->badgeSeverity(), e.severity);
        QVERIFY2(styleOf(card->badge()).contains(e.colour), qPrintable(card->badge()->styleSheet()));
        QVERIFY(!card->badge()->toolTip().isEmpty());
    }
    QVERIFY(planView()->card(QStringLiteral("add_column"))->badge()->toolTip().contains(QLatin1String("Blocks reads and writes")));

    // Flags in words: the scans, the batches, CONCURRENTLY outside a transaction; nothing rewrites.
    QVERIFY2(planView()->card(QStringLiteral("not_null_validate"))->flagsText().contains(QLatin1String("scans")),
             qPrintable(planView()->card(QStringLiteral("not_null_validate"))->flagsText()));
    QVERIFY(planView()->card(QStringLiteral("backfill"))->flagsText().contains(QLatin1String("small batches")));
    QVERIFY(planView()->card(QStringLiteral("index"))->flagsText().contains(QLatin1String("outside a transaction")));
    for (const QString& id : planView()->stepIds())
        QVERIFY2(!planView()->card(id)->flagsText().contains(QLatin1String("rewrites")), qPrintable(id));
    QVERIFY(planView()->card(QStringLiteral("switch"))->estimateText().contains(QLatin1String("waits for you")));

    // The summary for the whole plan, against the table's traffic: no rewrite, brief locks, rollback possible.
    const QString summary = planView()->summaryText();
    QVERIFY2(summary.startsWith(QLatin1String("BRIEF LOCKS ONLY")), qPrintable(summary));
    QVERIFY2(summary.contains(QLatin1String("The table now:")), qPrintable(summary));
    QVERIFY(summary.contains(QLatin1String("ACCESS EXCLUSIVE briefly")));
    QVERIFY(summary.contains(QLatin1String("Every step can be rolled back")));
    QVERIFY2(!summary.contains(QLatin1String("Estimates:")), qPrintable(summary));   // not said by this plan
    Plan measured = plan;
    measured.estimateSource = QStringLiteral("backfill measured on this server (db:5432): 31,400 rows/s, the median of 3 earlier backfills");
    planView()->setPlan(measured);
    QVERIFY2(planView()->summaryText().contains(QStringLiteral("Estimates: %1.").arg(measured.estimateSource)),
             qPrintable(planView()->summaryText()));
    // The disk and WAL it will take, and what a rollback gives back (the planner's estimate, plan/disk_estimate.h).
    QVERIFY2(plan.disk.known && summary.contains(QStringLiteral("Disk: %1;").arg(plan.disk.summary()))
                 && summary.contains(QLatin1String("a rollback gives none of it back at once")), qPrintable(summary));
    planView()->setPlan(plan);
    QVERIFY(!planView()->pointOfNoReturn());
    QVERIFY(planView()->previewButton()->isVisible());
    QVERIFY(planView()->previewButton()->isEnabled());
    test::saveShots(m_window.get(), QStringLiteral("plan_01_add_not_null_backfill"));
    // The backfill phase: the walk, the trigger swap and the catch-up of rows updated meanwhile.
    planView()->findChild<QScrollArea*>()->ensureWidgetVisible(planView()->card(QStringLiteral("sync_catch_up")));
    test::saveShots(m_window.get(), QStringLiteral("plan_01b_backfill_swap"));
}

void TestPlanView::stepsExpandTheirForwardAndRollbackSql()
{
    showPlan(planOnServer(m_conninfo, addTotalCents()));
    ui::StepCard* card = planView()->card(QStringLiteral("add_column"));
    QVERIFY(card);
    QVERIFY(!card->isSqlExpanded());
    QVERIFY(!card->sqlView());
    card->setSqlExpanded(true);
    QVERIFY(card->isSqlExpanded());
    auto* sql = card->sqlView()->findChild<QsciScintilla*>();
    QVERIFY(sql);
    QVERIFY(sql->isReadOnly());
    QVERIFY2(sql->text().contains(QLatin1String("ADD COLUMN IF NOT EXISTS \"total_cents\" bigint")), qPrintable(sql->text()));
    QVERIFY(sql->text().contains(QLatin1String("lock_timeout")));
    card->setRollbackExpanded(true);
    auto* rollback = card->rollbackView()->findChild<QsciScintilla*>();
    QVERIFY(rollback);
    QVERIFY(rollback->isVisible());
    QVERIFY(rollback->text().contains(QLatin1String("DROP COLUMN IF EXISTS \"total_cents\"")));
    // All of the SQL is readable without scrolling inside the small view.
    QVERIFY(sql->height() >= sql->lines() * int(sql->SendScintilla(QsciScintillaBase::SCI_TEXTHEIGHT, 0L)));
    test::saveShots(m_window.get(), QStringLiteral("plan_02_sql_expanded"));
    card->setSqlExpanded(false);
    QVERIFY(!card->isSqlExpanded());
}

void TestPlanView::replaceMarksThePointOfNoReturn()
{
    showPlan(planOnServer(m_conninfo, replaceTotal()));
    const QStringList ids = planView()->stepIds();
    QCOMPARE(ids.last(), QStringLiteral("contract_drop_old_column"));
    QWidget* divider = planView()->pointOfNoReturn();
    QVERIFY(divider);
    QVERIFY(divider->isVisible());
    auto* label = divider->findChild<QLabel*>();
    QVERIFY(label);
    QVERIFY2(label->text().contains(QStringLiteral("POINT OF NO RETURN — step %1").arg(ids.size())), qPrintable(label->text()));
    // The divider stands right before the irreversible step's card, on the timeline.
    ui::StepCard* last = planView()->card(QStringLiteral("contract_drop_old_column"));
    QVERIFY(divider->mapTo(planView(), QPoint(0, 0)).y() < last->mapTo(planView(), QPoint(0, 0)).y());
    ui::StepCard* before = planView()->card(ids.at(ids.size() - 2));
    QVERIFY(divider->mapTo(planView(), QPoint(0, 0)).y() > before->mapTo(planView(), QPoint(0, 0)).y());
    QVERIFY(last->flagsText().contains(QLatin1String("cannot be rolled back")));
    QVERIFY(planView()->summaryText().contains(QStringLiteral("step %1 (").arg(ids.size())));
    QVERIFY(planView()->summaryText().contains(QLatin1String("point of no return")));
    QVERIFY(planView()->summaryText().contains(QStringLiteral("No way back from step %1.").arg(ids.size())));
    planView()->findChild<QScrollArea*>()->ensureWidgetVisible(last);
    test::saveShots(m_window.get(), QStringLiteral("plan_03_replace_point_of_no_return"));
}

void TestPlanView::tryLocksShowsTheObservedLocksBesideThePrediction()
{
    const Plan plan = planOnServer(m_conninfo, addTotalCents());
    showPlan(plan);
    for (const QString& id : planView()->stepIds())
        QVERIFY(!planView()->card(id)->hasObservation());
    QTest::mouseClick(planView()->previewButton(), Qt::LeftButton);
    QVERIFY(planView()->isPreviewRunning());
    QVERIFY(!planView()->previewButton()->isEnabled());
    QVERIFY(planView()->previewStatusText().contains(QStringLiteral("BEGIN … ROLLBACK")));
    QTRY_VERIFY_WITH_TIMEOUT(!planView()->isPreviewRunning(), 60000);
    const QString status = planView()->previewStatusText();
    QVERIFY2(status.contains(QLatin1String("nothing was committed")), qPrintable(status));
    QVERIFY2(status.contains(QLatin1String("Every step tried took the predicted locks")), qPrintable(status));
    QVERIFY(planView()->previewButton()->isEnabled());

    // Each transactional step shows what the server did, matching the prediction; CONCURRENTLY was not tried.
    for (const char* id : {"add_column", "sync_trigger", "sync_swap", "sync_catch_up", "failed_rows", "not_null_check",
                           "not_null_validate", "not_null_set", "check", "check_validate"}) {
        ui::StepCard* card = planView()->card(QString::fromLatin1(id));
        QVERIFY2(card->hasObservation(), id);
        QVERIFY2(!card->isMismatch() && !card->isFailed(), qPrintable(card->observationText()));
        QVERIFY2(card->observationText().startsWith(QStringLiteral("✓ As predicted:")), qPrintable(card->observationText()));
        QVERIFY2(card->observationText().contains(card->badgeText()), qPrintable(card->observationText()));
        QVERIFY(card->observationLabel()->isVisible());
    }
    ui::StepCard* index = planView()->card(QStringLiteral("index"));
    QVERIFY(index->hasObservation());
    QVERIFY2(index->observationText().startsWith(QLatin1String("Not tried on the server")), qPrintable(index->observationText()));
    test::saveShots(m_window.get(), QStringLiteral("plan_04_locks_tried"));

    // Nothing was committed: the table has no new column.
    QCOMPARE(test::psqlScalar(m_conninfo, QStringLiteral("SELECT count(*) FROM pg_attribute WHERE attrelid = 'orders'::regclass "
                                                         "AND attname = 'total_cents'")),
             QStringLiteral("0"));

    // A new plan drops the observations (they describe the old one).
    showPlan(planOnServer(m_conninfo, replaceTotal()));
    for (const QString& id : planView()->stepIds())
        QVERIFY(!planView()->card(id)->hasObservation());
    QVERIFY(planView()->previewStatusText().isEmpty());
}

// More rows than the preview replays a backfill for: the NOT NULL validation and SET NOT NULL fail without the
// filled rows, and say so as "not tried: needs the backfill" -- the headline counts no failure.
void TestPlanView::tryLocksOnATableTooBigToBackfillFailsNothing()
{
    auto conn = test::connect(m_conninfo);
    conn->execScript(QStringLiteral("CREATE TABLE IF NOT EXISTS readings (id bigint PRIMARY KEY, celsius numeric NOT NULL);"
                                    "INSERT INTO readings SELECT g, g % 40 FROM generate_series(1, 120000) g ON CONFLICT DO NOTHING;"
                                    "ANALYZE readings;"));
    NewColumnChange c;
    c.table = QStringLiteral("public.readings");
    c.column = QStringLiteral("kelvin");
    c.type = QStringLiteral("numeric");
    c.backfill = QStringLiteral("celsius + 273.15");
    c.notNull = true;
    showPlan(planOnServer(m_conninfo, c));
    QTest::mouseClick(planView()->previewButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!planView()->isPreviewRunning(), 60000);
    const QString status = planView()->previewStatusText();
    QVERIFY2(!status.contains(QLatin1String("failed")) && !status.contains(QLatin1String("differ")), qPrintable(status));
    QVERIFY2(status.contains(QLatin1String("not tried: they need the backfill, which could not be tried here")), qPrintable(status));
    for (const char* id : {"not_null_validate", "not_null_set"}) {
        ui::StepCard* card = planView()->card(QString::fromLatin1(id));
        QVERIFY2(card->hasObservation() && !card->isFailed() && !card->isMismatch(), id);
        QVERIFY2(card->observationText().startsWith(QLatin1String("Not tried: needs the backfill")), qPrintable(card->observationText()));
        QVERIFY(!styleOf(card).contains(ui::dangerColor().name()));
    }
    ui::StepCard* check = planView()->card(QStringLiteral("not_null_check"));
    QVERIFY2(check->observationText().startsWith(QStringLiteral("✓ As predicted:")), qPrintable(check->observationText()));
    planView()->findChild<QScrollArea*>()->ensureWidgetVisible(planView()->card(QStringLiteral("not_null_set")), 0, 0);
    test::saveShots(m_window.get(), QStringLiteral("plan_06_locks_need_the_backfill"));
    test::saveShots(planView()->card(QStringLiteral("not_null_validate")), QStringLiteral("plan_06_card_needs_the_backfill"));
}

void TestPlanView::aMismatchIsHighlightedInRed()
{
    showPlan(planOnServer(m_conninfo, addTotalCents()));
    ui::StepCard* card = planView()->card(QStringLiteral("sync_trigger"));
    preview::StepObservation o;
    o.stepId = card->stepId();
    o.observed = true;
    o.predictedLock = card->step().lock;
    o.observedLock = LockMode::AccessExclusive;
    o.observedRewrite = false;
    o.matches = false;
    card->setObservation(o);
    QVERIFY(card->isMismatch());
    QVERIFY2(card->observationText().contains(QLatin1String("Differs from the prediction: took ACCESS EXCLUSIVE, predicted SHARE ROW EXCLUSIVE")),
             qPrintable(card->observationText()));
    QVERIFY(styleOf(card).contains(ui::dangerColor().name()));
    card->clearObservation();
    QVERIFY(!card->hasObservation());
    QVERIFY(!styleOf(card).contains(ui::dangerColor().name()));

    // A step that failed on the server says why, in red.
    o.matches = true;
    o.error = QStringLiteral("lock timeout");
    o.sqlstate = QStringLiteral("55P03");
    card->setObservation(o);
    QVERIFY(card->isFailed());
    QVERIFY(card->observationText().contains(QLatin1String("failed on the server: lock timeout (SQLSTATE 55P03)")));
    QVERIFY(styleOf(card).contains(ui::dangerColor().name()));
}

void TestPlanView::clearingThePlanShowsWhy()
{
    showPlan(planOnServer(m_conninfo, addTotalCents()));
    QSignalSpy cleared(planView(), &ui::PlanView::planCleared);
    planView()->clearPlan(QStringLiteral("Name: 70 bytes is longer than 63"));
    QCOMPARE(cleared.count(), 1);
    QVERIFY(!planView()->currentPlan());
    QVERIFY(planView()->stepIds().isEmpty());
    QVERIFY(planView()->emptyText().contains(QLatin1String("Name: 70 bytes")));
    // Without a plan the button cannot be pressed; the menu action says why instead.
    planView()->requestPreview();
    QVERIFY(!planView()->isPreviewRunning());
    QVERIFY(planView()->previewStatusText().isEmpty() || planView()->previewStatusText().contains(QLatin1String("Compose")));
    test::saveShots(m_window.get(), QStringLiteral("plan_05_empty_with_reason"));
}

// A role without superuser (a managed service's table owner) sees what it lacks above the steps, with the GRANT.
void TestPlanView::missingPrivilegesAreSaidBesideThePlan()
{
    auto admin = test::connect(m_conninfo);
    admin->execScript(QStringLiteral(
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'plan_owner') THEN CREATE ROLE plan_owner LOGIN; END IF; END $$;"
        "CREATE TABLE IF NOT EXISTS owned_orders (id bigint PRIMARY KEY, total numeric(12,2) NOT NULL DEFAULT 0);"
        "ALTER TABLE owned_orders OWNER TO plan_owner;"));
    Plan plan = planOnServer(m_conninfo, [] {
        NewColumnChange c = addTotalCents();
        c.table = QStringLiteral("owned_orders");
        return c;
    }());
    // What the window's worker adds to a plan (ui/db_worker.cpp), as plan_owner: in PostgreSQL 15 it may
    // not CREATE in public, and it has neither pg_monitor nor pg_signal_backend.
    auto owner = pg::Connection::open(test::asRole(m_conninfo, QStringLiteral("plan_owner")));
    plan.roleNotes = privilegeNotes(privilegePreflight(*owner, plan));
    QVERIFY2(plan.roleNotes.size() == 3, qPrintable(plan.roleNotes.join(QLatin1Char('\n'))));
    showPlan(plan);
    const QString summary = planView()->summaryText();
    QVERIFY2(summary.contains(QStringLiteral("⚠ This role lacks CREATE on schema public")) &&
                 summary.contains(QStringLiteral("GRANT CREATE ON SCHEMA \"public\" TO \"plan_owner\";")) &&
                 summary.contains(QStringLiteral("This role has no pg_monitor")),
             qPrintable(summary));
    test::saveShots(m_window.get(), QStringLiteral("plan_06_role_lacks_privileges"));
}

QTEST_MAIN(TestPlanView)
#include "test_plan_view.moc"
