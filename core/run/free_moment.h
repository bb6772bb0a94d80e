// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief-lock steps first look for a free moment: LOCK TABLE ... NOWAIT at the start of the step's
// transaction either gets the lock at once or fails at once, so no application statement ever queues
// behind a waiting request (what a lock_timeout, however short, costs under hot-row traffic such as
// TPC-B). Tried every few milliseconds with jitter for RunOptions::freeMomentMs; only then does the step
// wait in line on the LockWaitLadder. What the application still pays is the step's own run time under
// the lock.
#include "core/plan/lock_mode.h"

#include <QStringList>
#include <optional>

namespace lockstep::run {

// The strongest lock `statements` take on `tableSql` (quoted, schema-qualified: the plan's table), read
// from their parse trees by the linter's lock table; nullopt when none of them locks that table or the
// text does not parse (then there is nothing to take ahead).
std::optional<LockMode> strongestLockOn(const QStringList& statements, const QString& tableSql);

// "LOCK TABLE <tableSql> IN <MODE> MODE NOWAIT"
QString lockNowaitStatement(const QString& tableSql, LockMode mode);

// The pause between two tries, 2-6 ms: short enough to catch the gaps between hot-row transactions,
// jittered so it does not fall into step with a periodic writer.
int freeMomentPauseMs();

} // namespace lockstep::run
