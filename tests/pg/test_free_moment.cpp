// SPDX-License-Identifier: GPL-3.0-or-later
// Brief-lock steps look for a free moment first (core/run/free_moment.h): LOCK TABLE ... NOWAIT never
// queues the application behind a waiting request. Tested on a real server: the lock each step needs on
// its table, readers that never wait behind a step while a writer holds the table (and do wait with the
// former fixed lock_timeout: the measurement can fail), the fall-back to waiting in line when no free
// moment comes, rollback taking the same path, and a whole NOT NULL change under pgbench's TPC-B (hot
// rows: transactions hold the table's ROW EXCLUSIVE while they wait for each other) where every brief
// step takes its lock at a free moment and no application transaction fails.
#include "core/run/free_moment.h"
#include "tests/pg/test_runner_support.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <thread>

using namespace lockstep;
using namespace lockstep::test;

namespace {
// Holds ROW EXCLUSIVE on big (an open write transaction) for `holdMs`, on its own thread.
class HeldWriter {
public:
    HeldWriter(const QString& db, int holdMs) : m_conn(lockstep::test::connect(db))
    {
        m_conn->exec(QStringLiteral("BEGIN"));
        m_conn->exec(QStringLiteral("UPDATE big SET qty = qty WHERE id = 1"));
        m_thread = std::thread([this, holdMs] {
            std::this_thread::sleep_for(std::chrono::milliseconds(holdMs));
            m_conn->exec(QStringLiteral("COMMIT"));
        });
    }
    ~HeldWriter() { m_thread.join(); }

private:
    std::unique_ptr<pg::Connection> m_conn;
    std::thread m_thread;
};

// Reads big every few ms on its own thread and keeps the slowest read: what a reader paid.
class Reader {
public:
    explicit Reader(const QString& db) : m_conn(lockstep::test::connect(db))
    {
        m_thread = std::thread([this] {
            while (!m_stop) {
                QElapsedTimer t;
                t.start();
                m_conn->exec(QStringLiteral("SELECT qty FROM big WHERE id = 2"));
                m_slowestMs = qMax<qint64>(m_slowestMs, t.elapsed());
                std::this_thread::sleep_for(std::chrono::milliseconds(3));
            }
        });
    }
    qint64 stop()
    {
        m_stop = true;
        m_thread.join();
        return m_slowestMs;
    }

private:
    std::unique_ptr<pg::Connection> m_conn;
    std::atomic<bool> m_stop{false};
    std::atomic<qint64> m_slowestMs{0};
    std::thread m_thread;
};

QStringList eventsOf(store::Journal& journal, qint64 runId, const QString& kind)
{
    QStringList out;
    for (const store::EventRecord& e : journal.events(runId))
        if (e.kind == kind)
            out << e.message;
    return out;
}

struct Expanded {
    RunRecording rec;
    qint64 slowestReadMs = 0;
    qint64 runId = 0;
};

// Runs twiceChange's expand on big while a writer holds the table for `holdMs` and a reader reads it.
Expanded expandUnderWriter(const QString& db, store::Journal& journal, int holdMs, const run::RunOptions& options)
{
    Expanded out;
    out.runId = run::createRun(journal, planFor(db, twiceChange()), db, Phase::Expand);
    Reader reader(db);
    {
        HeldWriter writer(db, holdMs);
        out.rec = startRun(db, journal.path(), out.runId, options);
    }
    out.slowestReadMs = reader.stop();
    return out;
}
} // namespace

class TestFreeMoment : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { sharedCluster(); }

    void eachStepsLockOnItsTable()
    {
        const QString db = freshDatabase(QStringLiteral("free_locks"));
        auto conn = lockstep::test::connect(db);
        createBigTable(*conn, 100);
        const Plan plan = planFor(db, twiceChange());
        auto stepLock = [&](const QString& id) {
            const Step& s = plan.steps[stepIndexOf(plan, id)];
            return run::strongestLockOn(s.statements, plan.table);
        };
        QCOMPARE(stepLock(QStringLiteral("add_column")), std::optional<LockMode>(LockMode::AccessExclusive));
        QCOMPARE(stepLock(QStringLiteral("sync_trigger")), std::optional<LockMode>(LockMode::ShareRowExclusive));
        // A group takes the strongest of its steps' locks.
        QStringList both = plan.steps[stepIndexOf(plan, QStringLiteral("add_column"))].statements;
        both << plan.steps[stepIndexOf(plan, QStringLiteral("sync_trigger"))].statements;
        QCOMPARE(run::strongestLockOn(both, plan.table), std::optional<LockMode>(LockMode::AccessExclusive));
        // Unqualified names mean the plan's table; other tables and unparseable text take nothing ahead.
        QCOMPARE(run::strongestLockOn({QStringLiteral("ALTER TABLE big ADD COLUMN x int")}, plan.table),
                 std::optional<LockMode>(LockMode::AccessExclusive));
        QCOMPARE(run::strongestLockOn({QStringLiteral("ALTER TABLE other ADD COLUMN x int")}, plan.table), std::nullopt);
        QCOMPARE(run::strongestLockOn({QStringLiteral("ALTER TABLE big ADD COLUMN")}, plan.table), std::nullopt);
        QCOMPARE(run::lockNowaitStatement(plan.table, LockMode::ShareRowExclusive),
                 QStringLiteral("LOCK TABLE %1 IN SHARE ROW EXCLUSIVE MODE NOWAIT").arg(plan.table));
        // The statement is valid SQL on the server.
        conn->exec(QStringLiteral("BEGIN"));
        conn->exec(run::lockNowaitStatement(plan.table, LockMode::AccessExclusive));
        conn->exec(QStringLiteral("ROLLBACK"));
    }

    void readersNeverQueueBehindAFreeMomentRequest()
    {
        const QString db = freshDatabase(QStringLiteral("free_readers"));
        auto conn = lockstep::test::connect(db);
        createBigTable(*conn, 5000);
        QTemporaryDir dir;
        store::Journal journal(dir.filePath(QStringLiteral("j.sqlite")));
        const Expanded free = expandUnderWriter(db, journal, 800, run::RunOptions{});
        QVERIFY2(free.rec.outcome == QLatin1String("done"), qPrintable(free.rec.message));
        const auto steps = journal.steps(free.runId);
        QCOMPARE(steps[0].attempts, 1);   // one try phase, no attempt in line
        const QStringList costs = eventsOf(journal, free.runId, QStringLiteral("lock-cost"));
        qInfo("free moment: slowest read %lld ms; %s", free.slowestReadMs, qPrintable(costs.join(QLatin1String(" | "))));
        QVERIFY2(!costs.isEmpty() && costs.first().contains(QStringLiteral("at a free moment")), qPrintable(costs.join(QLatin1Char('\n'))));
        QVERIFY2(eventsOf(journal, free.runId, QStringLiteral("lock-wait")).isEmpty(), "no attempt waited in line");
        QVERIFY2(free.slowestReadMs < 300, qPrintable(QString::number(free.slowestReadMs)));

        // The same with every attempt waiting in line for a second (the former behaviour): readers wait.
        const QString db2 = freshDatabase(QStringLiteral("free_readers_fixed"));
        createBigTable(*lockstep::test::connect(db2), 5000);
        run::RunOptions fixed;
        fixed.freeMomentMs = 0;
        fixed.lockWaitStartMs = fixed.lockTimeoutMs;
        const Expanded queued = expandUnderWriter(db2, journal, 800, fixed);
        QVERIFY2(queued.rec.outcome == QLatin1String("done"), qPrintable(queued.rec.message));
        qInfo("waiting in line: slowest read %lld ms", queued.slowestReadMs);
        QVERIFY2(queued.slowestReadMs >= 400, qPrintable(QString::number(queued.slowestReadMs)));
    }

    void waitsInLineWhenNoFreeMomentComes()
    {
        const QString db = freshDatabase(QStringLiteral("free_none"));
        auto conn = lockstep::test::connect(db);
        createBigTable(*conn, 1000);
        QTemporaryDir dir;
        store::Journal journal(dir.filePath(QStringLiteral("j.sqlite")));
        run::RunOptions options;
        options.freeMomentMs = 300;
        const Expanded e = expandUnderWriter(db, journal, 1500, options);
        QVERIFY2(e.rec.outcome == QLatin1String("done"), qPrintable(e.rec.message));
        QVERIFY(journal.steps(e.runId)[0].attempts > 1);
        const QStringList waits = eventsOf(journal, e.runId, QStringLiteral("lock-wait"));
        QVERIFY2(!waits.isEmpty() && waits.first().contains(QStringLiteral("no free moment in 300 ms")), qPrintable(waits.join(QLatin1Char('\n'))));
        QVERIFY2(waits.first().contains(QStringLiteral("in the way")), qPrintable(waits.first()));
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT count(*) FROM pg_attribute WHERE attrelid = 'big'::regclass AND attname = 'twice'")),
                 QStringLiteral("1"));
    }

    void rollbackTakesAFreeMomentToo()
    {
        const QString db = freshDatabase(QStringLiteral("free_rollback"));
        auto conn = lockstep::test::connect(db);
        createBigTable(*conn, 1000);
        QTemporaryDir dir;
        store::Journal journal(dir.filePath(QStringLiteral("j.sqlite")));
        const qint64 runId = run::createRun(journal, planFor(db, twiceChange()), db, Phase::Expand);
        QCOMPARE(startRun(db, journal.path(), runId).outcome, QStringLiteral("done"));
        const int before = eventsOf(journal, runId, QStringLiteral("lock-cost")).size();
        RunRecording rec;
        {
            HeldWriter writer(db, 500);
            rec = rollbackRun(db, journal.path(), runId);
        }
        QVERIFY2(rec.outcome == QLatin1String("rolled-back"), qPrintable(rec.outcome + QLatin1Char(' ') + rec.message));
        const QStringList costs = eventsOf(journal, runId, QStringLiteral("lock-cost")).mid(before);
        QVERIFY2(!costs.isEmpty() && costs.first().contains(QStringLiteral("at a free moment")), qPrintable(costs.join(QLatin1Char('\n'))));
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT count(*) FROM pg_attribute WHERE attrelid = 'big'::regclass AND attname = 'twice' "
                                              "AND NOT attisdropped")), QStringLiteral("0"));
    }

    void everyBriefStepTakesAFreeMomentUnderTpcb()
    {
        const QString db = freshDatabase(QStringLiteral("free_tpcb"));
        const QString pgbench = sharedCluster().binDir() + QStringLiteral("/pgbench");
        QProcess init;
        init.setProcessChannelMode(QProcess::MergedChannels);
        init.start(pgbench, {QStringLiteral("-i"), QStringLiteral("-q"), QStringLiteral("-s"), QStringLiteral("1"), db});
        QVERIFY2(init.waitForFinished(120000) && init.exitCode() == 0, init.readAll().constData());
        QProcess workload;   // 150 tx/s on 6 clients for 14 s: the run starts after 1 s and takes a few
        workload.setProcessChannelMode(QProcess::MergedChannels);
        workload.start(pgbench, {QStringLiteral("-n"), QStringLiteral("-b"), QStringLiteral("tpcb-like"), QStringLiteral("-c"),
                                 QStringLiteral("6"), QStringLiteral("-R"), QStringLiteral("150"), QStringLiteral("-T"),
                                 QStringLiteral("14"), db});
        QVERIFY(workload.waitForStarted(5000));
        QThread::msleep(1000);

        QTemporaryDir dir;
        store::Journal journal(dir.filePath(QStringLiteral("j.sqlite")));
        const Plan plan = planFor(db, pgbenchAccountsChange());
        const qint64 runId = run::createRun(journal, plan, db, Phase::Constrain);
        run::RunOptions options;
        options.freeMomentMs = 10000;   // a loaded CI machine slows the workload's transactions: room to find a gap
        const RunRecording rec = startRun(db, journal.path(), runId, options);
        QVERIFY2(workload.waitForFinished(60000), "pgbench did not finish");
        const QString report = QString::fromUtf8(workload.readAll());
        QVERIFY2(rec.outcome == QLatin1String("done"), qPrintable(rec.message));

        // The application never failed: pgbench ran to its end with no failed transaction.
        QVERIFY2(workload.exitCode() == 0 && report.contains(QStringLiteral("number of failed transactions: 0 ")), qPrintable(report));
        // No attempt waited in line; every brief lock was taken at a free moment.
        QVERIFY2(eventsOf(journal, runId, QStringLiteral("lock-wait")).isEmpty(),
                 qPrintable(eventsOf(journal, runId, QStringLiteral("lock-wait")).join(QLatin1Char('\n'))));
        const QStringList costs = eventsOf(journal, runId, QStringLiteral("lock-cost"));
        qInfo("%s", qPrintable(costs.join(QLatin1Char('\n'))));
        int brief = 0;
        for (const store::StepRecord& s : journal.steps(runId)) {
            const Step& step = plan.steps.at(s.index);
            if (step.transactional && step.lock && !step.backfill && !s.errorMessage.contains(QLatin1String("in one lock with step"))
                && !step.id.endsWith(QLatin1String("_validate")) && run::strongestLockOn(step.statements, plan.table))
                ++brief;
        }
        QVERIFY(brief >= 4);
        int free = 0;
        for (const QString& c : costs)
            free += c.contains(QStringLiteral("at a free moment"));
        QCOMPARE(free, brief);
    }
};

QTEST_MAIN(TestFreeMoment)
#include "test_free_moment.moc"
