// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/pg/connection.h"

namespace lockstep::cli {

// For run, resume and rollback: true (and the reason on stderr) when `conn` goes through a pooler that does
// not keep sessions (PgBouncer in transaction or statement mode): a run needs its session. A pooler in
// session mode, or one whose mode cannot be learnt, is said on stderr and allowed.
bool refusedThroughPooler(pg::Connection& conn, const QString& conninfo, const QString& command);
// For plan and inspect (read-only, one transaction at a time): a note on stderr when there is a pooler.
void notePooler(pg::Connection& conn, const QString& conninfo, const QString& command);

} // namespace lockstep::cli
