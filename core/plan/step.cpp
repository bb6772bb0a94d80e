// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/plan/step.h"

#include <QJsonArray>
#include <QJsonValue>

namespace lockstep {

namespace {
QJsonArray toArray(const QStringList& list)
{
    QJsonArray out;
    for (const QString& s : list)
        out.append(s);
    return out;
}

QStringList toStringList(const QJsonValue& value)
{
    QStringList out;
    for (const QJsonValue& v : value.toArray())
        out << v.toString();
    return out;
}

QStringList statementsOr(const QJsonObject& json, const char* key, const QString& sql)
{
    if (json.contains(QLatin1String(key)))
        return toStringList(json.value(QLatin1String(key)));
    if (sql.trimmed().isEmpty())
        return {};
    return {sql};
}
} // namespace

QString phaseName(Phase phase)
{
    switch (phase) {
    case Phase::Expand: return QStringLiteral("expand");
    case Phase::Backfill: return QStringLiteral("backfill");
    case Phase::Constrain: return QStringLiteral("constrain");
    case Phase::Switch: return QStringLiteral("switch");
    case Phase::Contract: return QStringLiteral("contract");
    }
    return QString();
}

std::optional<Phase> phaseFromName(const QString& name)
{
    for (Phase p : {Phase::Expand, Phase::Backfill, Phase::Constrain, Phase::Switch, Phase::Contract}) {
        if (phaseName(p) == name.trimmed().toLower())
            return p;
    }
    return std::nullopt;
}

QJsonObject BackfillSpec::toJson() const
{
    QJsonObject o{
        {QStringLiteral("key_kind"), keyKind},
        {QStringLiteral("key_columns"), toArray(keyColumns)},
        {QStringLiteral("key_types"), toArray(keyTypes)},
        {QStringLiteral("target_column"), targetColumn},
        {QStringLiteral("expression"), expression},
        {QStringLiteral("filter"), filter},
        {QStringLiteral("batch_sql"), batchSql},
        {QStringLiteral("first_batch_sql"), firstBatchSql},
        {QStringLiteral("boundary_sql"), boundarySql},
        {QStringLiteral("first_boundary_sql"), firstBoundarySql},
        {QStringLiteral("remaining_sql"), remainingSql},
        {QStringLiteral("rows_per_page"), rowsPerPage},
    };
    if (!lastKeySql.isEmpty())
        o.insert(QStringLiteral("last_key_sql"), lastKeySql);
    if (!table.isEmpty())
        o.insert(QStringLiteral("table"), table);
    if (!safeBatchSql.isEmpty())
        o.insert(QStringLiteral("safe_batch_sql"), safeBatchSql);
    if (!safeFirstBatchSql.isEmpty())
        o.insert(QStringLiteral("safe_first_batch_sql"), safeFirstBatchSql);
    if (!failedRowsSql.isEmpty())
        o.insert(QStringLiteral("failed_rows_sql"), failedRowsSql);
    if (!applicationTriggers.isEmpty())
        o.insert(QStringLiteral("application_triggers"), toArray(applicationTriggers));
    if (silenceTriggers)
        o.insert(QStringLiteral("silence_triggers"), true);
    return o;
}

BackfillSpec BackfillSpec::fromJson(const QJsonObject& json)
{
    BackfillSpec b;
    b.table = json.value(QStringLiteral("table")).toString();
    b.keyKind = json.value(QStringLiteral("key_kind")).toString();
    b.keyColumns = toStringList(json.value(QStringLiteral("key_columns")));
    b.keyTypes = toStringList(json.value(QStringLiteral("key_types")));
    b.targetColumn = json.value(QStringLiteral("target_column")).toString();
    b.expression = json.value(QStringLiteral("expression")).toString();
    b.filter = json.value(QStringLiteral("filter")).toString();
    b.batchSql = json.value(QStringLiteral("batch_sql")).toString();
    b.safeBatchSql = json.value(QStringLiteral("safe_batch_sql")).toString();
    b.safeFirstBatchSql = json.value(QStringLiteral("safe_first_batch_sql")).toString();
    b.failedRowsSql = json.value(QStringLiteral("failed_rows_sql")).toString();
    b.applicationTriggers = toStringList(json.value(QStringLiteral("application_triggers")));
    b.silenceTriggers = json.value(QStringLiteral("silence_triggers")).toBool();
    b.firstBatchSql = json.value(QStringLiteral("first_batch_sql")).toString();
    b.boundarySql = json.value(QStringLiteral("boundary_sql")).toString();
    b.firstBoundarySql = json.value(QStringLiteral("first_boundary_sql")).toString();
    b.remainingSql = json.value(QStringLiteral("remaining_sql")).toString();
    b.rowsPerPage = json.value(QStringLiteral("rows_per_page")).toDouble();
    b.lastKeySql = json.value(QStringLiteral("last_key_sql")).toString();
    return b;
}

QJsonObject Step::toJson() const
{
    QJsonObject o{
        {QStringLiteral("id"), id},
        {QStringLiteral("phase"), phaseName(phase)},
        {QStringLiteral("title"), title},
        {QStringLiteral("why"), why},
        {QStringLiteral("sql"), sql},
        {QStringLiteral("rollback_sql"), rollbackSql},
        {QStringLiteral("statements"), toArray(statements)},
        {QStringLiteral("rollback_statements"), toArray(rollbackStatements)},
        {QStringLiteral("reversible"), reversible},
        {QStringLiteral("lock"), lock ? QJsonValue(lockModeName(*lock)) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("rewrites"), rewrites},
        {QStringLiteral("scans"), scans},
        {QStringLiteral("transactional"), transactional},
        {QStringLiteral("estimated_seconds"), estimatedSeconds},
    };
    if (backfill)
        o.insert(QStringLiteral("backfill"), backfill->toJson());
    return o;
}

Step Step::fromJson(const QJsonObject& json)
{
    Step s;
    s.id = json.value(QStringLiteral("id")).toString();
    s.phase = phaseFromName(json.value(QStringLiteral("phase")).toString()).value_or(Phase::Expand);
    s.title = json.value(QStringLiteral("title")).toString();
    s.why = json.value(QStringLiteral("why")).toString();
    s.sql = json.value(QStringLiteral("sql")).toString();
    s.rollbackSql = json.value(QStringLiteral("rollback_sql")).toString();
    s.statements = statementsOr(json, "statements", s.sql);
    s.rollbackStatements = statementsOr(json, "rollback_statements", s.rollbackSql);
    s.reversible = json.value(QStringLiteral("reversible")).toBool(true);
    const QJsonValue lock = json.value(QStringLiteral("lock"));
    if (lock.isString())
        s.lock = lockModeFromName(lock.toString());
    s.rewrites = json.value(QStringLiteral("rewrites")).toBool();
    s.scans = json.value(QStringLiteral("scans")).toBool();
    s.transactional = json.value(QStringLiteral("transactional")).toBool(true);
    s.estimatedSeconds = json.value(QStringLiteral("estimated_seconds")).toDouble();
    if (json.value(QStringLiteral("backfill")).isObject())
        s.backfill = BackfillSpec::fromJson(json.value(QStringLiteral("backfill")).toObject());
    return s;
}

} // namespace lockstep
