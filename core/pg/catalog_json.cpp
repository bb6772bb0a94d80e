// SPDX-License-Identifier: GPL-3.0-or-later
// The catalog as JSON (`lockstep inspect --format json`): keys in snake_case, sizes in bytes, times in
// ISO 8601 UTC (null when never).
#include "core/pg/catalog.h"

#include <QJsonArray>

namespace lockstep::pg {

namespace {

QJsonValue isoOrNull(const QDateTime& t)
{
    return t.isValid() ? QJsonValue(t.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue();
}

QJsonValue stringOrNull(const QString& s) { return s.isEmpty() ? QJsonValue() : QJsonValue(s); }

QJsonObject serverJson(const ServerInfo& server)
{
    QJsonArray replicas;
    for (const ReplicaInfo& r : server.replicas)
        replicas.append(QJsonObject{
            {QStringLiteral("name"), r.name},
            {QStringLiteral("state"), r.state},
            {QStringLiteral("replay_lag_bytes"), double(r.replayLagBytes)},
            {QStringLiteral("replay_lag_seconds"), r.replayLagSeconds},
        });
    QJsonArray transactions;
    for (const LongTransaction& t : server.longTransactions)
        transactions.append(QJsonObject{
            {QStringLiteral("pid"), t.pid},
            {QStringLiteral("user"), t.user},
            {QStringLiteral("state"), t.state},
            {QStringLiteral("query"), t.query},
            {QStringLiteral("age_seconds"), t.ageSeconds},
            {QStringLiteral("locked_tables"), QJsonArray::fromStringList(t.lockedTables)},
        });
    return QJsonObject{
        {QStringLiteral("version"), server.version},
        {QStringLiteral("version_num"), server.versionNum},
        {QStringLiteral("database"), server.database},
        {QStringLiteral("host"), server.host},
        {QStringLiteral("in_recovery"), server.inRecovery},
        {QStringLiteral("replicas"), replicas},
        {QStringLiteral("long_transactions"), transactions},
        {QStringLiteral("role"), server.role},
        {QStringLiteral("sees_all_sessions"), server.seesAllSessions},
        {QStringLiteral("hidden_sessions"), server.hiddenSessions},
        {QStringLiteral("hidden_locked_tables"), QJsonArray::fromStringList(server.hiddenLockedTables)},
    };
}

QJsonObject tableJson(const TableStats& t)
{
    return QJsonObject{
        {QStringLiteral("oid"), double(t.oid)},
        {QStringLiteral("schema"), t.schema},
        {QStringLiteral("name"), t.name},
        {QStringLiteral("kind"), t.relkind == 'p' ? QStringLiteral("partitioned") : QStringLiteral("table")},
        {QStringLiteral("total_bytes"), double(t.totalBytes)},
        {QStringLiteral("heap_bytes"), double(t.heapBytes)},
        {QStringLiteral("index_bytes"), double(t.indexBytes)},
        {QStringLiteral("toast_bytes"), double(t.toastBytes)},
        {QStringLiteral("sizes_estimated"), t.sizesEstimated},
        {QStringLiteral("rows"), t.rows},
        {QStringLiteral("writes_per_second"), t.writesPerSecond},
        {QStringLiteral("reads_per_second"), t.readsPerSecond},
        {QStringLiteral("dead_tuples"), double(t.deadTuples)},
        {QStringLiteral("last_autovacuum"), isoOrNull(t.lastAutovacuum)},
        {QStringLiteral("last_autoanalyze"), isoOrNull(t.lastAutoanalyze)},
        {QStringLiteral("partition_parent"), stringOrNull(t.partitionParent)},
        {QStringLiteral("partition_children"), QJsonArray::fromStringList(t.partitionChildren)},
        {QStringLiteral("has_primary_key"), t.hasPrimaryKey},
        {QStringLiteral("run_claim"), stringOrNull(t.runClaim)},
        {QStringLiteral("column_count"), t.columnCount},
        {QStringLiteral("index_count"), t.indexCount},
        {QStringLiteral("risk"), t.risk},
        {QStringLiteral("risk_reasons"), QJsonArray::fromStringList(t.riskReasons)},
    };
}

} // namespace

QJsonObject toJson(const CatalogSnapshot& snapshot)
{
    QJsonArray tables;
    for (const TableStats& t : snapshot.tables)
        tables.append(tableJson(t));
    return QJsonObject{
        {QStringLiteral("server"), serverJson(snapshot.server)},
        {QStringLiteral("tables"), tables},
        {QStringLiteral("at"), isoOrNull(snapshot.at)},
        {QStringLiteral("rate_interval_seconds"), snapshot.rateIntervalSeconds},
    };
}

} // namespace lockstep::pg
