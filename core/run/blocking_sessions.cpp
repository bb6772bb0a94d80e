// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/run/blocking_sessions.h"

namespace lockstep::run {

QVector<BlockingSession> blockingSessions(pg::Connection& conn, const QString& table)
{
    QVector<BlockingSession> out;
    auto r = conn.exec(pg::sqlResource(QStringLiteral("run_blocking_sessions")), {table, conn.backendPid()});
    for (int i = 0; i < r.rows(); ++i) {
        BlockingSession b;
        b.pid = r.value(i, "pid").toInt();
        b.user = r.value(i, "usename");
        b.state = r.value(i, "state");
        b.query = r.value(i, "query");
        b.ageSeconds = r.value(i, "age_seconds").toDouble();
        b.lockModes = r.value(i, "modes");
        out << b;
    }
    return out;
}

QString describeBlockers(const QVector<BlockingSession>& sessions)
{
    if (sessions.isEmpty())
        return QStringLiteral("no session holds a lock on the table any more");
    QStringList parts;
    for (const BlockingSession& b : sessions) {
        QString query = b.query.simplified();
        if (query.size() > 120)
            query = query.left(117) + QStringLiteral("...");
        parts << QStringLiteral("pid %1 (%2, %3, %4 s): %5")
                     .arg(b.pid).arg(b.user, b.state).arg(b.ageSeconds, 0, 'f', 1).arg(query);
    }
    return parts.join(QStringLiteral("; "));
}

} // namespace lockstep::run
