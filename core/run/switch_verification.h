// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/pg/connection.h"
#include "core/plan/plan.h"

#include <QString>

namespace lockstep::run {

// What the switch gate shows before the application moves to the new column: how many rows still differ
// from their backfill expression (it must be 0), over every backfill step of `plan`.
struct SwitchVerification {
    qint64 rowsDiffering = 0;
    // Rows whose value the expression could not compute (application writes through the sync trigger, or
    // met by the walk): recorded, NULL in the new column; they must be fixed before the switch.
    qint64 rowsFailed = 0;
    QString detail;            // "0 rows where twice IS DISTINCT FROM ..." per backfill step, one line each
    bool hasBackfill = false;  // false: nothing to verify (the plan backfills nothing)
};

// The rows of one backfill step's value function still recorded as failing (none when the plan has no
// record of them, or the record is gone). `sample` gets "key {...}: error" of one of them.
qint64 failedRows(pg::Connection& conn, const BackfillSpec& spec, QString* sample = nullptr);

// Runs each backfill step's count of rows still to fill (a full scan of the table; call it off the GUI
// thread). Throws pg::PgException.
SwitchVerification verifySwitch(pg::Connection& conn, const Plan& plan);

// Asks the server to cancel the statement backend `pid` is running (pg_cancel_backend): the lock a single
// statement holds goes with it; a session idle in its transaction keeps its locks (nothing to cancel).
// True when the server sent the signal. Throws pg::PgException (e.g. not allowed to signal that backend).
bool cancelBackend(pg::Connection& conn, int pid);

} // namespace lockstep::run
