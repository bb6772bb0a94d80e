// SPDX-License-Identifier: GPL-3.0-or-later
// What a brief-lock attempt costs the application (core/run/lock_queue_watch.h): readers that queue behind
// a waiting ACCESS EXCLUSIVE request are counted with their longest wait, and the runner's lock-wait and
// lock-cost events say so for every attempt.
#include "core/run/lock_queue_watch.h"
#include "tests/pg/test_runner_support.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <thread>

using namespace lockstep;
using namespace lockstep::test;

namespace {
// `count` sessions reading one row of big every 3 ms until destruction; each counts its reads.
class Readers {
public:
    Readers(const QString& db, int count)
    {
        for (int i = 0; i < count; ++i)
            m_threads.emplace_back([this, db] {
                auto c = pg::Connection::open(db);
                while (!m_stop) {
                    c->exec(QStringLiteral("SELECT qty FROM big WHERE id = 7"));
                    ++m_reads;
                    std::this_thread::sleep_for(std::chrono::milliseconds(3));
                }
            });
    }
    ~Readers()
    {
        m_stop = true;
        for (auto& t : m_threads)
            t.join();
    }
    int reads() const { return m_reads; }

private:
    std::atomic<bool> m_stop{false};
    std::atomic<int> m_reads{0};
    std::vector<std::thread> m_threads;
};
} // namespace

class TestLockQueueWatch : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { sharedCluster(); }

    void countsWhatQueuesBehindAWaitingRequest()
    {
        const QString db = freshDatabase(QStringLiteral("queue_watch"));
        auto conn = lockstep::test::connect(db);
        createBigTable(*conn, 100);
        auto holder = lockstep::test::connect(db);
        holder->exec(QStringLiteral("BEGIN"));
        holder->exec(QStringLiteral("SELECT count(*) FROM big"));   // ACCESS SHARE until COMMIT

        run::LockQueueWatch watch(db, QStringLiteral("public.big"));
        // Nothing waits: nothing queued, and the figure is known.
        watch.begin(conn->backendPid());
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        run::AttemptCost idle = watch.end();
        QVERIFY(idle.known);
        QCOMPARE(idle.queued, 0);
        QCOMPARE(idle.sentence(), QStringLiteral("no transaction queued behind it"));

        Readers readers(db, 3);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        watch.begin(conn->backendPid());
        QElapsedTimer t;
        t.start();
        try {
            conn->exec(QStringLiteral("SET lock_timeout = '300ms'"));
            conn->exec(QStringLiteral("BEGIN"));
            conn->exec(QStringLiteral("LOCK TABLE big IN ACCESS EXCLUSIVE MODE"));   // waits behind the holder
            QFAIL("the lock was granted although a reader held ACCESS SHARE");
        } catch (const pg::PgException& e) {
            QCOMPARE(e.error().sqlstate, QStringLiteral("55P03"));
        }
        conn->exec(QStringLiteral("ROLLBACK"));
        const run::AttemptCost cost = watch.end();
        qInfo("queued %d, longest %.1f ms over a %lld ms wait (%d reads)", cost.queued, cost.longestWaitMs,
              static_cast<long long>(t.elapsed()), readers.reads());
        QVERIFY(cost.known);
        QCOMPARE(cost.queued, 3);                       // each reader queued behind the request
        QVERIFY2(cost.longestWaitMs > 100 && cost.longestWaitMs < 400, qPrintable(QString::number(cost.longestWaitMs)));
        QVERIFY(cost.sentence().startsWith(QStringLiteral("3 transactions queued behind it, the longest ")));
        holder->exec(QStringLiteral("COMMIT"));
    }

    void runnerEventsSayWhatEachAttemptCost()
    {
        const QString db = freshDatabase(QStringLiteral("queue_events"));
        auto conn = lockstep::test::connect(db);
        createBigTable(*conn, 1000);
        QTemporaryDir dir;
        store::Journal journal(dir.filePath(QStringLiteral("j.sqlite")));
        const qint64 runId = run::createRun(journal, planFor(db, twiceChange()), db, Phase::Expand);
        auto holder = lockstep::test::connect(db);
        holder->exec(QStringLiteral("BEGIN"));
        holder->exec(QStringLiteral("SELECT count(*) FROM big"));
        std::thread release([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(600));
            holder->exec(QStringLiteral("COMMIT"));
        });
        RunRecording rec;
        {
            Readers readers(db, 2);   // queued behind the attempts
            run::RunOptions inLine;   // the ladder's attempts, not a free moment (test_free_moment.cpp)
            inLine.freeMomentMs = 0;
            rec = startRun(db, journal.path(), runId, inLine);
        }
        release.join();
        QVERIFY2(rec.outcome == QLatin1String("done"), qPrintable(rec.message));
        int waitsWithQueue = 0, costs = 0, queuedTotal = 0;
        const QRegularExpression queued(QStringLiteral("(\\d+) transactions? queued behind it, the longest (\\d+) ms"));
        for (const store::EventRecord& e : journal.events(runId)) {
            const auto m = queued.match(e.message);
            if (e.kind == QLatin1String("lock-wait") && (m.hasMatch() || e.message.contains(QStringLiteral("no transaction queued"))))
                ++waitsWithQueue;
            if (e.kind == QLatin1String("lock-cost")) {
                ++costs;
                QVERIFY2(e.message.startsWith(QStringLiteral("step 0: took its lock on attempt ")), qPrintable(e.message));
            }
            if (m.hasMatch()) {
                queuedTotal += m.captured(1).toInt();
                // Readers queued behind a failed attempt waited at most about its lock_timeout (20-40 ms here).
                if (e.kind == QLatin1String("lock-wait"))
                    QVERIFY2(m.captured(2).toInt() <= 120, qPrintable(e.message));
            }
        }
        qInfo("%d lock-wait events with their queue, %d lock-cost events, %d queued in all", waitsWithQueue, costs, queuedTotal);
        QVERIFY(waitsWithQueue >= 3);     // every failed attempt says what queued behind it
        QCOMPARE(costs, 1);               // the one successful attempt (the expand group) too
        QVERIFY(queuedTotal >= 1);        // the readers did queue at least once
    }
};

QTEST_GUILESS_MAIN(TestLockQueueWatch)
#include "test_lock_queue_watch.moc"
