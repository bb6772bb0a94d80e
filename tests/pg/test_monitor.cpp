// SPDX-License-Identifier: GPL-3.0-or-later
// The Monitor on a real PostgreSQL 15 with a streaming replica: lag in bytes and seconds while replay is
// paused under writes and back to ~0 after it resumes, no replicas seen from the standby itself, table and
// transaction rates against rows counted here, lock waits and the ones the "runner" causes, the worker
// ticking on its own QThread, and one failed() per outage followed by recovered() across a restart.
#include "core/pg/monitor.h"
#include "core/pg/monitor_wal_history.h"
#include "tests/support/pg_fixture.h"

#include <QElapsedTimer>
#include <QThread>
#include <QtTest>

#include <atomic>
#include <thread>

using namespace lockstep;
using namespace lockstep::test;
using lockstep::pg::Monitor;
using lockstep::pg::MonitorSample;
using lockstep::pg::WalPositionHistory;

namespace {
LocalCluster& clusterWithReplica()
{
    LocalClusterOptions options;
    options.withReplica = true;
    return sharedClusterWith(options);
}

quint32 tableOid(pg::Connection& c, const QString& table)
{
    return c.exec(QStringLiteral("SELECT $1::regclass::oid"), {table}).value(0, 0).toUInt();
}

// Resumes replay on the standby when a test leaves, whatever happened in it.
struct ReplayResumer {
    pg::Connection* standby;
    ~ReplayResumer()
    {
        try {
            standby->exec(QStringLiteral("SELECT pg_wal_replay_resume()"));
        } catch (...) {
        }
    }
};
} // namespace

class TestMonitor : public QObject {
    Q_OBJECT
private:
    QString m_db;
    QString m_dbName = QStringLiteral("monitor_1");

private slots:
    void initTestCase()
    {
        LocalCluster& cluster = clusterWithReplica();
        m_db = cluster.createDatabase(m_dbName);
        auto c = test::connect(m_db);
        c->execScript(QStringLiteral("CREATE TABLE rates (id bigserial PRIMARY KEY, v int);"
                                     "CREATE TABLE lagwrites (id bigserial PRIMARY KEY, v text);"
                                     "CREATE TABLE locked (id int PRIMARY KEY);"));
        // The standby replays the new database a moment later; the tests connect to it there too.
        QElapsedTimer t;
        t.start();
        for (;;) {
            try {
                test::connect(cluster.replicaConninfo(m_dbName))->exec(QStringLiteral("SELECT 'locked'::regclass"));
                break;
            } catch (const std::exception& e) {
                if (t.elapsed() > 15000)
                    QFAIL(e.what());
                QThread::msleep(100);
            }
        }
    }

    void walHistoryInterpolatesByPosition()
    {
        QVERIFY(!WalPositionHistory::parseLsn(QStringLiteral("nonsense")));
        QVERIFY(!WalPositionHistory::parseLsn(QStringLiteral("1/")));
        QCOMPARE(*WalPositionHistory::parseLsn(QStringLiteral("16/B374D848")), (quint64(0x16) << 32) | 0xB374D848u);

        WalPositionHistory h(100);
        QCOMPARE(h.secondsBehind(5, 1000), 0.0);
        h.add(0, 1000);
        h.add(1000, 1000);
        h.add(2000, 1000);     // quiet: collapses into the previous entry
        QCOMPARE(h.size(), 2);
        h.add(3000, 2000);     // 1000 bytes written between 2 s and 3 s
        QCOMPARE(h.secondsBehind(2000, 3000), 0.0);
        QCOMPARE(h.secondsBehind(1000, 3000), 1.0);          // WAL after 1000 dates from 2 s (the last quiet tick)
        QCOMPARE(h.secondsBehind(1500, 3000), 0.5);          // halfway through the burst
        QCOMPARE(h.secondsBehind(1000, 10000), 8.0);         // a replica standing still keeps ageing
        bool beyond = false;
        QCOMPARE(h.secondsBehind(10, 3000, &beyond), 3.0);   // older than all we know: a lower bound
        QVERIFY(beyond);
        h.add(4000, 500);                                    // going backwards: another server
        QCOMPARE(h.size(), 1);

        WalPositionHistory bounded(3);
        for (int i = 0; i < 10; ++i)
            bounded.add(i * 500, quint64(i) * 100);
        QCOMPARE(bounded.size(), 3);
    }

    void sampleJsonRoundTrips()
    {
        MonitorSample s;
        s.at = QDateTime::currentDateTimeUtc();
        s.intervalSeconds = 0.5;
        s.replicas.append({QStringLiteral("r1"), 10, 20, 30, 0.1, 0.2, 3.5, QStringLiteral("streaming")});
        s.replicas.append({QStringLiteral("r2"), 1, 2, 3, 0, 0, 1.5, QStringLiteral("catchup")});
        s.waitingLocks = 2;
        s.longestLockWaitSeconds = 4.25;
        s.blockedByRunner = 1;
        s.blockedPids = {4242};
        s.tableWritesPerSecond = 123.5;
        s.transactionsPerSecond = 7;
        QCOMPARE(s.maxReplayLagSeconds(), 3.5);
        QCOMPARE(s.maxReplayLagBytes(), qint64(30));
        const MonitorSample back = MonitorSample::fromJson(s.at, s.toJson());
        QCOMPARE(back.replicas.size(), 2);
        QCOMPARE(back.replicas[0].name, QStringLiteral("r1"));
        QCOMPARE(back.replicas[0].replayLagBytes, qint64(30));
        QCOMPARE(back.replicas[1].state, QStringLiteral("catchup"));
        QCOMPARE(back.maxReplayLagSeconds(), 3.5);
        QCOMPARE(back.blockedPids, QVector<int>{4242});
        QCOMPARE(back.longestLockWaitSeconds, 4.25);
        QCOMPARE(back.tableWritesPerSecond, 123.5);
        QCOMPARE(MonitorSample().maxReplayLagSeconds(), 0.0);
    }

    void everyMonitorQueryRunsOnTheServer()
    {
        // Both lock-wait variants, whichever one this server version picks.
        auto c = test::connect(m_db);
        for (const char* name : {"monitor_lock_waits", "monitor_lock_waits_pre14"}) {
            const pg::Result r = c->exec(pg::sqlResource(QString::fromLatin1(name)), {QStringLiteral("{1,2}")});
            QCOMPARE(r.rows(), 1);
            QCOMPARE(r.value(0, "waiting"), QStringLiteral("0"));
        }
    }

    void standbySeesNoReplicas()
    {
        LocalCluster& cluster = clusterWithReplica();
        Monitor onStandby(cluster.replicaConninfo(m_dbName), 0);
        onStandby.sampleOnce();
        const MonitorSample s = onStandby.sampleOnce();
        QVERIFY(s.replicas.isEmpty());
        QCOMPARE(s.maxReplayLagSeconds(), 0.0);
        QVERIFY(!onStandby.throttleReason(0.001));

        // The primary lists its replica, caught up while nothing is written.
        Monitor onPrimary(m_db, 0);
        QElapsedTimer t;
        t.start();
        MonitorSample p;
        do {
            p = onPrimary.sampleOnce();
            QThread::msleep(200);
        } while ((p.replicas.isEmpty() || p.replicas[0].replayLagBytes != 0) && t.elapsed() < 15000);
        QCOMPARE(p.replicas.size(), 1);
        QCOMPARE(p.replicas[0].replayLagBytes, qint64(0));
        QCOMPARE(p.replicas[0].replayLagSeconds, 0.0);
        QCOMPARE(p.replicas[0].state, QStringLiteral("streaming"));
        QVERIFY(!p.replicas[0].name.isEmpty());
    }

    void replicaLagGrowsWhileReplayIsPaused()
    {
        LocalCluster& cluster = clusterWithReplica();
        auto standby = test::connect(cluster.replicaConninfo(m_dbName));
        auto writer = test::connect(m_db);
        Monitor monitor(m_db, 0);
        monitor.sampleOnce();
        ReplayResumer resumer{standby.get()};
        standby->exec(QStringLiteral("SELECT pg_wal_replay_pause()"));

        // Writes held back from now on; sample every tick, as the worker would.
        QElapsedTimer sinceHeld;
        sinceHeld.start();
        QElapsedTimer tick;
        tick.start();
        double lagSecondsAt2s = 0;
        qint64 lagBytes = 0;
        double firstAbove1s = -1;
        while (sinceHeld.elapsed() < 2500) {
            writer->exec(QStringLiteral("INSERT INTO lagwrites (v) SELECT repeat('x', 200) FROM generate_series(1, 50)"));
            QThread::msleep(20);
            if (tick.elapsed() >= Monitor::kTickMs) {
                tick.restart();
                const MonitorSample s = monitor.sampleOnce();
                QCOMPARE(s.replicas.size(), 1);
                if (sinceHeld.elapsed() <= 2100) {
                    lagSecondsAt2s = s.replicas[0].replayLagSeconds;
                    lagBytes = s.replicas[0].replayLagBytes;
                }
                if (firstAbove1s < 0 && s.replicas[0].replayLagSeconds > 1.0)
                    firstAbove1s = sinceHeld.elapsed() / 1000.0;
            }
        }
        qInfo("paused replica: %.2f s behind, %lld bytes at 2 s; above 1 s after %.2f s of held writes",
              lagSecondsAt2s, static_cast<long long>(lagBytes), firstAbove1s);
        QVERIFY(lagBytes > 0);
        QVERIFY2(lagSecondsAt2s > 1.0, qPrintable(QString::number(lagSecondsAt2s)));
        QVERIFY(firstAbove1s > 0 && firstAbove1s <= 2.0);
        const std::optional<QString> reason = monitor.throttleReason(1.0);
        QVERIFY(reason);
        QVERIFY2(reason->contains(QLatin1String("replica lag")), qPrintable(*reason));
        QVERIFY(!monitor.throttleReason(60.0));

        // Still paused with no new WAL: the lag keeps growing (the server's replay_lag would not).
        const double before = monitor.sampleOnce().maxReplayLagSeconds();
        QThread::msleep(1000);
        const double after = monitor.sampleOnce().maxReplayLagSeconds();
        QVERIFY2(after >= before + 0.9, qPrintable(QStringLiteral("%1 -> %2").arg(before).arg(after)));

        // Resumed, under a trickle of writes (the standby reports progress when WAL arrives): back to ~0.
        standby->exec(QStringLiteral("SELECT pg_wal_replay_resume()"));
        QElapsedTimer recovery;
        recovery.start();
        MonitorSample s;
        bool caughtUp = false;
        while (!caughtUp && recovery.elapsed() < 8000) {
            writer->exec(QStringLiteral("INSERT INTO lagwrites (v) VALUES ('trickle')"));
            QThread::msleep(Monitor::kTickMs);
            s = monitor.sampleOnce();
            caughtUp = s.maxReplayLagSeconds() < 0.6 && !monitor.throttleReason(1.0);
        }
        qInfo("resumed replica: %.2f s behind (%lld bytes) after %lld ms", s.maxReplayLagSeconds(),
              static_cast<long long>(s.maxReplayLagBytes()), static_cast<long long>(recovery.elapsed()));
        QVERIFY(caughtUp);
        QVERIFY(recovery.elapsed() < 5000);
    }

    void ratesFollowTheRowsWritten()
    {
        auto writer = test::connect(m_db);
        const int writerPid = writer->backendPid();
        Monitor monitor(m_db, tableOid(*writer, QStringLiteral("rates")));
        const MonitorSample first = monitor.sampleOnce();
        QCOMPARE(first.tableWritesPerSecond, 0.0);   // no baseline yet
        QCOMPARE(first.intervalSeconds, 0.0);

        QVector<MonitorSample> inLoop;
        int rows = 0;
        int statements = 0;
        QElapsedTimer loop;
        loop.start();
        QElapsedTimer tick;
        tick.start();
        while (loop.elapsed() < 3000) {
            writer->exec(QStringLiteral("INSERT INTO rates (v) SELECT g FROM generate_series(1, 40) g"));
            rows += 40;
            ++statements;
            QThread::msleep(10);
            if (tick.elapsed() >= 1000) {
                tick.restart();
                inLoop.append(monitor.sampleOnce());
            }
        }
        const double loopSeconds = loop.elapsed() / 1000.0;
        // A backend flushes its statistics when it exits: then every row must be accounted for.
        writer.reset();
        auto probe = test::connect(m_db);
        QElapsedTimer gone;
        gone.start();
        while (probe->exec(QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE pid = $1"), {writerPid})
                       .value(0, 0) != QLatin1String("0") && gone.elapsed() < 5000)
            QThread::msleep(50);
        QThread::msleep(200);
        const MonitorSample last = monitor.sampleOnce();

        double loopWrites = 0, loopSpan = 0, loopTransactions = 0;
        for (const MonitorSample& s : inLoop) {
            QVERIFY(s.intervalSeconds > 0.8 && s.intervalSeconds < 2.0);
            loopWrites += s.tableWritesPerSecond * s.intervalSeconds;
            loopTransactions += s.transactionsPerSecond * s.intervalSeconds;
            loopSpan += s.intervalSeconds;
        }
        const double expectedRate = rows / loopSeconds;
        const double measuredRate = loopWrites / loopSpan;
        const double total = loopWrites + last.tableWritesPerSecond * last.intervalSeconds;
        qInfo("rates: %d rows in %.2f s = %.0f rows/s; measured %.0f rows/s, %.0f tps (%d statements); total %.0f",
              rows, loopSeconds, expectedRate, measuredRate, loopTransactions / loopSpan, statements, total);
        QVERIFY(inLoop.size() >= 2);
        QVERIFY2(measuredRate > expectedRate / 2 && measuredRate < expectedRate * 2, qPrintable(QString::number(measuredRate)));
        QVERIFY(qAbs(total - rows) < 0.5);                      // rate × real interval adds up to the rows
        const double expectedTps = statements / loopSeconds;
        const double measuredTps = loopTransactions / loopSpan;
        QVERIFY2(measuredTps > expectedTps / 2 && measuredTps < expectedTps * 2 + 10, qPrintable(QString::number(measuredTps)));

        // Quiet table: no writes.
        QThread::msleep(300);
        QCOMPARE(monitor.sampleOnce().tableWritesPerSecond, 0.0);
    }

    void lockWaitsAndTheOnesWeCause()
    {
        auto holder = test::connect(m_db);
        auto waiter = test::connect(m_db);
        waiter->exec(QStringLiteral("SET statement_timeout = '30s'"));
        const int holderPid = holder->backendPid();
        const int waiterPid = waiter->backendPid();
        holder->exec(QStringLiteral("BEGIN"));
        holder->exec(QStringLiteral("LOCK TABLE locked IN ACCESS EXCLUSIVE MODE"));

        Monitor monitor(m_db, 0);
        monitor.setRunnerPids({holderPid});
        QVERIFY(!monitor.throttleReason(0));   // nothing sampled yet
        std::atomic<bool> waiterDone{false};
        std::thread blocked([&] {
            try {
                waiter->exec(QStringLiteral("SELECT count(*) FROM locked"));
            } catch (...) {
            }
            waiterDone = true;
        });

        MonitorSample s;
        QElapsedTimer t;
        t.start();
        do {
            QThread::msleep(100);
            s = monitor.sampleOnce();
        } while (s.blockedByRunner == 0 && t.elapsed() < 5000);
        QVERIFY(s.waitingLocks >= 1);
        QCOMPARE(s.blockedByRunner, 1);
        QCOMPARE(s.blockedPids, QVector<int>{waiterPid});
        const std::optional<QString> reason = monitor.throttleReason(0);
        QVERIFY(reason);
        QVERIFY2(reason->contains(QStringLiteral("1 session waits on our locks (pid %1)").arg(waiterPid)), qPrintable(*reason));

        QThread::msleep(1000);
        const MonitorSample later = monitor.sampleOnce();
        qInfo("lock wait: %.2f s, then %.2f s", s.longestLockWaitSeconds, later.longestLockWaitSeconds);
        QVERIFY(later.longestLockWaitSeconds >= s.longestLockWaitSeconds + 0.9);
        QVERIFY(later.longestLockWaitSeconds < s.longestLockWaitSeconds + 3.0);

        // Someone else's lock: still a wait on the server, not one we cause.
        monitor.setRunnerPids({holderPid + 100000});
        const MonitorSample notOurs = monitor.sampleOnce();
        QVERIFY(notOurs.waitingLocks >= 1);
        QCOMPARE(notOurs.blockedByRunner, 0);
        QVERIFY(!monitor.throttleReason(0));
        monitor.setRunnerPids({holderPid});

        holder->exec(QStringLiteral("ROLLBACK"));
        blocked.join();
        QVERIFY(waiterDone);
        const MonitorSample after = monitor.sampleOnce();
        QCOMPARE(after.waitingLocks, 0);
        QCOMPARE(after.blockedByRunner, 0);
        QCOMPARE(after.longestLockWaitSeconds, 0.0);
        QVERIFY(!monitor.throttleReason(0));
    }

    void workerTicksOnItsThread()
    {
        QThread thread;
        auto* monitor = new Monitor(m_db, 0);
        monitor->moveToThread(&thread);
        int count = 0;
        bool wrongThread = false;
        QVector<double> intervals;
        QObject context;
        QObject::connect(monitor, &Monitor::sampled, &context, [&](const MonitorSample& s) {
            ++count;
            intervals.append(s.intervalSeconds);
            wrongThread = wrongThread || QThread::currentThread() != qApp->thread();
        });
        QObject::connect(&thread, &QThread::started, monitor, &Monitor::start);
        QObject::connect(&thread, &QThread::finished, monitor, &QObject::deleteLater);
        thread.start();
        QTest::qWait(3000);
        QMetaObject::invokeMethod(monitor, &Monitor::stop, Qt::QueuedConnection);
        thread.quit();
        QVERIFY(thread.wait(5000));
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        qInfo("worker: %d samples in 3 s", count);
        QVERIFY2(count >= 5 && count <= 8, qPrintable(QString::number(count)));
        QVERIFY(!wrongThread);
        for (int i = 1; i < intervals.size(); ++i)
            QVERIFY2(intervals[i] > 0.3 && intervals[i] < 0.8, qPrintable(QString::number(intervals[i])));
    }

    void oneFailurePerOutageThenRecovery()
    {
        // Nobody listens there: failed() once, however many retries.
        {
            QThread thread;
            auto* monitor = new Monitor(QStringLiteral("host=/nonexistent-lockstep port=1 user=postgres connect_timeout=2"), 0);
            monitor->moveToThread(&thread);
            int failures = 0;
            int samples = 0;
            QObject context;
            QObject::connect(monitor, &Monitor::failed, &context, [&](const QString&) { ++failures; });
            QObject::connect(monitor, &Monitor::sampled, &context, [&](const MonitorSample&) { ++samples; });
            QObject::connect(&thread, &QThread::started, monitor, &Monitor::start);
            QObject::connect(&thread, &QThread::finished, monitor, &QObject::deleteLater);
            thread.start();
            QTest::qWait(2500);
            QMetaObject::invokeMethod(monitor, &Monitor::stop, Qt::QueuedConnection);
            thread.quit();
            QVERIFY(thread.wait(5000));
            QCOMPARE(failures, 1);
            QCOMPARE(samples, 0);
        }
        // The primary restarts under a running monitor: one failed(), then recovered() and samples again.
        LocalCluster& cluster = clusterWithReplica();
        QThread thread;
        auto* monitor = new Monitor(m_db, 0);
        monitor->moveToThread(&thread);
        int failures = 0;
        int recoveries = 0;
        int samplesAfterRecovery = 0;
        QObject context;
        QObject::connect(monitor, &Monitor::failed, &context, [&](const QString&) { ++failures; });
        QObject::connect(monitor, &Monitor::recovered, &context, [&] { ++recoveries; });
        QObject::connect(monitor, &Monitor::sampled, &context, [&](const MonitorSample&) {
            if (recoveries > 0)
                ++samplesAfterRecovery;
        });
        QObject::connect(&thread, &QThread::started, monitor, &Monitor::start);
        QObject::connect(&thread, &QThread::finished, monitor, &QObject::deleteLater);
        thread.start();
        QTest::qWait(1000);
        cluster.restartFast();
        QTRY_VERIFY_WITH_TIMEOUT(samplesAfterRecovery >= 2, 20000);
        QMetaObject::invokeMethod(monitor, &Monitor::stop, Qt::QueuedConnection);
        thread.quit();
        QVERIFY(thread.wait(5000));
        QCOMPARE(failures, 1);
        QCOMPARE(recoveries, 1);
    }
};

QTEST_GUILESS_MAIN(TestMonitor)
#include "test_monitor.moc"
