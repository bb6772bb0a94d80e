// SPDX-License-Identifier: GPL-3.0-or-later
// The run view against a real private server: a 500,000-row backfill driven from the view while the GUI
// event loop never stalls for more than 50 ms; the progress reaches 100 % (never more); the rate cap
// applied live throttles the backfill with its reason and an ETA; the run stops at the switch gate with a
// verification of 0 rows differing, goes on through the switch once confirmed, and the rollback button
// restores the original schema. A session holding the table's lock shows in the blocker panel, and
// cancelling it lets the step proceed.
#include "tests/gui/gui_shots.h"
#include "tests/gui/stall_probe.h"
#include "tests/pg/test_runner_support.h"
#include "ui/run/blocker_panel.h"
#include "ui/run/rollback_dialog.h"
#include "ui/charts/run_charts.h"
#include "ui/run/run_controller.h"
#include "ui/run/run_controls.h"
#include "ui/run/run_progress.h"
#include "ui/run/run_step_list.h"
#include "ui/run/run_view.h"
#include "ui/run/switch_gate_dialog.h"

#include <QCheckBox>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QMainWindow>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <atomic>
#include <thread>

using namespace lockstep;
using namespace lockstep::test;

namespace {
int indexOfPhase(const Plan& plan, Phase phase)
{
    for (int i = 0; i < plan.steps.size(); ++i)
        if (plan.steps[i].phase == phase)
            return i;
    return -1;
}

QPushButton* buttonWithRole(QMessageBox* box, QMessageBox::ButtonRole role)
{
    for (QAbstractButton* b : box->buttons())
        if (box->buttonRole(b) == role)
            return qobject_cast<QPushButton*>(b);
    return nullptr;
}
} // namespace

class TestRunView : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { sharedCluster(); }
    void backfillStaysResponsiveThroughGateAndRollback();
    void blockerPanelCancelsTheBlocker();
    void rollbackIsDisabledPastTheContract();
};

void TestRunView::backfillStaysResponsiveThroughGateAndRollback()
{
    const QString db = freshDatabase(QStringLiteral("runview"));
    auto conn = lockstep::test::connect(db);
    createBigTable(*conn, 500000);
    const Plan plan = planFor(db, twiceChange());
    const QString schemaBefore = pgDumpSchema(db, QStringLiteral("public.big"));
    const int backfillIndex = indexOfPhase(plan, Phase::Backfill);
    const int switchIndex = indexOfPhase(plan, Phase::Switch);
    QVERIFY(backfillIndex > 0 && switchIndex > backfillIndex);
    QTemporaryDir dir;

    QMainWindow window;
    auto* view = new ui::RunView(&window);
    window.setCentralWidget(view);
    window.resize(1600, 1000);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    view->setJournalPath(dir.filePath(QStringLiteral("journal.sqlite")));
    view->setConnection(db);
    run::RunOptions options;
    options.targetBatchMs = 150;
    view->setOptions(options, 5.0);
    view->setPlan(plan);
    QCOMPARE(view->stepList()->count(), plan.steps.size());
    QCOMPARE(view->stepList()->state(switchIndex), QStringLiteral("pending"));
    QVERIFY(!view->controls()->rollbackButton()->isEnabled());
    QVERIFY(!view->controls()->rollbackReason().isEmpty());
    saveShots(&window, QStringLiteral("run_view_start"));

    // Every progress report: never above 100 %, never more rows than the estimate.
    double maxPercent = 0;
    qint64 overshoots = 0, lastRows = 0;
    QElapsedTimer backfillClock;
    qint64 backfillMs = -1;
    connect(view->controller(), &ui::RunController::progress, this, [&](const run::Progress& p) {
        if (!backfillClock.isValid())
            backfillClock.start();
        maxPercent = qMax(maxPercent, p.percent());
        if (p.rowsDone > p.rowsTotal)
            ++overshoots;
        lastRows = p.rowsDone;
    });
    connect(view->controller(), &ui::RunController::stepStateChanged, this, [&](int i, const QString& s, const QString&) {
        if (i == backfillIndex && s == QLatin1String("done") && backfillClock.isValid())
            backfillMs = backfillClock.elapsed();
    });

    StallProbe probe;
    probe.setLabel(QStringLiteral("start"));
    probe.start();
    QElapsedTimer runClock;
    runClock.start();
    QElapsedTimer startCall;
    startCall.start();
    view->start();
    const qint64 startCallMs = startCall.elapsed();
    QCOMPARE(view->runState(), QStringLiteral("running"));
    QTRY_VERIFY(view->runId() > 0);   // the run is recorded in the journal off the GUI thread
    QVERIFY(!view->controls()->rollbackButton()->isEnabled());   // not while running

    // Mid-backfill: a rate cap applied live holds the backfill, with the reason and an ETA on screen.
    probe.setLabel(QStringLiteral("backfill"));
    QTRY_VERIFY_WITH_TIMEOUT(lastRows >= 40000, 60000);
    probe.setLabel(QStringLiteral("backfill, capped"));
    view->controls()->rateCapBox()->setValue(40000);
    QTRY_VERIFY_WITH_TIMEOUT(view->progressView()->throttleText().contains(QLatin1String("rate cap 40,000")), 10000);
    const qint64 rowsAtCap = lastRows;
    QElapsedTimer capClock;
    capClock.start();
    QTest::qWait(2500);
    const double cappedRate = double(lastRows - rowsAtCap) * 1000.0 / double(capClock.elapsed());
    QVERIFY2(view->progressView()->etaText().startsWith(QLatin1String("ETA")), qPrintable(view->progressView()->etaText()));
    QVERIFY2(!view->progressView()->etaText().contains(QLatin1String("measuring")), qPrintable(view->progressView()->etaText()));
    QCOMPARE(view->stepList()->state(backfillIndex), QStringLiteral("running"));
    QVERIFY(view->stepList()->elapsedSeconds(backfillIndex) > 0);
    probe.suspend();
    saveShots(&window, QStringLiteral("run_view_throttled"));
    probe.resume();
    view->controls()->rateCapBox()->setValue(0);
    probe.setLabel(QStringLiteral("backfill, cap lifted"));
    QTRY_VERIFY_WITH_TIMEOUT(view->progressView()->throttleText().isEmpty(), 10000);

    // The run stops at the switch gate; the verification finds no row differing.
    probe.setLabel(QStringLiteral("to the gate"));
    QTRY_COMPARE_WITH_TIMEOUT(view->runState(), QStringLiteral("at-switch-gate"), 180000);
    const qint64 toGateMs = runClock.elapsed();
    QCOMPARE(view->progressView()->barValue(), 1000);
    QVERIFY2(maxPercent <= 100.0, qPrintable(QString::number(maxPercent)));
    QCOMPARE(overshoots, 0);
    QCOMPARE(lastRows, qint64(500000));
    for (int i = 0; i < switchIndex; ++i)
        QCOMPARE(view->stepList()->state(i), QStringLiteral("done"));
    QCOMPARE(view->stepList()->state(switchIndex), QStringLiteral("pending"));
    QTRY_VERIFY_WITH_TIMEOUT(view->findChild<QLabel*>(QStringLiteral("switchGateText"))->text().contains(QLatin1String("0 rows differ")),
                             60000);
    QVERIFY(view->controls()->rollbackButton()->isEnabled());
    QVERIFY(view->charts()->stepMarkCount() >= switchIndex);
    QVERIFY(view->charts()->progressCount() > 0);

    view->openSwitchGate();
    QPointer<ui::SwitchGateDialog> gate = view->gateDialog();
    QVERIFY(gate);
    QTRY_COMPARE(gate->rowsDiffering(), qint64(0));
    QVERIFY(!gate->continueButton()->isEnabled());   // not before the user confirms
    gate->confirmBox()->setChecked(true);
    QVERIFY(gate->continueButton()->isEnabled());
    probe.suspend();
    saveShots(&window, QStringLiteral("run_view_switch_gate"));
    saveShots(gate, QStringLiteral("run_view_switch_gate_dialog"));
    probe.resume();
    probe.setLabel(QStringLiteral("switch: click"));
    QTest::mouseClick(gate->continueButton(), Qt::LeftButton);
    probe.setLabel(QStringLiteral("switch"));
    QTRY_COMPARE_WITH_TIMEOUT(view->runState(), QStringLiteral("done"), 60000);
    QCOMPARE(view->stepList()->state(switchIndex), QStringLiteral("done"));

    // Rollback: the confirmation lists exactly the steps it undoes, last first, with their SQL.
    QVERIFY(view->controls()->rollbackButton()->isEnabled());
    QTest::mouseClick(view->controls()->rollbackButton(), Qt::LeftButton);
    QPointer<ui::RollbackDialog> rollback = view->rollbackDialog();
    QVERIFY(rollback);
    QCOMPARE(rollback->itemCount(), switchIndex + 1);
    QVERIFY2(rollback->itemText(0).startsWith(QStringLiteral("%1.").arg(switchIndex + 1)), qPrintable(rollback->itemText(0)));
    QVERIFY2(rollback->itemText(switchIndex).contains(QLatin1String("DROP COLUMN")), qPrintable(rollback->itemText(switchIndex)));
    QVERIFY(rollback->shownText().contains(QLatin1String("ALTER TABLE \"public\".\"big\" DROP COLUMN IF EXISTS \"twice\";")));
    probe.suspend();
    saveShots(rollback, QStringLiteral("run_view_rollback_dialog"));
    probe.resume();
    probe.setLabel(QStringLiteral("rollback"));
    QTest::mouseClick(rollback->rollbackButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(view->runState(), QStringLiteral("rolled-back"), 60000);
    for (int i = 0; i <= switchIndex; ++i)
        QCOMPARE(view->stepList()->state(i), QStringLiteral("rolled-back"));
    QVERIFY(!view->controls()->rollbackButton()->isEnabled());
    QVERIFY(!view->controls()->startButton()->isEnabled());
    QTest::qWait(300);   // the retired session's threads are joined on the event loop: measure that too
    probe.suspend();
    saveShots(&window, QStringLiteral("run_view_rolled_back"));

    QCOMPARE(pgDumpSchema(db, QStringLiteral("public.big")), schemaBefore);
    qInfo("start() returned after %lld ms", startCallMs);
    qInfo("event loop: longest stall of its own %.0f ms (during %s); longest wall-clock gap %lld ms, of which %.0f ms "
          "waiting for a CPU (during %s)",
          probe.worstOwn(), qPrintable(probe.worstOwnAt()), probe.worstWall(), probe.worstWallWait(),
          qPrintable(probe.worstWallAt()));
    qInfo("to the gate %lld ms; backfill %lld ms (%.0f rows/s); rows/s while capped at 40000: %.0f", toGateMs, backfillMs,
          backfillMs > 0 ? 500000.0 * 1000.0 / double(backfillMs) : 0.0, cappedRate);
    QVERIFY2(probe.worstOwn() <= 50, qPrintable(QStringLiteral("the event loop stalled %1 ms during %2")
                                                    .arg(probe.worstOwn()).arg(probe.worstOwnAt())));
    // However busy the machine, a gap this long would be a wait of the view's own that the figure above missed.
    QVERIFY2(probe.worstWall() <= 500, qPrintable(QString::number(probe.worstWall())));
}

void TestRunView::blockerPanelCancelsTheBlocker()
{
    const QString db = freshDatabase(QStringLiteral("runview_lock"));
    auto conn = lockstep::test::connect(db);
    createBigTable(*conn, 2000);
    const Plan plan = planFor(db, twiceChange());
    QTemporaryDir dir;

    // A single statement that holds the table's ACCESS SHARE lock for a minute: the ADD COLUMN waits on it.
    auto blocker = lockstep::test::connect(db);
    const int blockerPid = blocker->backendPid();
    std::atomic<bool> cancelled{false};
    std::thread holder([&] {
        try {
            blocker->exec(QStringLiteral("SELECT pg_sleep(60) FROM big LIMIT 1"));
        } catch (const pg::PgException& e) {
            cancelled = e.error().sqlstate == QLatin1String("57014");
        }
    });
    // Whatever happens below, the holder ends before the test returns.
    struct Join {
        std::thread& t;
        pg::Connection& c;
        int pid;
        ~Join()
        {
            if (!t.joinable())
                return;
            try {
                c.exec(QStringLiteral("SELECT pg_cancel_backend($1)"), {pid});
            } catch (...) {
            }
            t.join();
        }
    } join{holder, *conn, blockerPid};
    QTRY_COMPARE_WITH_TIMEOUT(
        scalar(*conn, QStringLiteral("SELECT count(*) FROM pg_locks WHERE pid = %1 AND relation = 'big'::regclass").arg(blockerPid)),
        QStringLiteral("1"), 10000);

    QMainWindow window;
    auto* view = new ui::RunView(&window);
    window.setCentralWidget(view);
    window.resize(1600, 1000);
    window.show();
    view->setJournalPath(dir.filePath(QStringLiteral("journal.sqlite")));
    view->setConnection(db);
    run::RunOptions options;
    options.lockTimeoutMs = 200;
    options.maxAttempts = 200;
    options.backoffCapMs = 400;
    view->setOptions(options, 5.0);
    view->setPlan(plan);
    view->start();

    ui::BlockerPanel* panel = view->blockerPanel();
    QTRY_VERIFY_WITH_TIMEOUT(panel->isVisible() && panel->blockerPids().contains(blockerPid), 20000);
    QCOMPARE(panel->stepIndex(), 0);
    QCOMPARE(view->stepList()->state(0), QStringLiteral("waiting-for-lock"));
    QCOMPARE(view->runState(), QStringLiteral("waiting-for-lock"));
    panel->selectPid(blockerPid);
    QCOMPARE(panel->selectedPid(), blockerPid);
    saveShots(&window, QStringLiteral("run_view_blocked"));

    // "Keep retrying" changes nothing but says so; the step keeps waiting.
    QTest::mouseClick(panel->findChild<QPushButton*>(QStringLiteral("keepRetryingButton")), Qt::LeftButton);
    QTest::qWait(600);
    QVERIFY(!cancelled);
    QCOMPARE(view->stepList()->state(0), QStringLiteral("waiting-for-lock"));

    // "Cancel the blocker…" asks first; declining leaves the blocker alone.
    QTest::mouseClick(panel->findChild<QPushButton*>(QStringLiteral("cancelBlockerButton")), Qt::LeftButton);
    QPointer<QMessageBox> confirm = panel->pendingConfirmation();
    QVERIFY(confirm);
    QVERIFY(confirm->text().contains(QString::number(blockerPid)));
    saveShots(confirm, QStringLiteral("run_view_cancel_confirmation"));
    QTest::mouseClick(buttonWithRole(confirm, QMessageBox::RejectRole), Qt::LeftButton);
    QTest::qWait(500);
    QVERIFY(!cancelled);

    QTest::mouseClick(panel->findChild<QPushButton*>(QStringLiteral("cancelBlockerButton")), Qt::LeftButton);
    confirm = panel->pendingConfirmation();
    QVERIFY(confirm);
    QTest::mouseClick(buttonWithRole(confirm, QMessageBox::AcceptRole), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(cancelled.load(), 10000);
    holder.join();
    // The step proceeds: it takes its lock on the next attempt, and the panel goes away.
    QTRY_COMPARE_WITH_TIMEOUT(view->stepList()->state(0), QStringLiteral("done"), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(!panel->isVisible(), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(view->runState(), QStringLiteral("at-switch-gate"), 60000);
}

void TestRunView::rollbackIsDisabledPastTheContract()
{
    const QString db = freshDatabase(QStringLiteral("runview_contract"));
    auto conn = lockstep::test::connect(db);
    createBigTable(*conn, 3000);
    const Plan plan = planFor(db, twiceChange());
    QTemporaryDir dir;
    QMainWindow window;
    auto* view = new ui::RunView(&window);
    window.setCentralWidget(view);
    window.resize(1280, 720);
    window.show();
    view->setJournalPath(dir.filePath(QStringLiteral("journal.sqlite")));
    view->setConnection(db);
    view->setPlan(plan);
    view->start();
    QTRY_COMPARE_WITH_TIMEOUT(view->runState(), QStringLiteral("at-switch-gate"), 60000);
    view->openSwitchGate();
    QPointer<ui::SwitchGateDialog> gate = view->gateDialog();
    QVERIFY(gate);
    QTRY_COMPARE_WITH_TIMEOUT(gate->rowsDiffering(), qint64(0), 30000);
    gate->confirmBox()->setChecked(true);
    QTest::mouseClick(gate->continueButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(view->runState(), QStringLiteral("done"), 60000);
    QVERIFY(view->controls()->rollbackButton()->isEnabled());   // after the switch a rollback is still possible

    // The contract: asked for once more, then the rollback button says why it is gone.
    auto* next = view->findChild<QPushButton*>(QStringLiteral("switchGateButton"));
    QVERIFY(next && next->isVisible());
    QTest::mouseClick(next, Qt::LeftButton);
    auto* confirm = view->findChild<QMessageBox*>(QStringLiteral("contractConfirmation"));
    QVERIFY(confirm);
    QTest::mouseClick(buttonWithRole(confirm, QMessageBox::AcceptRole), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(view->runState(), QStringLiteral("done"), 60000);
    QTRY_COMPARE_WITH_TIMEOUT(view->stepList()->state(plan.steps.size() - 1), QStringLiteral("done"), 60000);
    QVERIFY(!view->controls()->rollbackButton()->isEnabled());
    QVERIFY2(view->controls()->rollbackReason().contains(QLatin1String("point of no return")),
             qPrintable(view->controls()->rollbackReason()));
    QCOMPARE(view->controls()->rollbackButton()->toolTip(), view->controls()->rollbackReason());
    QCOMPARE(psqlScalar(db, QStringLiteral("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'big'::regclass AND NOT tgisinternal")),
             QStringLiteral("0"));
    saveShots(&window, QStringLiteral("run_view_after_contract"));
}

QTEST_MAIN(TestRunView)
#include "test_run_view.moc"
