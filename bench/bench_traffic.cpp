// SPDX-License-Identifier: GPL-3.0-or-later
// Traffic impact: a pgbench workload (random-key UPDATEs and SELECTs on the table, fixed rate) runs while
// the table is backfilled by (a) one UPDATE, (b) 1000-row keyset batches, (c) Lockstep's runner, and for
// as long without any migration. Prints p50 / p99 / max latency of the transactions that overlapped each
// migration and the ratio of each p99 to the no-migration p99; (t) runs only Lockstep's expand step (its
// dual-write triggers) for as long as the baseline. Never passes or fails on time.
//   bench_traffic [--rows N] [--rate TX_PER_S] [--clients N] [--rounds R] [--target-ms MS] [--rate-cap ROWS_PER_S] [--full-speed] [--only none,t,a,b,c]
//                 [--server-log FILE]   (BENCH_PG_SETTINGS="name=value,..." adds server settings)
//   default: 1,000,000 rows, 400 tx/s, 8 clients, 3 rounds, every condition
#include "bench/support/backfill_methods.h"
#include "bench/support/bench_support.h"
#include "bench/support/pgbench_workload.h"

#include <QCoreApplication>
#include <QFile>
#include <QTemporaryDir>
#include <QThread>
#include <cstdio>
#include <algorithm>
#include <functional>

using namespace lockstep;
using namespace lockstep::bench;

namespace {
constexpr int kWarmupMs = 3000;
constexpr int kTailMs = 2000;   // pgbench's log of the window is flushed well before it is stopped

struct Condition {
    QString key;
    QString label;
    std::function<void()> migrate;   // empty: no migration, just the workload
    QVector<LatencyStats> stats;
    QVector<double> seconds;
};
} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const Args args(argc, argv);
    const qint64 rows = qMax<qint64>(1000, args.value(QStringLiteral("rows"), QStringLiteral("1000000")).toLongLong());
    const int rate = qMax(10, args.intValue(QStringLiteral("rate"), 400));
    const int clients = qMax(1, args.intValue(QStringLiteral("clients"), 8));
    const int rounds = qMax(1, args.intValue(QStringLiteral("rounds"), 3));
    const run::RunOptions runOptions = runOptionsFrom(args);

    LocalCluster cluster(benchClusterOptions());
    cluster.start();
    const QString conninfo = cluster.conninfo();
    auto conn = pg::Connection::open(conninfo);
    QTemporaryDir dir;
    const QString table = QStringLiteral("bench_t");
    double baselineSeconds = 10;
    int journals = 0;

    QVector<Condition> conditions{
        {QStringLiteral("none"), QStringLiteral("no migration"), {}, {}, {}},
        // The dual-write triggers alone: what every application UPDATE of a source column pays during (c).
        {QStringLiteral("t"), QStringLiteral("(t) triggers, no backfill"),
         [&] {
             expandStep(*conn, conninfo, dir.filePath(QStringLiteral("j%1.sqlite").arg(++journals)), table);
             QThread::msleep(qint64(baselineSeconds * 1000));
         },
         {}, {}},
        {QStringLiteral("a"), QStringLiteral("(a) one UPDATE"), [&] { oneUpdate(*conn, table); }, {}, {}},
        {QStringLiteral("b"), QStringLiteral("(b) 1000-row keyset batches"), [&] { keysetBatches(*conn, table); }, {}, {}},
        {QStringLiteral("c"), QStringLiteral("(c) Lockstep runner"),
         [&] { lockstepRunner(*conn, conninfo, dir.filePath(QStringLiteral("j%1.sqlite").arg(++journals)), table, runOptions); }, {}, {}},
    };
    if (args.flag(QStringLiteral("only"))) {
        const QStringList keep = args.value(QStringLiteral("only")).split(QLatin1Char(','));
        conditions.erase(std::remove_if(conditions.begin(), conditions.end(),
                                        [&](const Condition& c) { return !keep.contains(c.key); }),
                         conditions.end());
    }
    std::printf("Traffic impact: pgbench at %d tx/s (random-key UPDATE 50 %%, SELECT 50 %%), %d clients, %lld rows, "
                "PostgreSQL %s, fsync on, %d round(s)\n",
                rate, clients, qint64(rows), qPrintable(conn->serverVersion()), rounds);
    for (int round = 0; round < rounds; ++round) {
        for (Condition& c : conditions) {
            makeTable(*conn, table, rows);
            PgbenchWorkload workload(cluster.binDir(), conninfo);
            WorkloadOptions w;
            w.table = table;
            w.rows = rows;
            w.ratePerSecond = rate;
            w.clients = clients;
            workload.start(w);
            QThread::msleep(kWarmupMs);
            const qint64 from = PgbenchWorkload::nowUs();
            if (c.migrate)
                c.migrate();
            else
                QThread::msleep(qint64(baselineSeconds * 1000));
            const qint64 to = PgbenchWorkload::nowUs();
            QThread::msleep(kTailMs);
            workload.stop();
            c.seconds << (to - from) / 1e6;
            c.stats << workload.during(from, to);
            const LatencyStats& s = c.stats.last();
            const LatencyStats u = workload.during(from, to, 0), r = workload.during(from, to, 1);
            std::printf("  round %d %-30s %6.1f s %6d tx  p50 %7.2f ms  p99 %8.2f ms  max %9.2f ms"
                        "  (UPDATE p99 %.2f, SELECT p99 %.2f)\n",
                        round + 1, qPrintable(c.label), c.seconds.last(), s.transactions, s.p50Ms, s.p99Ms, s.maxMs,
                        u.p99Ms, r.p99Ms);
            std::fflush(stdout);
            dropTable(*conn, table);
        }
    }

    auto med = [](const QVector<LatencyStats>& v, double LatencyStats::*field) {
        QVector<double> x;
        for (const LatencyStats& s : v)
            x << s.*field;
        return median(x);
    };
    const double baseP99 = conditions.first().key == QLatin1String("none") ? med(conditions.first().stats, &LatencyStats::p99Ms) : 0;
    std::printf("  %-30s %8s %8s %9s %9s %10s %9s\n", "", "seconds", "tx", "p50 ms", "p99 ms", "max ms", "p99/base");
    for (const Condition& c : conditions) {
        QVector<double> tx;
        for (const LatencyStats& s : c.stats)
            tx << s.transactions;
        const double p50 = med(c.stats, &LatencyStats::p50Ms), p99 = med(c.stats, &LatencyStats::p99Ms),
                     mx = med(c.stats, &LatencyStats::maxMs);
        std::printf("  %-30s %8.1f %8.0f %9.2f %9.2f %10.2f %9.2f\n", qPrintable(c.label), median(c.seconds),
                    median(tx), p50, p99, mx, baseP99 > 0 ? p99 / baseP99 : 0);
        printResult(QStringLiteral("traffic.%1.p50_ms").arg(c.key), p50);
        printResult(QStringLiteral("traffic.%1.p99_ms").arg(c.key), p99);
        printResult(QStringLiteral("traffic.%1.max_ms").arg(c.key), mx);
        printResult(QStringLiteral("traffic.%1.seconds").arg(c.key), median(c.seconds));
        if (c.key != QLatin1String("none"))
            printResult(QStringLiteral("traffic.%1.p99_ratio").arg(c.key), baseP99 > 0 ? p99 / baseP99 : 0);
    }
    if (args.flag(QStringLiteral("server-log")))
        QFile::copy(cluster.logFilePath(), args.value(QStringLiteral("server-log")));
    printResult(QStringLiteral("traffic.rate"), rate);
    printResult(QStringLiteral("traffic.rows"), double(rows));
    return 0;
}
