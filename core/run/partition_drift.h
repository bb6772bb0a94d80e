// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A partitioned table's plan names each partition (the backfill walks them one by one; the index is built
// and attached partition by partition). A partition attached, created or detached since the plan would go
// unwalked (its rows NULL), leave the parent's index invalid or fail an attach half-way: up to the last
// step that names partitions, the run stops before its next step and says what changed. (The column,
// triggers and constraints reach new partitions by themselves.)
#include "core/pg/connection.h"
#include "core/plan/plan.h"

namespace lockstep::run {

// Empty when `plan` has no partitions or they are still the planned ones; else why the run cannot go on
// (the partitions attached and detached since the plan, and the ways out for run `runId`).
QString partitionDrift(pg::Connection& conn, const Plan& plan, qint64 runId);

} // namespace lockstep::run
