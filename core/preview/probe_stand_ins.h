// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/pg/connection.h"

#include <QString>
#include <QStringList>

namespace lockstep::preview {

// Some statements take their strongest lock only when the object they act on exists: DROP TRIGGER locks
// the table ACCESS SHARE to look the trigger up and ACCESS EXCLUSIVE only to remove one that is there. Tried
// alone from a clean start (the lock probe), the trigger made by an earlier step is missing, so the probe
// would see the lookup's lock only. The statements returned here, run first inside the probe's savepoint,
// create a stand-in of the same name (on the built-in suppress_redundant_updates_trigger, nothing to create)
// so the DROP takes its real path. Empty when `statement` needs none (not a DROP TRIGGER, or the trigger is
// already there). The existence check runs on `conn`, inside the caller's transaction.
QStringList probeStandIns(pg::Connection& conn, const QString& statement);

} // namespace lockstep::preview
