// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/plan/plan.h"

namespace lockstep {

// A script a DBA can run end to end with `psql -v ON_ERROR_STOP=1 -f`: lock_timeout and statement_timeout
// set, CONCURRENTLY statements outside transactions, the backfill as a DO block committing per batch.
QString renderSqlScript(const Plan& plan);
// A readable summary with a lock badge per step, for terminals.
QString renderText(const Plan& plan);

} // namespace lockstep
