// SPDX-License-Identifier: GPL-3.0-or-later
// A run as the CLI and the GUI drive it (RunSession: Runner + Monitor on their own threads): with replay
// paused on the streaming replica, the backfill holds with the reason "replica lag" soon after the lag passes
// the threshold, keeps its ETA while held, and finishes after replay resumes; samples reach the journal.
#include "core/run/run_session.h"
#include "tests/pg/test_runner_support.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

using namespace lockstep;
using namespace lockstep::test;

class TestRunSession : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        LocalClusterOptions options;
        options.withReplica = true;
        // The standby reports its position every second (default 10 s), so the lag clears promptly.
        options.settings << QStringLiteral("wal_receiver_status_interval=1s");
        sharedClusterWith(options);
    }

    void throttlesOnReplicaLagAndContinues()
    {
        const QString db = freshDatabase(QStringLiteral("session_lag"));
        auto conn = lockstep::test::connect(db);
        createBigTable(*conn, 300000, /*padded=*/true);
        QTemporaryDir dir;
        const QString journalPath = dir.filePath(QStringLiteral("j.sqlite"));
        qint64 runId = 0;
        {
            store::Journal journal(journalPath);
            runId = run::createRun(journal, planFor(db, twiceChange()), db, Phase::Constrain);
        }
        auto replica = lockstep::test::connect(sharedCluster().replicaConninfo(db.section(QStringLiteral("dbname="), 1).section(QLatin1Char(' '), 0, 0)));

        run::RunOptions options;
        options.targetBatchMs = 50;
        options.maxRowsPerSecond = 60000;   // long enough to pause the replica in the middle
        run::RunSession session(db, journalPath, runId, options, /*maxLagSeconds=*/1.0);
        QElapsedTimer clock;
        clock.start();
        qint64 pausedAtMs = -1, throttledAtMs = -1, resumedAtMs = -1;
        qint64 rowsWhenThrottled = 0, maxRowsWhileHeld = 0;
        double etaWhileHeld = -1;
        QString reason, outcome;
        int samples = 0;
        connect(&session, &run::RunSession::sampled, this, [&](const pg::MonitorSample&) { ++samples; });
        connect(&session, &run::RunSession::progress, this, [&](const run::Progress& p) {
            if (pausedAtMs < 0 && p.rowsDone >= 40000) {
                replica->exec(QStringLiteral("SELECT pg_wal_replay_pause()"));
                pausedAtMs = clock.elapsed();
            }
            if (pausedAtMs >= 0 && throttledAtMs < 0 && p.throttleReason.contains(QLatin1String("replica lag"))) {
                throttledAtMs = clock.elapsed();
                reason = p.throttleReason;
                rowsWhenThrottled = p.rowsDone;
            }
            if (throttledAtMs >= 0 && resumedAtMs < 0) {
                maxRowsWhileHeld = qMax(maxRowsWhileHeld, p.rowsDone);
                if (!p.throttleReason.isEmpty())
                    etaWhileHeld = p.etaSeconds;
                if (clock.elapsed() - throttledAtMs > 2000) {
                    replica->exec(QStringLiteral("SELECT pg_wal_replay_resume()"));
                    resumedAtMs = clock.elapsed();
                }
            }
        });
        QEventLoop loop;
        connect(&session, &run::RunSession::finished, &loop, [&](const QString& o, const QString&) {
            outcome = o;
            loop.quit();
        });
        QTimer::singleShot(180000, &loop, &QEventLoop::quit);
        session.start(run::RunSession::Action::Start);
        loop.exec();
        if (resumedAtMs < 0)
            replica->exec(QStringLiteral("SELECT pg_wal_replay_resume()"));

        QVERIFY2(pausedAtMs >= 0, "replay was never paused: the backfill ended too soon");
        QVERIFY2(throttledAtMs >= 0, "the backfill never held for replica lag");
        const qint64 reactionMs = throttledAtMs - pausedAtMs;
        qInfo("replay paused at %lld ms; backfill held after %lld ms (%s); resumed at %lld ms",
              pausedAtMs, reactionMs, qPrintable(reason), resumedAtMs);
        // The lag must first pass 1 s (it counts from the pause), then two 500 ms monitor ticks, plus a batch.
        QVERIFY2(reactionMs <= 1000 + 2 * 500 + 700, qPrintable(QString::number(reactionMs)));
        // While held, at most the batch in flight committed.
        QVERIFY2(maxRowsWhileHeld - rowsWhenThrottled <= 10000, qPrintable(QString::number(maxRowsWhileHeld - rowsWhenThrottled)));
        QVERIFY2(etaWhileHeld >= 0, "the ETA vanished while throttled");
        QCOMPARE(outcome, QStringLiteral("done"));
        QCOMPARE(conn->exec(QStringLiteral("SELECT count(*) FROM big WHERE twice IS DISTINCT FROM qty * 2")).value(0, 0),
                 QStringLiteral("0"));
        QVERIFY(samples >= 4);
        store::Journal journal(journalPath);
        QVERIFY(journal.samples(runId).size() >= samples - 1);   // the last one may still be on its way
    }
};

QTEST_GUILESS_MAIN(TestRunSession)
#include "test_run_session.moc"
