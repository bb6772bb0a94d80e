// SPDX-License-Identifier: GPL-3.0-or-later
// The History's read of a past run: everything in one load, whether its owner still lives (a dead or a
// recycled pid is no owner), when a rollback is no longer possible, and the backfill figures replayed from
// progress events or, without them, from the checkpoint.
#include "core/store/run_history.h"
#include "tests/unit/test_journal_support.h"

#include <QCoreApplication>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace lockstep;
using namespace lockstep::store;

namespace {

// The pid of a process that has exited (and been reaped): no process owns it now.
qint64 deadPid()
{
    QProcess p;
    qint64 pid = 0;
    QObject::connect(&p, &QProcess::started, [&] { pid = p.processId(); });
    p.start(QStringLiteral("true"), {});
    p.waitForFinished(10000);
    return pid;
}

pg::MonitorSample sampleAt(const QDateTime& at, int waiting)
{
    pg::MonitorSample s;
    s.at = at;
    s.intervalSeconds = 0.5;
    s.waitingLocks = waiting;
    s.transactionsPerSecond = 120;
    pg::ReplicaLag r;
    r.name = QStringLiteral("replica1");
    r.replayLagBytes = 4096;
    r.replayLagSeconds = 0.2;
    s.replicas.append(r);
    return s;
}

} // namespace

class TestRunHistory : public QObject {
    Q_OBJECT
private slots:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("history-%1.sqlite").arg(++m_count));
    }

    void loadsEverythingOfOneRun()
    {
        Journal j(m_path);
        const qint64 id = j.createRun(test::journalTestPlan(), QStringLiteral("host=/tmp dbname=shop"), QStringLiteral("15.4"), QStringLiteral("constrain"));
        const qint64 other = j.createRun(test::journalTestPlan(), QStringLiteral("host=/tmp dbname=shop"), QStringLiteral("15.4"), QStringLiteral("constrain"));
        j.setStepState(id, 0, StepState::Done);
        j.setStepState(id, 1, StepState::Running);
        const QDateTime t0 = QDateTime::currentDateTimeUtc().addSecs(-30);
        for (int i = 0; i < 7; ++i)
            j.addSample(id, t0.addMSecs(500 * i), sampleAt(t0.addMSecs(500 * i), i).toJson());
        j.addSample(other, t0, sampleAt(t0, 9).toJson());
        Checkpoint cp;
        cp.runId = id;
        cp.stepIndex = 1;
        cp.lastKey = QStringList{QStringLiteral("500"), QStringLiteral("1")};
        cp.rowsDone = 5000;
        cp.batches = 5;
        j.saveCheckpoint(cp);
        j.addEvent(id, QStringLiteral("lock-wait"), QStringLiteral("step 0: waited"));

        const RunHistory h = loadRunHistory(j, id);
        QCOMPARE(h.run.id, id);
        QCOMPARE(h.steps.size(), 3);
        QCOMPARE(h.samples.size(), 7);                      // not the other run's
        QCOMPARE(h.samples.at(3).waitingLocks, 3);
        QCOMPARE(h.samples.at(3).at, t0.addMSecs(1500));
        QCOMPARE(h.samples.first().replicas.first().name, QStringLiteral("replica1"));
        QCOMPARE(h.events.size(), 1);
        QCOMPARE(h.checkpoints.size(), 1);
        QCOMPARE(h.checkpoints.value(1).rowsDone, qint64(5000));
        QVERIFY(h.lastActivity() >= h.steps.at(1).startedAt);
        QVERIFY_THROWS_EXCEPTION(JournalError, loadRunHistory(j, 999));
    }

    void livenessFollowsTheOwnerProcess()
    {
        Journal j(m_path);
        const qint64 id = j.createRun(test::journalTestPlan(), QStringLiteral("dbname=shop"), QStringLiteral("15.4"), QStringLiteral("constrain"));
        const QDateTime now = QDateTime::currentDateTimeUtc();
        RunRecord run = *j.run(id);
        QCOMPARE(run.ownerPid, QCoreApplication::applicationPid());
        QCOMPARE(runLiveness(run, now), RunLiveness::Active);

        const qint64 gone = deadPid();
        QVERIFY(gone > 0);
        QVERIFY(!ownerProcessAlive(gone, now));
        j.setRunOwner(id, gone);
        QCOMPARE(runLiveness(*j.run(id), now), RunLiveness::CutOff);
        j.setRunState(id, RunState::RollingBack);
        QCOMPARE(runLiveness(*j.run(id), now), RunLiveness::CutOff);
        j.setRunState(id, RunState::Paused);
        QCOMPARE(runLiveness(*j.run(id), now), RunLiveness::Stopped);
        j.setRunState(id, RunState::Failed, QStringLiteral("boom"));
        QCOMPARE(runLiveness(*j.run(id), now), RunLiveness::Stopped);
        j.setRunState(id, RunState::Done);
        QCOMPARE(runLiveness(*j.run(id), now), RunLiveness::Finished);

        // This process is alive, but it started long after a run last written to a day ago: a recycled pid.
        const qint64 self = QCoreApplication::applicationPid();
        QVERIFY(ownerProcessAlive(self, now));
        QVERIFY(!ownerProcessAlive(self, now.addDays(-1)));
        QVERIFY(!ownerProcessAlive(0, now));
    }

    void rollbackIsBlockedPastThePointOfNoReturn()
    {
        Plan plan = test::journalTestPlan();
        plan.steps[2].reversible = false;
        plan.steps[2].title = QStringLiteral("Drop column \"price\"");
        Journal j(m_path);
        const qint64 id = j.createRun(plan, QStringLiteral("dbname=shop"), QStringLiteral("15.4"), QStringLiteral("contract"));
        j.setStepState(id, 0, StepState::Done);
        j.setStepState(id, 1, StepState::Done);
        QVERIFY(rollbackBlockedReason(loadRunHistory(j, id)).isEmpty());
        j.setStepState(id, 2, StepState::Done);
        QVERIFY(rollbackBlockedReason(loadRunHistory(j, id)).contains(QLatin1String("Drop column")));
        j.setRunState(id, RunState::RolledBack);
        QVERIFY(!rollbackBlockedReason(loadRunHistory(j, id)).isEmpty());
    }

    void progressFromCheckpointWhenNotJournaled()
    {
        Journal j(m_path);
        const qint64 id = j.createRun(test::journalTestPlan(), QStringLiteral("dbname=shop"), QStringLiteral("15.4"), QStringLiteral("constrain"));
        j.setStepState(id, 1, StepState::Running);
        QTest::qWait(300);
        Checkpoint cp;
        cp.runId = id;
        cp.stepIndex = 1;
        cp.rowsDone = 9000;
        cp.batches = 9;
        j.saveCheckpoint(cp);
        j.setStepState(id, 1, StepState::Done);
        const RunHistory h = loadRunHistory(j, id);
        const QVector<ProgressPoint> points = replayedProgress(h);
        QCOMPARE(points.size(), 2);
        QVERIFY(!points.first().measured);
        QCOMPARE(points.first().at, h.steps.at(1).startedAt);
        QCOMPARE(points.last().at, h.steps.at(1).endedAt);
        const double seconds = h.steps.at(1).startedAt.msecsTo(h.steps.at(1).endedAt) / 1000.0;
        QVERIFY(seconds >= 0.25);
        QVERIFY(qAbs(points.first().progress.rowsPerSecond - 9000 / seconds) < 1e-6);
        QCOMPARE(points.first().progress.lastBatchMs, 0);
    }

    void progressEventsRoundTrip()
    {
        Journal j(m_path);
        const qint64 id = j.createRun(test::journalTestPlan(), QStringLiteral("dbname=shop"), QStringLiteral("15.4"), QStringLiteral("constrain"));
        for (int i = 1; i <= 4; ++i) {
            run::Progress p;
            p.stepIndex = 1;
            p.rowsDone = 1000 * i;
            p.rowsTotal = 4000;
            p.rowsPerSecond = 2500.5 + i;
            p.batchRows = 1000;
            p.lastBatchMs = 40 + i;
            p.batches = i;
            p.throttleReason = i == 3 ? QStringLiteral("replica lag 2.1 s") : QString();
            j.addEvent(id, QLatin1String(kProgressEventKind), progressEventMessage(p));
        }
        j.addEvent(id, QStringLiteral("backfill-done"), QStringLiteral("4000 rows in 4 batches"));
        const QVector<ProgressPoint> points = replayedProgress(loadRunHistory(j, id));
        QCOMPARE(points.size(), 4);
        QVERIFY(points.at(2).measured);
        QCOMPARE(points.at(2).progress.rowsDone, qint64(3000));
        QCOMPARE(points.at(2).progress.lastBatchMs, 43);
        QCOMPARE(points.at(2).progress.rowsPerSecond, 2503.5);
        QCOMPARE(points.at(2).progress.throttleReason, QStringLiteral("replica lag 2.1 s"));
        QVERIFY(points.at(0).at.isValid() && points.at(0).at <= points.at(3).at);
    }

private:
    QTemporaryDir m_dir;
    QString m_path;
    int m_count = 0;
};

QTEST_GUILESS_MAIN(TestRunHistory)
#include "test_run_history.moc"
