// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/pg/connection.h"

namespace lockstep::run {

// The delay before retry number `attempt` (1 = the first retry): base * 2^(attempt-1), capped, with
// "equal jitter" (half fixed, half random) so several waiting runners do not retry in step.
int backoffDelayMs(int attempt, int baseMs, int capMs);

// Worth another try after a short wait: lock_timeout (55P03) and deadlock (40P01).
bool isLockContention(const pg::PgException& e);
// The session is gone (SQLSTATE class 08, 57P01/57P02/57P03 admin shutdown) or libpq says the
// connection is bad: reconnect and continue from the journal.
bool isConnectionLost(const pg::PgException& e, const pg::Connection* conn);
// A value the expression could not compute for some row: a data exception (class 22: invalid input,
// out of range, division by zero ...) or an error raised by a function it calls (class P0).
bool isValueError(const pg::PgException& e);
// Our own cancel (abort) or a statement_timeout.
bool isCanceled(const pg::PgException& e);

} // namespace lockstep::run
