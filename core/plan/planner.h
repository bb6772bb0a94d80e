// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/change/resolved_change.h"
#include "core/pg/table_snapshot.h"
#include "core/plan/ident_quoter.h"
#include "core/plan/plan.h"

namespace lockstep {

struct PlannerOptions {
    int lockTimeoutMs = 1000;        // SET lock_timeout before every brief ACCESS EXCLUSIVE statement
    int batchRows = 1000;            // the DO-block backfill's batch size (the runner adapts its own)
    // Estimate model, deliberately simple and stated: see docs/ARCHITECTURE.md.
    double scanBytesPerSecond = 200e6;
    double backfillRowsPerSecond = 50000;
    double briefLockSeconds = 0.05;
    // Where the rates above come from, said with the plan (Plan::estimateSource); empty: not said.
    QString estimateSource;
};

// Expands a validated change into phased steps (expand, backfill, constrain, switch, contract),
// version-aware for PostgreSQL 10-17. Pure: no I/O, so it is tested on hand-built snapshots.
class Planner {
public:
    explicit Planner(IdentQuoter quote, PlannerOptions options = {});
    Plan plan(const TableSnapshot& table, const ResolvedChange& change) const;

private:
    IdentQuoter m_quote;
    PlannerOptions m_options;
};

} // namespace lockstep
