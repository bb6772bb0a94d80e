// SPDX-License-Identifier: GPL-3.0-or-later
// Catalog load time: readCatalog over many tables (default 10,000: a few columns each, a primary key on
// most, rows in every tenth, some partitioned) on a private PostgreSQL 15, against psql's `\dt+` (which
// also measures every table's size) for comparison. Prints figures; never passes or fails on time.
//   bench_catalog [TABLES] [ROUNDS]   (default 10000 tables, 3 rounds; medians are printed)
#include "core/local/local_cluster.h"
#include "core/pg/catalog.h"
#include "core/pg/connection.h"
#include "tests/support/pg_fixture.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <algorithm>
#include <cstdio>

using namespace lockstep;

namespace {
// In batches: one transaction creating thousands of tables would run out of lock table slots.
void createTables(pg::Connection& c, int tables)
{
    const int batch = 500;
    for (int from = 0; from < tables; from += batch) {
        const int to = std::min(tables, from + batch);
        c.exec(QStringLiteral(
                   "DO $$ BEGIN FOR i IN %1..%2 LOOP "
                   "  IF i %% 50 = 0 THEN "
                   "    EXECUTE format('CREATE TABLE bench.t%s (id bigint NOT NULL, at date NOT NULL, note text, "
                   "PRIMARY KEY (id, at)) PARTITION BY RANGE (at)', i); "
                   "    EXECUTE format('CREATE TABLE bench.t%s_2025 PARTITION OF bench.t%s FOR VALUES FROM "
                   "(''2025-01-01'') TO (''2026-01-01'')', i, i); "
                   "  ELSIF i %% 7 = 0 THEN "
                   "    EXECUTE format('CREATE TABLE bench.t%s (id bigint, qty integer, note text)', i); "
                   "  ELSE "
                   "    EXECUTE format('CREATE TABLE bench.t%s (id bigint PRIMARY KEY, qty integer NOT NULL DEFAULT 0, "
                   "price numeric(10,2), note text)', i); "
                   "  END IF; "
                   "  IF i %% 10 = 1 THEN "
                   "    EXECUTE format('INSERT INTO bench.t%s (id, qty, note) SELECT g, g, ''row '' || g "
                   "FROM generate_series(1, 200) g', i); "
                   "  END IF; "
                   "END LOOP; END $$")
                   .arg(from)
                   .arg(to - 1)
                   .replace(QLatin1String("%%"), QLatin1String("%")));
    }
    c.exec(QStringLiteral("ANALYZE"));
}

double median(QVector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}
} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const int tables = argc > 1 ? std::max(1, QByteArray(argv[1]).toInt()) : 10000;
    const int rounds = argc > 2 ? std::max(1, QByteArray(argv[2]).toInt()) : 3;
    LocalCluster cluster;
    cluster.start();
    const QString conninfo = cluster.conninfo();
    auto conn = pg::Connection::open(conninfo);
    conn->exec(QStringLiteral("CREATE SCHEMA bench"));
    QElapsedTimer timer;
    timer.start();
    createTables(*conn, tables);
    std::printf("catalog of %d tables (every 50th partitioned with one partition, every 7th without a key), "
                "PostgreSQL %s; created in %.1f s\n",
                tables, qPrintable(conn->serverVersion()), timer.nsecsElapsed() / 1e9);

    QVector<double> fresh, oneSample, withRates, overhead, psql;
    int loaded = 0;
    for (int round = 0; round < rounds; ++round) {
        // What `lockstep inspect` pays: a new connection, whose backend has no relation cached yet.
        timer.restart();
        {
            auto coldConn = pg::Connection::open(conninfo);
            pg::readCatalog(*coldConn, 0);
        }
        fresh << timer.nsecsElapsed() / 1e6;

        timer.restart();
        const pg::CatalogSnapshot once = pg::readCatalog(*conn, 0);
        oneSample << timer.nsecsElapsed() / 1e6;
        loaded = once.tables.size();

        timer.restart();
        const pg::CatalogSnapshot rated = pg::readCatalog(*conn);
        withRates << timer.nsecsElapsed() / 1e6;
        overhead << withRates.last() - 1000.0;   // the default rate sample waits 1000 ms by design

        timer.restart();
        const test::ProcessResult r = test::runProcess(cluster.binDir() + QStringLiteral("/psql"),
                                                       {QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-d"),
                                                        conninfo, QStringLiteral("-c"), QStringLiteral("\\dt+ bench.*")});
        psql << timer.nsecsElapsed() / 1e6;
        if (r.exitCode != 0)
            std::fprintf(stderr, "psql failed: %s\n", r.err.constData());
        std::printf("  round %d: new connection + readCatalog(0) %7.1f ms   readCatalog(0) %7.1f ms   readCatalog() %7.1f ms"
                    "   psql \\dt+ %7.1f ms\n",
                    round + 1, fresh.last(), oneSample.last(), withRates.last(), psql.last());
    }
    std::printf("tables loaded                           %d\n", loaded);
    std::printf("median new connection + readCatalog(0)  %7.1f ms\n", median(fresh));
    std::printf("median readCatalog(rateSampleMs = 0)    %7.1f ms\n", median(oneSample));
    std::printf("median readCatalog() (1000 ms sample)   %7.1f ms  (%.1f ms beyond the sample wait)\n",
                median(withRates), median(overhead));
    std::printf("median psql -c '\\dt+' (process incl.)   %7.1f ms\n", median(psql));
    return 0;
}
