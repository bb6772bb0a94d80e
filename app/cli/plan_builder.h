// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/change/new_column_change.h"
#include "core/pg/connection.h"
#include "core/plan/plan.h"
#include "core/plan/planner.h"

#include <QCommandLineParser>
#include <memory>

namespace lockstep::cli {

// Connects, or prints why not ("lockstep COMMAND: cannot connect: ...") and sets *exitCode to
// ExitCannotConnect.
std::unique_ptr<pg::Connection> connectOrReport(const QString& conninfo, const QString& command, int* exitCode);

// Everything that can be checked without the server (run before connecting). ExitOk, or prints the
// reason and returns ExitInvalidInput.
int validateOffline(const NewColumnChange& change);
// Resolves the change on the server and plans it. Returns ExitOk and fills *plan, or prints the reason
// and returns the exit code (2 invalid input, 3 connection lost, 1 otherwise). `takeOver`: --take-over
// (run/run_takeover.h), the plan then names the run it takes over.
int resolveAndPlan(pg::Connection& conn, const NewColumnChange& change, const PlannerOptions& options,
                   const QString& command, Plan* plan, bool takeOver = false);
// --take-over, for plan and run.
void addTakeOverOption(QCommandLineParser& parser);

} // namespace lockstep::cli
