// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/run/run_types.h"

#include <QString>

namespace lockstep::cli {

enum class RunAction { Start, Rollback };

// Runs (or rolls back) a journaled run on a Runner in its own thread, printing progress on stderr, until it
// finishes. SIGINT/SIGTERM abort cleanly: the run stays resumable. Returns the CLI exit code:
// 0 done / rolled back, 4 a step failed (resumable), 130 interrupted. Callers check the connection first.
// maxLagSeconds: the backfill holds while a replica's replay lag is above it (0: not watched).
int driveRun(const QString& conninfo, const QString& journalPath, qint64 runId, const run::RunOptions& options,
             double maxLagSeconds, RunAction action);

} // namespace lockstep::cli
