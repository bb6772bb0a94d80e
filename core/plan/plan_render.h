// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/plan/plan.h"

namespace lockstep {

// A script a DBA can run end to end with `psql -v ON_ERROR_STOP=1 -f`: lock_timeout and statement_timeout
// set, CONCURRENTLY statements outside transactions, the backfill as a DO block committing per batch.
QString renderSqlScript(const Plan& plan);
// A readable summary with a lock badge per step, for terminals.
QString renderText(const Plan& plan);

// "0.05 s", "12 s", "2 min 10 s", "1 h 5 min".
QString formatDuration(double seconds);
// `text` with its line breaks turned into spaces, so it can sit in a "-- " comment (a newline in a title
// or an expression would end the comment and leave the rest as SQL).
QString commentSafe(QString text);
// One line describing the change: `add column "c" bigint`, `replace "a" with "b" bigint`.
QString describeChange(const Plan& plan);

} // namespace lockstep
