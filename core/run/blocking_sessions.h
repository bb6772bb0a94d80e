// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/pg/connection.h"
#include "core/run/run_types.h"

namespace lockstep::run {

// Who is in the way of our statements on `table` (quoted, qualified): sessions blocking our backend and
// sessions holding a lock on the table (resources/sql/run_blocking_sessions.sql), oldest first.
QVector<BlockingSession> blockingSessions(pg::Connection& conn, const QString& table);

// One line for logs and the journal: "pid 1234 (alice, idle in transaction, 5.2 s): SELECT ...".
QString describeBlockers(const QVector<BlockingSession>& sessions);

} // namespace lockstep::run
