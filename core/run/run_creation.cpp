// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/run/run_creation.h"

namespace lockstep::run {

qint64 createRun(store::Journal& journal, const Plan& plan, const QString& conninfo, Phase until)
{
    const QString server = QStringLiteral("PostgreSQL %1").arg(plan.serverVersion);
    return journal.createRun(plan.until(until), conninfo, server, phaseName(until));
}

} // namespace lockstep::run
