// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A rehearsal: the plan run for real on a throwaway copy of its table -- a private PostgreSQL server
// (LocalCluster, fsync on, removed afterwards), the table's shape rebuilt (table_copy.h) and filled with
// production-sized synthetic rows shaped by the real pg_stats (synthetic_rows.h) -- by the same Runner
// and options production would get, each step timed. The production server is only read: statistics in a
// read-only transaction, the table's counters, the catalog. Row-bound steps (the backfill, scans, index builds) are
// scaled to the production row count when the copy is smaller.
#include "core/pg/connection.h"
#include "core/pg/table_snapshot.h"
#include "core/plan/plan.h"
#include "core/rehearse/traffic_replay.h"
#include "core/run/run_types.h"

#include <QString>
#include <QStringList>
#include <QVector>
#include <functional>
#include <optional>

namespace lockstep::rehearse {

struct RehearsalOptions {
    qint64 rows = 0;                 // rows in the copy; 0: the table's row estimate
    qint64 maxRows = 1000000;        // cap on the copy's rows (row-bound steps are then scaled)
    Phase until = Phase::Constrain;
    run::RunOptions run;
    // The traffic replayed on the copy: given, or (unset) measured on production over `sampleMs`.
    std::optional<TrafficRates> traffic;
    int sampleMs = 1000;
    // Asked between the phases and every 100 ms during the run (which is then aborted): true stops the
    // rehearsal (the window's Cancel). Unset: never.
    std::function<bool()> cancelled;
};

// The replayed traffic and what it saw: before the run (the baseline) and over the whole run.
struct TrafficReport {
    bool replayed = false;
    QString source;                  // "measured on production: ..." or "given: ..."; or why there was none
    TrafficRates rates;
    LatencySummary baseline;
    LatencySummary during;
    QString firstError;              // the first statement of the application's that failed
};

struct StepTiming {
    QString id, title;
    double estimatedSeconds = 0;     // the plan's estimate (for production)
    double rehearsedSeconds = 0;     // as it ran on the copy
    double scaledSeconds = 0;        // for production's row count (= rehearsed for brief steps)
    bool scaled = false;
    int attempts = 0;
    QString state;                   // "done", "failed", "pending", ...
    QString error;
    LatencySummary traffic;          // the replayed statements that overlapped the step
};

struct ColumnFidelity {
    QString name;
    double nullFracSource = 0, nullFracCopy = 0;
    double distinctSource = 0, distinctCopy = 0;   // distinct values among the table's rows
};

struct RehearsalReport {
    QString table;
    QString change;                  // "add column \"total\" bigint NOT NULL ..."
    qint64 productionRows = 0;
    qint64 copyRows = 0;
    double rowScale = 1;             // productionRows / copyRows
    QString outcome;                 // "done" or "failed"
    QString message;                 // the run's last word
    QVector<StepTiming> steps;
    QVector<ColumnFidelity> columns;
    QStringList madeUp;              // what the synthetic rows could not follow
    QStringList leftOut;             // what the copy does not have
    QStringList problems;            // a failed step, lock waits, the application's statements failing or held up
    TrafficReport traffic;
    qint64 walBytes = 0;             // written on the copy by the run
    double seconds = 0;              // the rehearsal's wall time, copy included
    QString server;                  // "PostgreSQL 15.x, private, removed afterwards"

    bool ok() const { return outcome == QLatin1String("done") && problems.isEmpty(); }
};

// Throws std::runtime_error when the copy cannot be made (no server binaries, a type the copy does not
// know, ...) or the rehearsal was cancelled before its run; a failing step is a problem in the report, not
// an exception (a cancelled run too: outcome "aborted").
RehearsalReport rehearse(pg::Connection& production, const TableSnapshot& table, const Plan& plan,
                         const RehearsalOptions& options, const std::function<void(const QString&)>& say);

} // namespace lockstep::rehearse
