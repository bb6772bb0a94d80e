// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/run/table_claim.h"

namespace lockstep::run {

QString ClaimHolder::describe() const
{
    const int minutes = int(connectedSeconds / 60);
    const QString since = connectedSeconds < 0 ? QStringLiteral("connected since a time this role cannot see")
                          : minutes >= 1       ? QStringLiteral("connected %1 min ago").arg(minutes)
                                               : QStringLiteral("connected %1 s ago").arg(int(connectedSeconds));
    return QStringLiteral("%1 (pid %2, role %3, from %4, %5)")
        .arg(applicationName.isEmpty() ? QStringLiteral("a session") : applicationName)
        .arg(pid)
        .arg(role.isEmpty() ? QStringLiteral("unknown") : role, clientAddress, since);
}

bool tryClaimTable(pg::Connection& conn, const QString& table)
{
    return conn.exec(pg::sqlResource(QStringLiteral("run_claim_try")), {table}).value(0, 0) == QLatin1String("t");
}

void releaseTable(pg::Connection& conn, const QString& table)
{
    conn.exec(pg::sqlResource(QStringLiteral("run_claim_release")), {table});
}

std::optional<ClaimHolder> tableClaimHolder(pg::Connection& conn, const QString& table)
{
    const auto r = conn.exec(pg::sqlResource(QStringLiteral("run_claim_holder")), {table});
    if (r.rows() == 0)
        return std::nullopt;
    ClaimHolder h;
    h.pid = r.value(0, "pid").toInt();
    h.role = r.value(0, "usename");
    h.applicationName = r.value(0, "application_name");
    h.clientAddress = r.value(0, "client_addr");
    h.connectedSeconds = r.value(0, "connected_seconds").toDouble();
    return h;
}

} // namespace lockstep::run
