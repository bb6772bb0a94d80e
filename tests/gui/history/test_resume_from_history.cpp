// SPDX-License-Identifier: GPL-3.0-or-later
// A run cut off by a crash, resumed from the History tab of the window: `lockstep run` is killed with SIGKILL
// mid-backfill; the window, connected to the same server, lists it as cut off, Resume reopens it in the Run
// tab and it goes on to the switch gate with every row right. A run made on another server is refused. Run ▶
// on the same change then reopens the parked run instead of starting a second one.
#include "core/store/journal.h"
#include "tests/support/pg_fixture.h"
#include "ui/history/history_view.h"
#include "ui/plan/plan_view.h"
#include "ui/window/main_window.h"
#include "ui/run/run_flow.h"
#include "ui/run/run_view.h"
#include "ui/window/workspace.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include <csignal>

using namespace lockstep;

class TestResumeFromHistory : public QObject {
    Q_OBJECT
private slots:
    void resumesACutOffRunToTheGate();
};

void TestResumeFromHistory::resumesACutOffRunToTheGate()
{
    QStandardPaths::setTestModeEnabled(true);
    const QString journalPath = store::Journal::defaultPath();
    QFile::remove(journalPath);
    const QString db = test::freshDatabase(QStringLiteral("resume_gui"));
    test::connect(db)->execScript(QStringLiteral(
        "CREATE TABLE big (id bigint PRIMARY KEY, qty int NOT NULL);"
        "INSERT INTO big SELECT g, g % 1000 FROM generate_series(1, 300000) g; ANALYZE big;"));

    // The crash: the CLI's run killed once its backfill is well under way.
    QProcess proc;
    proc.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    proc.start(QStringLiteral(LOCKSTEP_BINARY),
               {"run", "--db", db, "--journal", journalPath, "--table", "big", "--add-column", "twice", "--type",
                "bigint", "--backfill", "qty * 2", "--not-null", "--max-rows-per-sec", "40000"});
    QVERIFY(proc.waitForStarted(10000));
    qint64 runId = 0;
    bool midway = false;
    QElapsedTimer clock;
    clock.start();
    while (!midway && clock.elapsed() < 90000 && proc.state() != QProcess::NotRunning) {
        QTest::qWait(100);
        store::Journal journal(journalPath);
        for (const store::RunRecord& r : journal.runs()) {
            runId = r.id;
            for (const store::StepRecord& s : journal.steps(r.id))
                if (auto cp = journal.checkpoint(r.id, s.index); cp && cp->rowsDone > 30000)
                    midway = true;
        }
    }
    QVERIFY2(midway, "the CLI run never got well into its backfill");
    ::kill(pid_t(proc.processId()), SIGKILL);
    QVERIFY(proc.waitForFinished(10000));
    QVERIFY(test::psqlScalar(db, QStringLiteral("SELECT count(*) FROM big WHERE twice IS NULL")) != QLatin1String("0"));

    ui::MainWindow w;
    w.resize(1600, 1000);
    w.show();
    w.connectTo(db, QStringLiteral("resume"));
    QTRY_VERIFY_WITH_TIMEOUT(w.isCatalogLoaded(), 30000);

    // A run made on another server is never reopened against this one.
    {
        store::Journal journal(journalPath);
        const qint64 elsewhere = journal.createRun(journal.run(runId)->plan, QStringLiteral("host=elsewhere.example dbname=shop"),
                                                   QStringLiteral("15"), QStringLiteral("constrain"));
        QVERIFY2(w.runFlow()->whyNotOpen(elsewhere).contains(QLatin1String("elsewhere.example")),
                 qPrintable(w.runFlow()->whyNotOpen(elsewhere)));
        QVERIFY(w.runFlow()->whyNotOpen(runId).isEmpty());
    }

    ui::HistoryView* history = w.workspace()->historyView();
    history->reload();
    history->selectRun(runId);
    QTRY_VERIFY_WITH_TIMEOUT(history->canResume(), 10000);
    QPushButton* resume = nullptr;
    for (QPushButton* b : history->findChildren<QPushButton*>())
        if (b->text().contains(QLatin1String("Resume")))
            resume = b;
    QVERIFY(resume && resume->isEnabled());
    resume->click();

    ui::RunView* run = w.workspace()->runView();
    QTRY_VERIFY_WITH_TIMEOUT(run->runState() == QLatin1String("at-switch-gate") || run->runState() == QLatin1String("failed"),
                             120000);
    QCOMPARE(run->runState(), QStringLiteral("at-switch-gate"));
    QCOMPARE(run->runId(), runId);
    QCOMPARE(test::psqlScalar(db, QStringLiteral("SELECT count(*) FROM big WHERE twice IS DISTINCT FROM qty * 2")), QStringLiteral("0"));
    QCOMPARE(test::psqlScalar(db, QStringLiteral("SELECT attnotnull FROM pg_attribute WHERE attrelid = 'big'::regclass AND attname = 'twice'")),
             QStringLiteral("t"));

    // One run per change: with the run parked at the gate, Run ▶ on the same plan reopens that run (from
    // another tab too) and starts no second one; History lists it at the gate, not as done.
    int runsBefore = 0;
    Plan samePlan;
    {
        store::Journal journal(journalPath);
        runsBefore = journal.runs().size();
        samePlan = journal.run(runId)->plan;
    }
    w.workspace()->planView()->setPlan(samePlan);
    w.workspace()->showPlan();
    QSignalSpy said(w.runFlow(), &ui::RunFlow::message);
    w.runFlow()->runPlan();
    QCOMPARE(said.size(), 1);
    const QString text = said.first().first().toString();
    QVERIFY2(text.contains(QStringLiteral("belongs to run %1 (parked at the switch gate)").arg(runId)), qPrintable(text));
    QCOMPARE(run->runId(), runId);
    QCOMPARE(run->runState(), QStringLiteral("at-switch-gate"));
    QVERIFY(run->isVisible());
    QCOMPARE(int(store::Journal(journalPath).runs().size()), runsBefore);
    history->reload();
    QVERIFY(history->selectRun(runId));
    QVERIFY(history->canResume() && history->canRollback());
    // History's "Open at the gate" opens it there and starts nothing.
    w.runFlow()->resumePastRun(runId);
    QCOMPARE(run->runState(), QStringLiteral("at-switch-gate"));
    QVERIFY(!run->isRunActive());
    QCOMPARE(store::Journal(journalPath).run(runId)->state, store::RunState::Done);
}

QTEST_MAIN(TestResumeFromHistory)
#include "test_resume_from_history.moc"
