// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/pg/pooler_check.h"

#include <libpq-fe.h>

namespace lockstep::pg {

namespace {
// The conninfo with dbname=pgbouncer, keeping everything else (host, port, user, password, sslmode, ...).
QString adminConninfo(const QString& conninfo)
{
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(conninfo.toUtf8().constData(), &error);
    if (!options) {
        PQfreemem(error);
        return {};
    }
    QStringList parts;
    for (PQconninfoOption* o = options; o->keyword; ++o) {
        if (!o->val || QLatin1String(o->keyword) == QLatin1String("dbname"))
            continue;
        QString value = QString::fromUtf8(o->val);
        value.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('\''), QStringLiteral("\\'"));
        parts << QStringLiteral("%1='%2'").arg(QString::fromUtf8(o->keyword), value);
    }
    PQconninfoFree(options);
    parts << QStringLiteral("dbname=pgbouncer") << QStringLiteral("connect_timeout=5");
    return parts.join(QLatin1Char(' '));
}

// PgBouncer's admin console speaks only the simple query protocol: SHOW DATABASES, then SHOW CONFIG for
// the default pool_mode when the database has none of its own.
QString poolModeFromAdmin(const QString& conninfo, const QString& database)
{
    const QString admin = adminConninfo(conninfo);
    if (admin.isEmpty())
        return {};
    try {
        auto console = Connection::open(admin);
        const Result dbs = console->execScript(QStringLiteral("SHOW DATABASES"));
        QString mode;
        for (int i = 0; i < dbs.rows(); ++i)
            if (dbs.value(i, "name") == database || (mode.isEmpty() && dbs.value(i, "name") == QLatin1String("*")))
                mode = dbs.value(i, "pool_mode");
        if (!mode.isEmpty())
            return mode;
        const Result config = console->execScript(QStringLiteral("SHOW CONFIG"));
        for (int i = 0; i < config.rows(); ++i)
            if (config.value(i, "key") == QLatin1String("pool_mode"))
                return config.value(i, "value");
    } catch (const PgException&) {
        // Not an admin or stats user there, or not PgBouncer: the mode stays unknown.
    }
    return {};
}
// Without the admin console: two client connections, one statement each, in turn. Transaction pooling
// hands the server session the first one released to the second; session pooling and a direct connection
// never do. A few tries, as the pool may hold several idle sessions. (A port mapped by a container or a
// proxy that keeps sessions shows the port difference but never this.)
bool sharesServerSessions(const QString& conninfo)
{
    try {
        auto a = Connection::open(conninfo);
        auto b = Connection::open(conninfo);
        for (int i = 0; i < 5; ++i) {
            const QString pa = a->exec(QStringLiteral("SELECT pg_backend_pid()")).value(0, 0);
            const QString pb = b->exec(QStringLiteral("SELECT pg_backend_pid()")).value(0, 0);
            if (pa == pb)
                return true;
        }
    } catch (const PgException&) {
    }
    return false;
}
} // namespace

QString PoolerCheck::describe() const
{
    if (!detected)
        return QStringLiteral("a direct connection");
    return QStringLiteral("a connection pooler (pool_mode=%1): %2")
        .arg(mode.isEmpty() ? QStringLiteral("unknown") : mode, evidence);
}

PoolerCheck detectPooler(Connection& conn, const QString& conninfo)
{
    PoolerCheck check;
    const QString clientPort = QString::fromUtf8(PQport(conn.raw()));
    const QString serverPort = conn.exec(sqlResource(QStringLiteral("pooler_server_port"))).value(0, 0);
    if (clientPort.isEmpty() || clientPort == serverPort) {
        // The same port number: still a pooler in transaction mode if two client connections share a server
        // session (a pooler may listen on 5432 in front of a server on 5432 of another host).
        if (sharesServerSessions(conninfo)) {
            check.detected = true;
            check.mode = QStringLiteral("transaction");
            check.evidence = QStringLiteral("two client connections were served by one server session");
        }
        return check;
    }
    check.detected = true;
    check.evidence = QStringLiteral("connected to port %1, the server listens on %2").arg(clientPort, serverPort);
    check.mode = poolModeFromAdmin(conninfo, QString::fromUtf8(PQdb(conn.raw())));
    if (check.mode.isEmpty() && sharesServerSessions(conninfo)) {
        check.mode = QStringLiteral("transaction");
        check.evidence += QStringLiteral("; two client connections were served by one server session");
    }
    return check;
}

} // namespace lockstep::pg
