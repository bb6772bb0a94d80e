// SPDX-License-Identifier: GPL-3.0-or-later
// Backfill throughput on fresh identical copies of a table (bigint primary key and three columns), on a
// private PostgreSQL 15 with fsync on: (a) one `UPDATE t SET c = expr` — the ceiling, (b) fixed 1000-row
// keyset batches — the default of pgroll and gh-ost, (c) Lockstep's runner. Prints rows/s and the ratios
// b/a and c/a (medians over the rounds; within a round the methods alternate so that a busy machine slows
// all alike). Never passes or fails on time.
//   bench_backfill [--rows N]... [--rounds R] [--target-ms MS] [--rate-cap ROWS_PER_S] [--full-speed] [--server-log FILE]
//   default: --rows 1000000 --rows 5000000 --rounds 3, the runner's default batch target
#include "bench/support/backfill_methods.h"
#include "bench/support/bench_support.h"

#include <QCoreApplication>
#include <QFile>
#include <QTemporaryDir>
#include <cstdio>

using namespace lockstep;
using namespace lockstep::bench;

namespace {
struct Figures {
    QVector<double> seconds;
    qint64 batches = 0;
};

void report(const QString& label, const QString& key, qint64 rows, const Figures& f, double ceiling)
{
    const double s = median(f.seconds);
    std::printf("  %-34s %8.2f s %11.0f rows/s  %7lld batches", qPrintable(label), s, rows / s, qint64(f.batches));
    if (ceiling > 0)
        std::printf("   %s = %.2f", qPrintable(key), ceiling / s);
    std::printf("\n");
    printResult(QStringLiteral("backfill.%1.%2.rows_per_s").arg(rows).arg(key.left(1)), rows / s);
    if (ceiling > 0)
        printResult(QStringLiteral("backfill.%1.%2").arg(rows).arg(key == QLatin1String("b/a") ? QStringLiteral("b_over_a")
                                                                                             : QStringLiteral("c_over_a")),
                    ceiling / s);
}
} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const Args args(argc, argv);
    QList<qint64> sizes;
    for (const QString& v : args.values(QStringLiteral("rows")))
        sizes << qMax<qint64>(1000, v.toLongLong());
    if (sizes.isEmpty())
        sizes = {1000000, 5000000};
    const int rounds = qMax(1, args.intValue(QStringLiteral("rounds"), 3));
    const run::RunOptions runOptions = runOptionsFrom(args);

    LocalCluster cluster(benchClusterOptions());
    cluster.start();
    const QString conninfo = cluster.conninfo();
    auto conn = pg::Connection::open(conninfo);
    QTemporaryDir dir;
    std::printf("Backfill throughput: PostgreSQL %s, fsync on, %d round(s), median shown\n",
                qPrintable(conn->serverVersion()), rounds);

    for (const qint64 rows : sizes) {
        Figures a, b, c;
        for (int round = 0; round < rounds; ++round) {
            makeTable(*conn, QStringLiteral("bench_a"), rows);
            const MethodTiming ta = oneUpdate(*conn, QStringLiteral("bench_a"));
            conn->exec(QStringLiteral("DROP TABLE bench_a"));
            makeTable(*conn, QStringLiteral("bench_b"), rows);
            const MethodTiming tb = keysetBatches(*conn, QStringLiteral("bench_b"));
            conn->exec(QStringLiteral("DROP TABLE bench_b"));
            makeTable(*conn, QStringLiteral("bench_c"), rows);
            const MethodTiming tc = lockstepRunner(*conn, conninfo, dir.filePath(QStringLiteral("j-%1-%2.sqlite").arg(rows).arg(round)),
                                                   QStringLiteral("bench_c"), runOptions);
            conn->exec(QStringLiteral("DROP TABLE bench_c"));
            if (ta.rows != rows || tb.rows != rows || tc.rows != rows)
                std::fprintf(stderr, "warning: rows written a=%lld b=%lld c=%lld of %lld\n", qint64(ta.rows), qint64(tb.rows),
                             qint64(tc.rows), qint64(rows));
            a.seconds << ta.backfillSeconds;
            b.seconds << tb.backfillSeconds;
            c.seconds << tc.backfillSeconds;
            a.batches = ta.batches;
            b.batches = tb.batches;
            c.batches = tc.batches;
            std::printf("  %lld rows, round %d: (a) %.2f s  (b) %.2f s  (c) %.2f s\n", qint64(rows), round + 1,
                        ta.backfillSeconds, tb.backfillSeconds, tc.backfillSeconds);
            std::fflush(stdout);
        }
        const double ceiling = median(a.seconds);
        std::printf(" %lld rows:\n", qint64(rows));
        report(QStringLiteral("(a) one UPDATE"), QStringLiteral("a"), rows, a, 0);
        report(QStringLiteral("(b) 1000-row keyset batches"), QStringLiteral("b/a"), rows, b, ceiling);
        report(QStringLiteral("(c) Lockstep runner"), QStringLiteral("c/a"), rows, c, ceiling);
    }
    if (args.flag(QStringLiteral("server-log")))
        QFile::copy(cluster.logFilePath(), args.value(QStringLiteral("server-log")));
    return 0;
}
