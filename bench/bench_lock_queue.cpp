// SPDX-License-Identifier: GPL-3.0-or-later
// Lock-queue protection: a session sits idle in a transaction holding ACCESS SHARE on the table for 10 s
// while a SELECT workload (pgbench, random keys, fixed rate) reads it. One second in, the column is added
// (a) with a plain `ALTER TABLE … ADD COLUMN`, which queues behind the idle transaction and makes every
// SELECT queue behind itself, and (c) with Lockstep's expand step (lock_timeout, backoff, retry). Prints
// the longest SELECT latency of each against lock_timeout + 100 ms. Never passes or fails on time.
//   bench_lock_queue [--rows N] [--rate TX_PER_S] [--hold-s S]   (default 100,000 rows, 200 tx/s, 10 s)
#include "bench/support/backfill_methods.h"
#include "bench/support/bench_support.h"
#include "bench/support/pgbench_workload.h"
#include "core/run/run_creation.h"
#include "core/run/runner.h"
#include "core/store/journal.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QThread>
#include <cstdio>
#include <functional>
#include <thread>

using namespace lockstep;
using namespace lockstep::bench;

namespace {
constexpr int kLeadMs = 1000;   // the DDL starts this long after the idle transaction took its lock
constexpr int kTailMs = 2000;

// Holds ACCESS SHARE on `table` from construction for `holdMs`, then commits (on its own thread).
class IdleTransaction {
public:
    IdleTransaction(const QString& conninfo, const QString& table, int holdMs)
    {
        m_conn = pg::Connection::open(conninfo);
        m_conn->exec(QStringLiteral("BEGIN"));
        m_conn->exec(QStringLiteral("SELECT count(*) FROM %1 WHERE id = 1").arg(m_conn->quoteIdent(table)));
        m_thread = std::thread([this, holdMs] {
            QThread::msleep(holdMs);
            m_conn->exec(QStringLiteral("COMMIT"));
        });
    }
    ~IdleTransaction() { m_thread.join(); }

private:
    std::unique_ptr<pg::Connection> m_conn;
    std::thread m_thread;
};

struct Outcome {
    LatencyStats selects;
    double ddlSeconds = 0;   // from the DDL's start until the column existed
    int attempts = 1;
};

Outcome measure(LocalCluster& cluster, const QString& table, qint64 rows, int rate, int holdMs,
                const std::function<int()>& addColumn)
{
    const QString conninfo = cluster.conninfo();
    auto conn = pg::Connection::open(conninfo);
    makeTable(*conn, table, rows);
    PgbenchWorkload workload(cluster.binDir(), conninfo);
    WorkloadOptions w;
    w.table = table;
    w.rows = rows;
    w.ratePerSecond = rate;
    w.updateWeight = 0;
    workload.start(w);
    QThread::msleep(2000);   // connected and reading
    Outcome out;
    const qint64 from = PgbenchWorkload::nowUs();
    {
        IdleTransaction idle(conninfo, table, holdMs);
        QThread::msleep(kLeadMs);
        QElapsedTimer t;
        t.start();
        out.attempts = addColumn();
        out.ddlSeconds = t.nsecsElapsed() / 1e9;
    }
    const qint64 to = PgbenchWorkload::nowUs();
    QThread::msleep(kTailMs);
    workload.stop();
    out.selects = workload.during(from, to);
    dropTable(*conn, table);
    return out;
}

int lockstepExpand(const QString& conninfo, const QString& journalPath, const QString& table, int lockTimeoutMs)
{
    auto conn = pg::Connection::open(conninfo);
    store::Journal journal(journalPath);
    const qint64 runId = run::createRun(journal, totalColumnPlan(*conn, table), conninfo, Phase::Expand);
    run::RunOptions options;
    options.lockTimeoutMs = lockTimeoutMs;
    run::Runner runner(conninfo, journalPath, runId, options);
    runner.start();
    int attempts = 0;
    for (const store::StepRecord& s : journal.steps(runId)) {
        if (s.state != store::StepState::Done)
            std::fprintf(stderr, "step %s did not finish: %s\n", qPrintable(s.stepId), qPrintable(s.errorMessage));
        attempts = qMax(attempts, s.attempts);
    }
    return attempts;
}
} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const Args args(argc, argv);
    const qint64 rows = qMax<qint64>(1000, args.value(QStringLiteral("rows"), QStringLiteral("100000")).toLongLong());
    const int rate = qMax(10, args.intValue(QStringLiteral("rate"), 200));
    const int holdMs = qMax(1, args.intValue(QStringLiteral("hold-s"), 10)) * 1000;
    const int lockTimeoutMs = run::RunOptions{}.lockTimeoutMs;

    LocalCluster cluster(benchClusterOptions());
    cluster.start();
    QTemporaryDir dir;
    const QString table = QStringLiteral("bench_q");
    std::printf("Lock queue: ACCESS SHARE held %d s by an idle transaction, SELECTs at %d/s on %lld rows, "
                "DDL %d ms after the lock\n",
                holdMs / 1000, rate, qint64(rows), kLeadMs);

    const Outcome plain = measure(cluster, table, rows, rate, holdMs, [&] {
        auto conn = pg::Connection::open(cluster.conninfo());
        conn->exec(QStringLiteral("ALTER TABLE %1 ADD COLUMN total numeric(12,2)").arg(conn->quoteIdent(table)));
        return 1;
    });
    const Outcome ours = measure(cluster, table, rows, rate, holdMs, [&] {
        return lockstepExpand(cluster.conninfo(), dir.filePath(QStringLiteral("journal.sqlite")), table, lockTimeoutMs);
    });
    std::printf("  %-36s %12s %10s %10s %14s\n", "", "longest ms", "p99 ms", "SELECTs", "column after");
    std::printf("  %-36s %12.1f %10.1f %10d %12.1f s\n", "plain ALTER TABLE ADD COLUMN", plain.selects.maxMs,
                plain.selects.p99Ms, plain.selects.transactions, plain.ddlSeconds);
    std::printf("  %-36s %12.1f %10.1f %10d %12.1f s  (%d attempts, lock_timeout %d ms)\n", "Lockstep expand step",
                ours.selects.maxMs, ours.selects.p99Ms, ours.selects.transactions, ours.ddlSeconds, ours.attempts, lockTimeoutMs);
    printResult(QStringLiteral("lockqueue.plain.max_ms"), plain.selects.maxMs);
    printResult(QStringLiteral("lockqueue.lockstep.max_ms"), ours.selects.maxMs);
    printResult(QStringLiteral("lockqueue.lockstep.attempts"), ours.attempts);
    printResult(QStringLiteral("lockqueue.lock_timeout_ms"), lockTimeoutMs);
    printResult(QStringLiteral("lockqueue.hold_s"), holdMs / 1000);
    return 0;
}
