// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/plan/planner_context.h"

namespace lockstep::plan_detail {

// The parameterised statements the runner executes batch by batch (see BackfillSpec).
BackfillSpec makeBackfillSpec(const PlanContext& ctx);
// The same walk as a psql-runnable script that commits after every batch: a DO block with COMMIT
// (PostgreSQL 11+), or for PostgreSQL 10 a query generating one UPDATE per batch run by psql's \gexec.
QStringList backfillScript(const PlanContext& ctx);
// Heap pages per batch for tables without a key.
qint64 pagesPerBatch(const PlanContext& ctx);

} // namespace lockstep::plan_detail
