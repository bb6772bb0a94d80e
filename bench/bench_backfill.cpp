// SPDX-License-Identifier: GPL-3.0-or-later
// Backfill throughput on fresh identical copies of a table (bigint primary key and three columns), on a
// private PostgreSQL 15 with fsync on: (a) one `UPDATE t SET c = expr` — the ceiling, (b) fixed 1000-row
// keyset batches — the default of pgroll and gh-ost, (c) Lockstep's runner; and (a') = t: Lockstep's expand
// step (the dual-write triggers) then one UPDATE, the ceiling with the same triggers. Prints rows/s (median over the
// rounds) and the ratios b/a and c/a (median of each round's ratio; the order rotates every round).
// Never passes or fails on time.
//   bench_backfill [--rows N]... [--rounds R] [--only a,t,b,c] [--target-ms MS] [--rate-cap ROWS_PER_S] [--full-speed]
//                  [--server-log FILE]
//   default: --rows 1000000 --rows 5000000 --rounds 3, the runner's default batch target
#include "bench/support/backfill_methods.h"
#include "bench/support/bench_support.h"

#include <QCoreApplication>
#include <QFile>
#include <QMap>
#include <QTemporaryDir>
#include <cstdio>

using namespace lockstep;
using namespace lockstep::bench;

namespace {
struct Figures {
    QVector<double> seconds;
    qint64 batches = 0;
};

void report(const QString& label, const QString& key, qint64 rows, const Figures& f, const QVector<double>& ratios)
{
    const double s = median(f.seconds);
    std::printf("  %-34s %8.2f s %11.0f rows/s  %7lld batches", qPrintable(label), s, rows / s, qint64(f.batches));
    if (!ratios.isEmpty())
        std::printf("   %s = %.2f (median of the rounds' ratios)", qPrintable(key), median(ratios));
    std::printf("\n");
    printResult(QStringLiteral("backfill.%1.%2.rows_per_s").arg(rows).arg(key.left(1)), rows / s);
    if (!ratios.isEmpty())
        printResult(QStringLiteral("backfill.%1.%2_over_a").arg(rows).arg(key.left(1)), median(ratios));
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

    QStringList methods{QStringLiteral("a"), QStringLiteral("t"), QStringLiteral("b"), QStringLiteral("c")};
    if (args.flag(QStringLiteral("only")))
        methods = args.value(QStringLiteral("only")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const qint64 rows : sizes) {
        // A fresh cluster creates its WAL segment files as it goes (each zero-filled and synced): the first
        // round ran 10-15 % slower than the next ones. One unmeasured UPDATE leaves segments to recycle.
        makeTable(*conn, QStringLiteral("bench_warmup"), rows);
        oneUpdate(*conn, QStringLiteral("bench_warmup"));
        conn->exec(QStringLiteral("DROP TABLE bench_warmup"));
        QMap<QString, Figures> figures;
        QVector<double> bOverA, cOverA, cOverT;
        for (int round = 0; round < rounds; ++round) {
            // The order rotates every round: no method always follows the one that wrote the most WAL.
            QMap<QString, MethodTiming> t;
            for (int i = 0; i < methods.size(); ++i) {
                const QString m = methods[(i + round) % methods.size()];
                const QString table = QStringLiteral("bench_") + m;
                makeTable(*conn, table, rows);
                if (m == QLatin1String("a"))
                    t[m] = oneUpdate(*conn, table);
                else if (m == QLatin1String("t"))
                    t[m] = expandThenOneUpdate(*conn, conninfo, dir.filePath(QStringLiteral("t-%1-%2.sqlite").arg(rows).arg(round)),
                                               table);
                else if (m == QLatin1String("b"))
                    t[m] = keysetBatches(*conn, table);
                else
                    t[m] = lockstepRunner(*conn, conninfo, dir.filePath(QStringLiteral("j-%1-%2.sqlite").arg(rows).arg(round)),
                                          table, runOptions);
                dropTable(*conn, table);
                if (t[m].rows != rows)
                    std::fprintf(stderr, "warning: (%s) wrote %lld rows of %lld\n", qPrintable(m), qint64(t[m].rows), qint64(rows));
                figures[m].seconds << t[m].backfillSeconds;
                figures[m].batches = t[m].batches;
            }
            std::printf("  %lld rows, round %d:", qint64(rows), round + 1);
            for (const QString& m : methods)
                std::printf("  (%s) %.2f s", qPrintable(m), t[m].backfillSeconds);
            // Ratios within a round compare methods run a minute apart, so a machine that drifts
            // between rounds does not show up as a difference between methods.
            if (t.contains(QStringLiteral("a")) && t.contains(QStringLiteral("b")))
                bOverA << t[QStringLiteral("a")].backfillSeconds / t[QStringLiteral("b")].backfillSeconds;
            if (t.contains(QStringLiteral("a")) && t.contains(QStringLiteral("c"))) {
                cOverA << t[QStringLiteral("a")].backfillSeconds / t[QStringLiteral("c")].backfillSeconds;
                std::printf("  c/a %.2f", cOverA.last());
            }
            if (t.contains(QStringLiteral("t")) && t.contains(QStringLiteral("c"))) {
                cOverT << t[QStringLiteral("t")].backfillSeconds / t[QStringLiteral("c")].backfillSeconds;
                std::printf("  c/a' %.2f", cOverT.last());
            }
            std::printf("\n");
            std::fflush(stdout);
        }
        std::printf(" %lld rows:\n", qint64(rows));
        if (figures.contains(QStringLiteral("a")))
            report(QStringLiteral("(a) one UPDATE"), QStringLiteral("a"), rows, figures[QStringLiteral("a")], {});
        if (figures.contains(QStringLiteral("b")))
            report(QStringLiteral("(b) 1000-row keyset batches"), QStringLiteral("b/a"), rows, figures[QStringLiteral("b")], bOverA);
        if (figures.contains(QStringLiteral("t")))
            report(QStringLiteral("(a') expand step, then one UPDATE"), QStringLiteral("t"), rows, figures[QStringLiteral("t")], {});
        if (figures.contains(QStringLiteral("c"))) {
            report(QStringLiteral("(c) Lockstep runner"), QStringLiteral("c/a"), rows, figures[QStringLiteral("c")], cOverA);
            if (!cOverT.isEmpty()) {
                std::printf("  %-34s %s\n", "", qPrintable(QStringLiteral("c/a' = %1 (the same triggers in place)").arg(median(cOverT), 0, 'f', 2)));
                printResult(QStringLiteral("backfill.%1.c_over_t").arg(rows), median(cOverT));
            }
        }
    }
    if (args.flag(QStringLiteral("server-log")))
        QFile::copy(cluster.logFilePath(), args.value(QStringLiteral("server-log")));
    return 0;
}
