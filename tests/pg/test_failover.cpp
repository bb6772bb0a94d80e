// SPDX-License-Identifier: GPL-3.0-or-later
// Failover in the middle of a run, as a managed service does it: the primary dies (immediate shutdown:
// what the asynchronous replica had not received is lost) and the replica is promoted, reached through a
// multi-host conninfo with target_session_attrs=read-write. The run notices the new timeline, trusts no
// journaled step or checkpoint the new primary may lack, walks the backfill again, and finishes with 0
// rows wrong while the application keeps writing.
#include "tests/pg/test_runner_support.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace lockstep;
using namespace lockstep::test;

class TestFailover : public QObject {
    Q_OBJECT
private slots:
    void promotedReplicaFinishesTheRun()
    {
        LocalClusterOptions options;
        options.withReplica = true;
        LocalCluster cluster(options);
        cluster.start();
        cluster.createDatabase(QStringLiteral("fo"));
        const QString endpoint = cluster.failoverConninfo(QStringLiteral("fo"));
        auto setup = pg::Connection::open(endpoint);
        createBigTable(*setup, 200000, true);
        setup.reset();

        QTemporaryDir dir;
        store::Journal journal(dir.filePath(QStringLiteral("j.sqlite")));
        const qint64 runId = run::createRun(journal, planFor(endpoint, twiceChange()), endpoint, Phase::Constrain);
        std::atomic<bool> stop{false};
        std::atomic<int> writes{0}, failedWrites{0};
        std::thread writer([&] {   // the application: reconnects through the same endpoint after the failover
            std::unique_ptr<pg::Connection> c;
            QRandomGenerator rng(7);
            while (!stop) {
                try {
                    if (!c || !c->isOk())
                        c = pg::Connection::open(endpoint);
                    c->exec(QStringLiteral("UPDATE big SET qty = qty + 1 WHERE id = $1"), {rng.bounded(1, 200001)});
                    ++writes;
                } catch (const std::exception&) {
                    ++failedWrites;
                    c.reset();
                    QThread::msleep(50);
                }
                QThread::msleep(2);
            }
        });
        std::atomic<bool> failedOver{false};
        std::thread operatorOfTheService([&] {   // fails over once the backfill is well under way
            auto watch = pg::Connection::open(cluster.conninfo(QStringLiteral("fo")));
            while (!stop) {
                try {
                    if (watch->exec(QStringLiteral("SELECT count(twice) FROM big")).value(0, 0).toLongLong() > 60000) {
                        watch.reset();
                        cluster.failover();
                        failedOver = true;
                        return;
                    }
                } catch (const pg::PgException&) {   // the column does not exist yet
                }
                QThread::msleep(50);
            }
        });
        run::RunOptions runOptions;
        runOptions.maxRowsPerSecond = 40000;   // about 5 s of backfill: the failover lands in its middle
        const RunRecording rec = runOnThread(endpoint, journal.path(), runId, runOptions, 240000);
        operatorOfTheService.join();
        stop = true;
        writer.join();
        QVERIFY(failedOver);
        qInfo("run %s after the failover; application: %d writes, %d failed during the switch-over", qPrintable(rec.outcome),
              int(writes), int(failedWrites));
        QVERIFY2(rec.outcome == QLatin1String("done"), qPrintable(rec.message));
        auto promoted = pg::Connection::open(endpoint);
        QCOMPARE(scalar(*promoted, QStringLiteral("SELECT pg_is_in_recovery()")), QStringLiteral("f"));
        QCOMPARE(bigMismatches(*promoted), QStringLiteral("0"));
        QCOMPARE(scalar(*promoted, QStringLiteral("SELECT attnotnull FROM pg_attribute WHERE attrelid = 'big'::regclass AND attname = 'twice'")),
                 QStringLiteral("t"));
        QStringList kinds;
        for (const store::EventRecord& e : journal.events(runId))
            kinds << e.kind;
        QVERIFY2(kinds.contains(QStringLiteral("failover")) && kinds.contains(QStringLiteral("failover-recheck")), qPrintable(kinds.join(QLatin1Char(','))));
    }
};

QTEST_GUILESS_MAIN(TestFailover)
#include "test_failover.moc"
