// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/pooler_guard.h"

#include "app/cli/console.h"
#include "core/pg/pooler_check.h"

namespace lockstep::cli {

bool refusedThroughPooler(pg::Connection& conn, const QString& conninfo, const QString& command)
{
    const pg::PoolerCheck pooler = pg::detectPooler(conn, conninfo);
    if (!pooler.detected)
        return false;
    if (pooler.mode == QLatin1String("session")) {
        err() << QStringLiteral("lockstep %1: through %2; session pooling keeps this run's session, so it goes on")
                     .arg(command, pooler.describe()) << Qt::endl;
        return false;
    }
    if (pooler.mode.isEmpty()) {
        err() << QStringLiteral("lockstep %1: warning: the server listens on another port than the one reached (%2): a "
                                "proxy, a mapped port, or a pooler whose mode could not be learnt. A pooler in transaction "
                                "mode would break the run's session: if there is one, stop and connect directly")
                     .arg(command, pooler.evidence) << Qt::endl;
        return false;
    }
    err() << QStringLiteral("lockstep %1: connected through %2. A run relies on its own session (lock_timeout for each "
                            "attempt, its claim on the table, the backfill's settings), which %3 pooling does not keep; "
                            "nothing was done. Connect directly to the server for run, resume and rollback; plan and "
                            "inspect work through the pooler.")
                 .arg(command, pooler.describe(), pooler.mode) << Qt::endl;
    return true;
}

void notePooler(pg::Connection& conn, const QString& conninfo, const QString& command)
{
    const pg::PoolerCheck pooler = pg::detectPooler(conn, conninfo);
    if (pooler.detected)
        err() << QStringLiteral("lockstep %1: note: through %2; fine for %1, but run, resume and rollback need a direct "
                                "connection unless the pooler keeps sessions").arg(command, pooler.describe()) << Qt::endl;
}

} // namespace lockstep::cli
