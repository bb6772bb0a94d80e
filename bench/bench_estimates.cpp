// SPDX-License-Identifier: GPL-3.0-or-later
// How good the durations are: a NOT NULL column with a backfill and an index on a table of --rows rows
// (bench makeTable: bigint key, integer, numeric, text), planned with the default model, rehearsed on a
// private copy of --rehearse-rows synthetic rows (core/rehearse, scaled to the table), then run for real
// on the same server. Prints per step the default estimate, the rehearsed time and the measured one with
// their ratios to the measured, side by side, and the totals. Target (issue 21): every step of 0.5 s or
// more, and the whole plan, within 1.5x of what it then takes. Never passes or fails on time.
//   bench_estimates [--rows N] [--rehearse-rows M] [--rounds R]   (default 1000000, 100000, 1)
#include "bench/support/bench_support.h"
#include "core/pg/catalog_reader.h"
#include "core/rehearse/rehearsal.h"
#include "core/run/run_creation.h"
#include "core/run/runner.h"
#include "core/store/journal.h"
#include "tests/pg/test_runner_support.h"

#include <QCoreApplication>
#include <QTemporaryDir>
#include <cstdio>

using namespace lockstep;
using namespace lockstep::bench;

namespace {
NewColumnChange totalCents()
{
    NewColumnChange change;
    change.table = QStringLiteral("items");
    change.column = QStringLiteral("price_cents");
    change.type = QStringLiteral("bigint");
    change.backfill = QStringLiteral("(price * 100)::bigint");
    change.notNull = true;
    change.index = true;
    return change;
}

// Seconds per step as the journal recorded them.
QHash<QString, double> measured(const QString& conninfo, const Plan& plan)
{
    QTemporaryDir dir;
    store::Journal journal(dir.filePath(QStringLiteral("journal.sqlite")));
    const qint64 runId = run::createRun(journal, plan, conninfo, Phase::Constrain);
    run::Runner runner(conninfo, journal.path(), runId, run::RunOptions{});
    QString outcome;
    QObject::connect(&runner, &run::Runner::finished, [&](const QString& o, const QString& m) { outcome = o + QStringLiteral(": ") + m; });
    runner.start();
    std::printf("  run: %s\n", qPrintable(outcome));
    QHash<QString, double> out;
    for (const store::StepRecord& s : journal.steps(runId))
        if (s.startedAt.isValid() && s.endedAt.isValid())
            out.insert(s.stepId, s.startedAt.msecsTo(s.endedAt) / 1000.0);
    return out;
}

double ratio(double a, double b) { return b > 0 ? a / b : 0; }
} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const Args args(argc, argv);
    const qint64 rows = qMax(1000, args.intValue(QStringLiteral("rows"), 1000000));
    const qint64 rehearseRows = qMax(1000, args.intValue(QStringLiteral("rehearse-rows"), 100000));
    const int rounds = qMax(1, args.intValue(QStringLiteral("rounds"), 1));
    LocalCluster cluster(benchClusterOptions());
    cluster.start();
    const QString conninfo = cluster.conninfo();
    std::printf("Estimates against the run: a NOT NULL bigint with a backfill and an index on %lld rows; rehearsed on %lld "
                "synthetic rows; %d round(s)\n", rows, rehearseRows, rounds);
    QVector<double> defaultTotals, rehearsedTotals;
    for (int round = 0; round < rounds; ++round) {
        auto conn = pg::Connection::open(conninfo);
        if (round > 0)
            dropTable(*conn, QStringLiteral("items"));
        makeTable(*conn, QStringLiteral("items"), rows);
        const Plan plan = test::planFor(conninfo, totalCents()).until(Phase::Constrain);
        rehearse::RehearsalOptions options;
        options.rows = rehearseRows;
        options.traffic = rehearse::TrafficRates{};   // the real run below has no traffic either
        const TableSnapshot table = pg::readTableSnapshot(*conn, plan.tableOid);
        const rehearse::RehearsalReport rehearsal = rehearse::rehearse(*conn, table, plan, options, [](const QString&) {});
        const QHash<QString, double> real = measured(conninfo, plan);
        std::printf("  %-22s %10s %10s %10s %9s %9s\n", "step", "default", "rehearsed", "measured", "def/meas", "reh/meas");
        double defaultTotal = 0, rehearsedTotal = 0, realTotal = 0;
        for (const rehearse::StepTiming& s : rehearsal.steps) {
            const double m = real.value(s.id);
            defaultTotal += s.estimatedSeconds;
            rehearsedTotal += s.scaledSeconds;
            realTotal += m;
            std::printf("  %-22s %9.3fs %9.3fs %9.3fs %8.2fx %8.2fx%s\n", qPrintable(s.id), s.estimatedSeconds, s.scaledSeconds, m,
                        ratio(s.estimatedSeconds, m), ratio(s.scaledSeconds, m), m >= 0.5 ? "  (>= 0.5 s: target 1.5x)" : "");
            if (m >= 0.5) {
                printResult(QStringLiteral("estimates.default.%1_ratio").arg(s.id), ratio(s.estimatedSeconds, m));
                printResult(QStringLiteral("estimates.rehearsed.%1_ratio").arg(s.id), ratio(s.scaledSeconds, m));
            }
        }
        std::printf("  %-22s %9.3fs %9.3fs %9.3fs %8.2fx %8.2fx\n", "whole plan", defaultTotal, rehearsedTotal, realTotal,
                    ratio(defaultTotal, realTotal), ratio(rehearsedTotal, realTotal));
        defaultTotals << ratio(defaultTotal, realTotal);
        rehearsedTotals << ratio(rehearsedTotal, realTotal);
    }
    printResult(QStringLiteral("estimates.default.total_ratio"), median(defaultTotals));
    printResult(QStringLiteral("estimates.rehearsed.total_ratio"), median(rehearsedTotals));
    return 0;
}
