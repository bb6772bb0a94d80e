// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The three ways to fill a new column that the benchmarks compare, on a table made by makeTable():
// (a) one UPDATE of the whole table, (b) fixed 1000-row keyset batches as pgroll and gh-ost do by
// default, (c) Lockstep's runner (expand, then the adaptive backfill). Each returns the backfill's own
// seconds; the column is `total numeric(12,2)` = qty * price.
#include "core/pg/connection.h"
#include "core/plan/plan.h"
#include "core/run/run_types.h"

#include <QString>

namespace lockstep::bench {

struct MethodTiming {
    double backfillSeconds = 0;   // the fill itself
    double wholeSeconds = 0;      // with the column's creation (and for the runner its trigger)
    qint64 rows = 0;              // rows the method reported as written
    qint64 batches = 0;
};

// ALTER TABLE ADD COLUMN, then UPDATE t SET total = ... in one statement.
MethodTiming oneUpdate(pg::Connection& conn, const QString& table);
// ALTER TABLE ADD COLUMN, then batches of `batchRows` keys (the next keys after the last one, locked
// FOR NO KEY UPDATE, updated, committed), each its own transaction.
MethodTiming keysetBatches(pg::Connection& conn, const QString& table, int batchRows = 1000);
// The plan of `ADD COLUMN total numeric(12,2)` backfilled with qty * price, from the real resolver and planner.
Plan totalColumnPlan(pg::Connection& conn, const QString& table);
// Plans `ADD COLUMN total numeric(12,2)` backfilled with qty * price and runs it with a journaled
// Runner up to the end of the backfill, with the runner's default options unless told otherwise.
MethodTiming lockstepRunner(pg::Connection& conn, const QString& conninfo, const QString& journalPath,
                            const QString& table, const run::RunOptions& options = {});
// Lockstep's expand step alone (the column and its dual-write triggers), through a journaled Runner.
void expandStep(pg::Connection& conn, const QString& conninfo, const QString& journalPath, const QString& table);
// (a') The ceiling under the same conditions as the runner: Lockstep's expand step (column and dual-write
// triggers, through the Runner), then one UPDATE. PostgreSQL locks every row it updates before running
// BEFORE UPDATE triggers, even ones whose UPDATE OF columns exclude it (one more WAL record per row).
MethodTiming expandThenOneUpdate(pg::Connection& conn, const QString& conninfo, const QString& journalPath,
                                 const QString& table);

} // namespace lockstep::bench
