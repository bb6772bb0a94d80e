// SPDX-License-Identifier: GPL-3.0-or-later
// The server half of the catalog: identity, replicas and their lag, long transactions and their locks.
#include "core/pg/catalog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <libpq-fe.h>

namespace lockstep::pg {

namespace {

QString connectedHost(const Connection& conn)
{
    const char* host = PQhost(conn.raw());
    const char* port = PQport(conn.raw());
    return QStringLiteral("%1:%2").arg(QString::fromUtf8(host ? host : ""), QString::fromUtf8(port ? port : ""));
}

QVector<ReplicaInfo> readReplicas(Connection& conn)
{
    static const QString sql = sqlResource(QStringLiteral("catalog_replicas"));
    const Result r = conn.exec(sql);
    QVector<ReplicaInfo> replicas;
    for (int i = 0; i < r.rows(); ++i) {
        ReplicaInfo replica;
        replica.name = r.value(i, "name");
        replica.state = r.value(i, "state");
        replica.replayLagBytes = r.value(i, "replay_lag_bytes").toLongLong();
        replica.replayLagSeconds = r.value(i, "replay_lag_seconds").toDouble();
        replicas.append(replica);
    }
    return replicas;
}

QVector<LongTransaction> readLongTransactions(Connection& conn, double minAgeSeconds)
{
    static const QString sql = sqlResource(QStringLiteral("catalog_long_transactions"));
    const Result r = conn.exec(sql, {minAgeSeconds});
    QVector<LongTransaction> transactions;
    for (int i = 0; i < r.rows(); ++i) {
        LongTransaction t;
        t.pid = r.value(i, "pid").toInt();
        t.user = r.value(i, "usename");
        t.state = r.value(i, "state");
        t.query = r.value(i, "query");
        t.ageSeconds = r.value(i, "age_seconds").toDouble();
        // JSON, because table names may hold any character a text array would have to escape.
        const QJsonArray names = QJsonDocument::fromJson(r.value(i, "locked_tables").toUtf8()).array();
        for (const QJsonValue& name : names)
            t.lockedTables.append(name.toString());
        transactions.append(t);
    }
    return transactions;
}

} // namespace

ServerInfo readServerInfo(Connection& conn, double longTransactionSeconds)
{
    static const QString sql = sqlResource(QStringLiteral("catalog_server"));
    const Result r = conn.exec(sql);
    ServerInfo server;
    server.version = r.value(0, "version");
    server.versionNum = r.value(0, "version_num").toInt();
    server.database = r.value(0, "database");
    server.inRecovery = r.value(0, "in_recovery") == QLatin1String("t");
    server.host = connectedHost(conn);
    server.replicas = readReplicas(conn);
    server.longTransactions = readLongTransactions(conn, longTransactionSeconds);
    const Result h = conn.exec(sqlResource(QStringLiteral("catalog_hidden_sessions")));
    server.role = h.value(0, "role");
    server.seesAllSessions = h.value(0, "sees_all") == QLatin1String("t");
    server.hiddenSessions = h.value(0, "hidden").toInt();
    for (const QJsonValue& v : QJsonDocument::fromJson(h.value(0, "locked_tables").toUtf8()).array())
        server.hiddenLockedTables << v.toString();
    const Result claims = conn.exec(sqlResource(QStringLiteral("catalog_run_claims")));
    for (int i = 0; i < claims.rows(); ++i) {
        // A run names itself "lockstep <uid8> <operator> <what>" (run/run_identity.h): said in words.
        const QStringList parts = claims.value(i, "holder").split(QLatin1Char(' '), Qt::SkipEmptyParts);
        const QString who = parts.size() >= 3 && parts[0] == QLatin1String("lockstep")
            ? QStringLiteral("run %1 by %2%3").arg(parts[1], parts[2], parts.size() > 3 ? QStringLiteral(", now: ") + parts.mid(3).join(QLatin1Char(' ')) : QString())
            : claims.value(i, "holder");
        server.runClaims.insert(claims.value(i, "table_name"), QStringLiteral("%1 (pid %2)").arg(who, claims.value(i, "pid")));
    }
    return server;
}

} // namespace lockstep::pg
