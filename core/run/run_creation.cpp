// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/run/run_creation.h"

#include "core/change/change_error.h"
#include "core/change/change_resolver.h"

namespace lockstep::run {

qint64 createRun(store::Journal& journal, const Plan& plan, const QString& conninfo, Phase until)
{
    const QString server = QStringLiteral("PostgreSQL %1").arg(plan.serverVersion);
    return journal.createRun(plan.until(until), conninfo, server, phaseName(until));
}

QString reproveChange(pg::Connection& conn, const Plan& plan)
{
    try {
        ChangeResolver(conn).resolve(plan.change);
        return {};
    } catch (const ChangeError& e) {
        return QString::fromUtf8(e.what());
    }
}

} // namespace lockstep::run
