// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/run/switch_verification.h"

namespace lockstep::run {

SwitchVerification verifySwitch(pg::Connection& conn, const Plan& plan)
{
    SwitchVerification v;
    QStringList lines;
    for (const Step& s : plan.steps) {
        if (!s.backfill)
            continue;
        v.hasBackfill = true;
        const qint64 n = conn.exec(s.backfill->remainingSql).value(0, 0).toLongLong();
        v.rowsDiffering += n;
        lines << QStringLiteral("%1 row(s) where %2").arg(n).arg(s.backfill->filter);
    }
    v.detail = lines.join(QLatin1Char('\n'));
    return v;
}

bool cancelBackend(pg::Connection& conn, int pid)
{
    return conn.exec(QStringLiteral("SELECT pg_cancel_backend($1)"), {pid}).value(0, 0) == QLatin1String("t");
}

} // namespace lockstep::run
