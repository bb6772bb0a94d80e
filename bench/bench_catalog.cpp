// SPDX-License-Identifier: GPL-3.0-or-later
// Catalog scale: many tables (default 10,000: a few columns each, a primary key on most, rows in every
// tenth, some partitioned) on a private PostgreSQL 15. First the app's main window (offscreen, in this
// process: the same code as the app) connects and shows the catalog: the time from connectTo() until the
// map is drawn and the process's peak memory. Then readCatalog alone, against psql's `\dt+` (which also
// measures every table's size). Prints figures; never passes or fails on time.
//   bench_catalog [TABLES] [ROUNDS]   (default 10000 tables, 3 rounds; medians are printed)
#include "core/local/local_cluster.h"
#include "core/pg/catalog.h"
#include "core/pg/connection.h"
#include "tests/support/pg_fixture.h"

#include "bench/support/bench_support.h"
#include "ui/window/main_window.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTemporaryDir>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <sys/resource.h>

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

using bench::median;

double peakRssMb()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024.0;
}

struct AppFigures {
    double loadMs = -1;      // connectTo() until catalogLoaded and the window painted
    double idleMb = 0;       // peak RSS with the window shown, not connected
    double peakMb = 0;       // peak RSS with the catalog shown
    int tables = 0;
};

// The main window as the app runs it; its settings and journal live in a throwaway HOME (set in main).
AppFigures measureApp(const QString& conninfo)
{
    AppFigures f;
    ui::MainWindow window;
    window.resize(1600, 1000);
    window.show();
    window.grab();
    QCoreApplication::processEvents();
    f.idleMb = peakRssMb();
    QEventLoop loop;
    QObject::connect(&window, &ui::MainWindow::catalogLoaded, &loop, [&](int tables) {
        f.tables = tables;
        loop.quit();
    });
    QTimer::singleShot(120000, &loop, &QEventLoop::quit);
    QElapsedTimer timer;
    timer.start();
    window.connectTo(conninfo, QStringLiteral("bench"));
    loop.exec();
    window.grab();   // the map's first paint is part of what the user waits for
    f.loadMs = f.tables > 0 ? timer.nsecsElapsed() / 1e6 : -1;
    QCoreApplication::processEvents();
    f.peakMb = peakRssMb();
    return f;
}
} // namespace

int main(int argc, char** argv)
{
    // The window must not touch the user's settings or journal; offscreen unless a display is asked for.
    QTemporaryDir home;
    qputenv("HOME", home.path().toLocal8Bit());
    qputenv("XDG_CONFIG_HOME", (home.path() + QStringLiteral("/config")).toLocal8Bit());
    qputenv("XDG_DATA_HOME", (home.path() + QStringLiteral("/data")).toLocal8Bit());
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
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
    std::fflush(stdout);

    // First, while this process has allocated nothing big yet: its peak memory is the window's.
    const AppFigures appFigures = measureApp(conninfo);
    std::printf("  app window: catalog of %d tables shown %.1f ms after connectTo(); peak memory %.1f MB "
                "(%.1f MB with the window shown before connecting)\n",
                appFigures.tables, appFigures.loadMs, appFigures.peakMb, appFigures.idleMb);

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
    bench::printResult(QStringLiteral("catalog.tables"), loaded);
    bench::printResult(QStringLiteral("catalog.app_load_ms"), appFigures.loadMs);
    bench::printResult(QStringLiteral("catalog.app_peak_mb"), appFigures.peakMb);
    bench::printResult(QStringLiteral("catalog.app_idle_mb"), appFigures.idleMb);
    bench::printResult(QStringLiteral("catalog.read_ms"), median(oneSample));
    bench::printResult(QStringLiteral("catalog.read_new_connection_ms"), median(fresh));
    bench::printResult(QStringLiteral("catalog.psql_ms"), median(psql));
    return 0;
}
