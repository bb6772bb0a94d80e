// SPDX-License-Identifier: GPL-3.0-or-later
// Backfill throughput: Lockstep's runner against one `UPDATE t SET c = expr` (the ceiling) on fresh,
// identical copies of a table, on a private PostgreSQL 15 (LocalCluster, fsync on: real commit costs).
// Prints figures; never passes or fails on time.
//   bench_backfill [ROWS] [ROUNDS]   (default 1,000,000 rows, 3 rounds; the methods alternate within a
//   round so that a busy machine slows both alike, and the medians are compared)
#include "core/change/change_resolver.h"
#include "core/local/local_cluster.h"
#include "core/pg/connection.h"
#include "core/plan/planner.h"
#include "core/run/run_creation.h"
#include "core/run/runner.h"
#include "core/store/journal.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QMap>
#include <QTemporaryDir>
#include <algorithm>
#include <cstdio>

using namespace lockstep;

namespace {
void makeTable(pg::Connection& c, const QString& name, int rows)
{
    c.exec(QStringLiteral("DROP TABLE IF EXISTS %1").arg(name));
    c.exec(QStringLiteral("CREATE TABLE %1 (id bigint PRIMARY KEY, qty integer NOT NULL, price numeric(10,2) NOT NULL, "
                          "note text)").arg(name));
    c.exec(QStringLiteral("INSERT INTO %1 SELECT g, g %% 97, (g %% 1000) / 10.0, 'row ' || g FROM generate_series(1, %2) g")
               .arg(name).arg(rows).replace(QLatin1String("%%"), QLatin1String("%")));
    c.exec(QStringLiteral("VACUUM ANALYZE %1").arg(name));
    c.exec(QStringLiteral("CHECKPOINT"));
}

double median(QVector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

double singleUpdateSeconds(pg::Connection& c)
{
    c.exec(QStringLiteral("ALTER TABLE bench_a ADD COLUMN total numeric(12,2)"));
    QElapsedTimer t;
    t.start();
    c.exec(QStringLiteral("UPDATE bench_a SET total = (qty * price)::numeric(12,2)"));
    return t.nsecsElapsed() / 1e9;
}

double runnerBackfillSeconds(pg::Connection& c, const QString& conninfo, const QString& journalPath, int targetBatchMs)
{
    NewColumnChange change;
    change.table = QStringLiteral("bench_c");
    change.column = QStringLiteral("total");
    change.type = QStringLiteral("numeric(12,2)");
    change.backfill = QStringLiteral("qty * price");
    const auto resolved = ChangeResolver(c).resolve(change);
    const Plan plan = Planner([&c](const QString& n) { return c.quoteIdent(n); }).plan(resolved.table, resolved.change);
    store::Journal journal(journalPath);
    const qint64 runId = run::createRun(journal, plan, conninfo, Phase::Backfill);
    run::RunOptions options;
    options.targetBatchMs = targetBatchMs;
    run::Runner runner(conninfo, journalPath, runId, options);
    runner.start();   // synchronous here: the benchmark has no event loop to keep alive
    for (const store::StepRecord& s : journal.steps(runId))
        if (s.stepId == QLatin1String("backfill") && s.state == store::StepState::Done)
            return s.startedAt.msecsTo(s.endedAt) / 1000.0;
    std::fprintf(stderr, "the runner did not finish its backfill\n");
    return -1;
}
} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const int rows = argc > 1 ? QByteArray(argv[1]).toInt() : 1000000;
    LocalClusterOptions options;
    options.fsync = true;
    options.settings << QStringLiteral("shared_buffers=512MB") << QStringLiteral("max_wal_size=4GB");
    LocalCluster cluster(options);
    cluster.start();
    const QString conninfo = cluster.conninfo();
    auto conn = pg::Connection::open(conninfo);
    QTemporaryDir dir;

    const int rounds = argc > 2 ? qMax(1, QByteArray(argv[2]).toInt()) : 3;
    std::printf("backfill of %d rows, PostgreSQL %s, fsync on, %d rounds\n", rows, qPrintable(conn->serverVersion()), rounds);
    const QList<int> targets{300, 1000};
    QVector<double> a;
    QMap<int, QVector<double>> c;
    for (int round = 0; round < rounds; ++round) {
        makeTable(*conn, QStringLiteral("bench_a"), rows);
        a << singleUpdateSeconds(*conn);
        conn->exec(QStringLiteral("DROP TABLE bench_a"));
        for (const int target : targets) {
            makeTable(*conn, QStringLiteral("bench_c"), rows);
            c[target] << runnerBackfillSeconds(*conn, conninfo, dir.filePath(QStringLiteral("j%1-%2.sqlite").arg(target).arg(round)), target);
            conn->exec(QStringLiteral("DROP TABLE bench_c"));
        }
        std::printf("  round %d: (a) %.2f s", round + 1, a.last());
        for (const int target : targets)
            std::printf("  (c, %d ms) %.2f s", target, c[target].last());
        std::printf("\n");
    }
    const double am = median(a);
    std::printf("median (a) one UPDATE              %8.2f s  %10.0f rows/s\n", am, rows / am);
    for (const int target : targets) {
        const double cm = median(c[target]);
        std::printf("median (c) runner, target %4d ms  %8.2f s  %10.0f rows/s  c/a = %.2f\n", target, cm, rows / cm, am / cm);
    }
    return 0;
}
