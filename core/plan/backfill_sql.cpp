// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/plan/backfill_sql.h"

#include "core/plan/sql_text.h"
#include "core/plan/trigger_sql.h"

#include <QtGlobal>
#include <cmath>

namespace lockstep::plan_detail {

namespace {
// Retries of one batch that hit lock_timeout on a row lock, with backoff, before giving up.
constexpr int kBatchTries = 10;

QString keyKindName(BackfillKey::Kind kind)
{
    switch (kind) {
    case BackfillKey::Kind::PrimaryKey: return QStringLiteral("primary_key");
    case BackfillKey::Kind::UniqueNotNull: return QStringLiteral("unique_not_null");
    case BackfillKey::Kind::Ctid: break;
    }
    return QStringLiteral("ctid");
}

// One value for one column, a row constructor for several: (a, b) > ($1, $2) compares in index order.
QString rowOf(const QStringList& items)
{
    if (items.size() == 1)
        return items.first();
    return QLatin1Char('(') + items.join(QLatin1String(", ")) + QLatin1Char(')');
}

QStringList params(const PlanContext& ctx, int first)
{
    QStringList out;
    for (int i = 0; i < ctx.table.key.types.size(); ++i)
        out << QStringLiteral("$%1::%2").arg(first + i).arg(ctx.table.key.types[i]);
    return out;
}

QStringList suffixed(const QString& prefix, int n)
{
    QStringList out;
    for (int i = 1; i <= n; ++i)
        out << prefix + QString::number(i);
    return out;
}

QString updateWhere(const PlanContext& ctx, const QString& range)
{
    return QStringLiteral("UPDATE %1 SET %2 = %3 WHERE %4 AND %5")
        .arg(ctx.tableSql, ctx.columnSql, ctx.newColumnValue(), range, ctx.walkFilter());
}

// The batch through the value function (it never raises). A comparison filter would compute the
// expression and raise: then every row of the range is written (only after a batch failed on a value).
QString safeUpdateWhere(const PlanContext& ctx, const QString& range)
{
    const QString filter = ctx.walkFilter();
    const bool nullOnly = filter == QStringLiteral("%1 IS NULL").arg(ctx.columnSql);
    return QStringLiteral("UPDATE %1 AS lockstep_row SET %2 = %3 WHERE %4%5")
        .arg(ctx.tableSql, ctx.columnSql, safeValue(ctx, QStringLiteral("lockstep_row.*")), range,
             nullOnly ? QStringLiteral(" AND ") + filter : QString());
}

// The last key of the next `size` rows in key order after `lower` (no lower bound when empty): the key at
// offset size - 1, or the last key when fewer rows are left; no row when none is. (The former form, the
// LIMIT `size` keys re-sorted descending, spent half its time in the sort: 4-6 ms against 2-3 ms for 40,000
// keys of an index-only scan.)
QString boundaryQuery(const PlanContext& ctx, const QString& lower, const QString& size, const QString& into = QString())
{
    const QStringList keys = ctx.quotedKeys();
    QStringList desc;
    for (const QString& k : keys)
        desc << k + QStringLiteral(" DESC");
    QString flag = QStringLiteral("lockstep_last");
    while (ctx.table.key.columns.contains(flag))
        flag += QLatin1Char('_');
    const QString flagSql = ctx.q(flag);
    const QString where = lower.isEmpty() ? QString() : QStringLiteral(" WHERE %1 > %2").arg(rowOf(keys), lower);
    const QString list = keys.join(QLatin1String(", "));
    return QStringLiteral("SELECT %1%2 FROM ((SELECT %1, false AS %3 FROM %4%5 ORDER BY %1 OFFSET %6 - 1 LIMIT 1) "
                          "UNION ALL (SELECT %1, true FROM %4%5 ORDER BY %7 LIMIT 1)) AS lockstep_batch ORDER BY %3 LIMIT 1")
        .arg(list, into.isEmpty() ? QString() : QStringLiteral(" INTO ") + into, flagSql, ctx.tableSql, where, size,
             desc.join(QLatin1String(", ")));
}

QString pageCountQuery(const PlanContext& ctx)
{
    return QStringLiteral("SELECT pg_relation_size(%1::regclass) / current_setting('block_size')::bigint")
        .arg(sqlLiteral(ctx.tableSql));
}

QString pageRange(const QString& from, const QString& to)
{
    return QStringLiteral("ctid >= format('(%s,0)', %1)::tid AND ctid < format('(%s,0)', %2)::tid").arg(from, to);
}

QStringList allColumnNames(const PlanContext& ctx)
{
    QStringList names;
    for (const ColumnInfo& c : ctx.table.columns)
        names << c.name;
    names << ctx.change.change.column;
    return names;
}

// One batch inside the DO block: lock_timeout for this transaction, retried with backoff when a row
// lock is held longer, then committed.
QString retriedBatch(const PlanContext& ctx, const QString& v, const QString& update)
{
    return QStringLiteral(
               "    %1tries := 0;\n"
               "    LOOP\n"
               "      BEGIN\n"
               "        PERFORM set_config('lock_timeout', '%2ms', true);\n"
               "%3"
               "        EXIT;\n"
               "      EXCEPTION WHEN lock_not_available THEN\n"
               "        %1tries := %1tries + 1;\n"
               "        IF %1tries >= %4 THEN\n"
               "          RAISE;\n"
               "        END IF;\n"
               "        PERFORM pg_sleep(least(5, 0.05 * 2 ^ %1tries) * (0.5 + random()));\n"
               "      END;\n"
               "    END LOOP;\n"
               "    COMMIT;\n")
        .arg(v, QString::number(ctx.options.lockTimeoutMs), update, QString::number(kBatchTries));
}

QString keyedDoBlock(const PlanContext& ctx)
{
    const QString v = variablePrefix(allColumnNames(ctx));
    const QStringList keys = ctx.quotedKeys();
    const QStringList lo = suffixed(v + QStringLiteral("lo_"), keys.size());
    const QStringList hi = suffixed(v + QStringLiteral("hi_"), keys.size());
    QString declare;
    for (int i = 0; i < keys.size(); ++i)
        declare += QStringLiteral("  %1 %3;\n  %2 %3;\n").arg(lo[i], hi[i], ctx.table.key.types[i]);
    declare += QStringLiteral("  %1first boolean := true;\n  %1tries integer;\n").arg(v);
    const QString size = QString::number(qMax(1, ctx.options.batchRows));
    const QString into = hi.join(QLatin1String(", "));
    QString assignLo;
    for (int i = 0; i < keys.size(); ++i)
        assignLo += QStringLiteral("    %1 := %2;\n").arg(lo[i], hi[i]);
    const QString update = QStringLiteral(
                               "        IF %1first THEN\n"
                               "          %2;\n"
                               "        ELSE\n"
                               "          %3;\n"
                               "        END IF;\n")
                               .arg(v,
                                    updateWhere(ctx, QStringLiteral("%1 <= %2").arg(rowOf(keys), rowOf(hi))),
                                    updateWhere(ctx, QStringLiteral("%1 > %2 AND %1 <= %3").arg(rowOf(keys), rowOf(lo), rowOf(hi))));
    const QString body = QStringLiteral(
                             "\n#variable_conflict use_column\n"
                             "DECLARE\n%1"
                             "BEGIN\n"
                             "  LOOP\n"
                             "    IF %2first THEN\n"
                             "      %3;\n"
                             "    ELSE\n"
                             "      %4;\n"
                             "    END IF;\n"
                             "    EXIT WHEN NOT FOUND;\n"
                             "%5"
                             "%6"
                             "    %2first := false;\n"
                             "  END LOOP;\n"
                             "END\n")
                             .arg(declare, v, boundaryQuery(ctx, QString(), size, into),
                                  boundaryQuery(ctx, rowOf(lo), size, into), retriedBatch(ctx, v, update), assignLo);
    return QStringLiteral("DO %1;").arg(dollarQuoted(body));
}

QString pageDoBlock(const PlanContext& ctx)
{
    const QString v = variablePrefix(allColumnNames(ctx));
    const QString update = QStringLiteral("        %1;\n")
                               .arg(updateWhere(ctx, pageRange(v + QStringLiteral("page"),
                                                               v + QStringLiteral("page + ") + v + QStringLiteral("step"))));
    const QString body = QStringLiteral(
                             "\n#variable_conflict use_column\n"
                             "DECLARE\n"
                             "  %1page bigint := 0;\n"
                             "  %1pages bigint;\n"
                             "  %1step bigint := %2;\n"
                             "  %1tries integer;\n"
                             "BEGIN\n"
                             "  %3 INTO %1pages;\n"
                             "  WHILE %1page < %1pages LOOP\n"
                             "%4"
                             "    %1page := %1page + %1step;\n"
                             "  END LOOP;\n"
                             "END\n")
                             .arg(v, QString::number(pagesPerBatch(ctx)), pageCountQuery(ctx), retriedBatch(ctx, v, update));
    return QStringLiteral("DO %1;").arg(dollarQuoted(body));
}

// PostgreSQL 10 has no COMMIT in DO: a query writes one UPDATE per batch and psql's \gexec runs each
// in its own transaction (autocommit). Every constant piece is a string literal; key values go
// through quote_literal and are cast back to the key's type.
QString keyedGexec(const PlanContext& ctx)
{
    const QString v = variablePrefix(allColumnNames(ctx));
    const QStringList keys = ctx.quotedKeys();
    const QStringList lo = suffixed(v + QStringLiteral("lo_"), keys.size());
    const QStringList hi = suffixed(v + QStringLiteral("hi_"), keys.size());
    const QStringList& types = ctx.table.key.types;
    auto literalRow = [&](const QStringList& vars) {
        QStringList parts;
        for (int i = 0; i < vars.size(); ++i)
            parts << QStringLiteral("quote_literal(%1) || %2").arg(vars[i], sqlLiteral(QStringLiteral("::") + types[i]));
        const QString sep = QStringLiteral(" || ', ' || ");
        if (vars.size() == 1)
            return parts.first();
        return QStringLiteral("'(' || %1 || ')'").arg(parts.join(sep));
    };
    const QString keyRow = rowOf(keys);
    const QString head = sqlLiteral(QStringLiteral("UPDATE %1 SET %2 = %3 WHERE ").arg(ctx.tableSql, ctx.columnSql, ctx.newColumnValue()));
    const QString lower = QStringLiteral("CASE WHEN %1 IS NULL THEN '' ELSE %2 || %3 || %4 END")
                              .arg(lo.first(), sqlLiteral(keyRow + QStringLiteral(" > ")), literalRow(lo),
                                   sqlLiteral(QStringLiteral(" AND ")));
    const QString upper = QStringLiteral("%1 || %2").arg(sqlLiteral(keyRow + QStringLiteral(" <= ")), literalRow(hi));
    const QString tail = sqlLiteral(QStringLiteral(" AND ") + ctx.walkFilter());
    QStringList hiAs, loAs;
    for (int i = 0; i < keys.size(); ++i) {
        hiAs << QStringLiteral("%1 AS %2").arg(keys[i], hi[i]);
        loAs << QStringLiteral("lag(%1) OVER (ORDER BY %2) AS %3").arg(keys[i], keys.join(QLatin1String(", ")), lo[i]);
    }
    const QString size = QString::number(qMax(1, ctx.options.batchRows));
    return QStringLiteral(
               "SELECT %1 || %2 || %3 || %4\n"
               "FROM (SELECT %5, %6\n"
               "      FROM (SELECT %7, row_number() OVER (ORDER BY %7) AS %8n, count(*) OVER () AS %8total FROM %9) AS %8keys\n"
               "      WHERE %8n % %10 = 0 OR %8n = %8total) AS %8batches\n"
               "ORDER BY %11\n"
               "\\gexec")
        .arg(head, lower, upper, tail, hiAs.join(QLatin1String(", ")), loAs.join(QLatin1String(", ")),
             keys.join(QLatin1String(", ")), v, ctx.tableSql, size, hi.join(QLatin1String(", ")));
}

QString pageGexec(const PlanContext& ctx)
{
    const QString v = variablePrefix(allColumnNames(ctx));
    const QString step = QString::number(pagesPerBatch(ctx));
    const QString head = sqlLiteral(QStringLiteral("UPDATE %1 SET %2 = %3 WHERE ctid >= '(")
                                        .arg(ctx.tableSql, ctx.columnSql, ctx.newColumnValue()));
    const QString middle = sqlLiteral(QStringLiteral(",0)'::tid AND ctid < '("));
    const QString tail = sqlLiteral(QStringLiteral(",0)'::tid AND ") + ctx.walkFilter());
    return QStringLiteral(
               "SELECT %1 || %2page || %3 || (%2page + %4) || %5\n"
               "FROM generate_series(0, (%6) - 1, %4) AS %2page\n"
               "\\gexec")
        .arg(head, v, middle, step, tail, pageCountQuery(ctx));
}
} // namespace

qint64 pagesPerBatch(const PlanContext& ctx)
{
    const double rows = ctx.rowEstimate();
    const double pages = double(ctx.table.relpages);
    const double rowsPerPage = rows > 0 && pages > 0 ? rows / pages : 50.0;
    return qMax<qint64>(1, qint64(std::floor(qMax(1, ctx.options.batchRows) / qMax(1.0, rowsPerPage))));
}

BackfillSpec makeBackfillSpec(const PlanContext& ctx)
{
    BackfillSpec b;
    b.keyKind = ctx.keyed() ? keyKindName(ctx.table.key.kind) : QStringLiteral("ctid");
    b.targetColumn = ctx.change.change.column;
    b.expression = ctx.backfillExpr.value_or(QString());
    // The verification before the switch: rows that differ from the expression, whoever wrote them.
    b.filter = ctx.fillFilter();
    b.remainingSql = QStringLiteral("SELECT count(*) FROM %1 WHERE %2").arg(ctx.tableSql, ctx.fillFilter());
    b.applicationTriggers = ctx.appTriggerDescriptions();
    b.silenceTriggers = ctx.silenceTriggers;
    if (ctx.syncTrigger)   // checked first: the expression raises on those rows, so the count above would too
        b.failedRowsSql = QStringLiteral("SELECT count(DISTINCT row_key), min(row_key::text), min(error) FROM %1")
                              .arg(ctx.inSchema(ctx.names.failedRowsTable));
    if (ctx.keyed()) {
        b.keyColumns = ctx.table.key.columns;
        b.keyTypes = ctx.table.key.types;
        const int n = b.keyColumns.size();
        const QString keyRow = rowOf(ctx.quotedKeys());
        b.firstBoundarySql = boundaryQuery(ctx, QString(), QStringLiteral("$1"));
        b.boundarySql = boundaryQuery(ctx, rowOf(params(ctx, 1)), QStringLiteral("$%1").arg(n + 1));
        const QString firstRange = QStringLiteral("%1 <= %2").arg(keyRow, rowOf(params(ctx, 1)));
        const QString range = QStringLiteral("%1 > %2 AND %1 <= %3").arg(keyRow, rowOf(params(ctx, 1)), rowOf(params(ctx, n + 1)));
        b.firstBatchSql = updateWhere(ctx, firstRange);
        b.batchSql = updateWhere(ctx, range);
        if (ctx.syncTrigger) {
            b.safeFirstBatchSql = safeUpdateWhere(ctx, firstRange);
            b.safeBatchSql = safeUpdateWhere(ctx, range);
        }
        static const QStringList integers{QStringLiteral("smallint"), QStringLiteral("integer"), QStringLiteral("bigint")};
        if (n == 1 && integers.contains(b.keyTypes.value(0)))
            b.lastKeySql = QStringLiteral("SELECT max(%1)::text FROM %2").arg(keyRow, ctx.tableSql);
    } else {
        const double pages = double(ctx.table.relpages);
        b.rowsPerPage = pages > 0 && ctx.rowEstimate() > 0 ? ctx.rowEstimate() / pages : 50.0;
        b.firstBoundarySql = b.boundarySql = pageCountQuery(ctx);
        const QString range = pageRange(QStringLiteral("$1::bigint"), QStringLiteral("$2::bigint"));
        b.firstBatchSql = b.batchSql = updateWhere(ctx, range);
        if (ctx.syncTrigger)
            b.safeFirstBatchSql = b.safeBatchSql = safeUpdateWhere(ctx, range);
    }
    return b;
}

QStringList backfillScript(const PlanContext& ctx)
{
    // statement_timeout off: the whole walk is one statement (DO) or one generating query.
    QStringList out{QStringLiteral("SET statement_timeout = 0;")};
    if (ctx.silenceTriggers)   // the table's own triggers do not fire for the walk's updates
        out << QStringLiteral("SET session_replication_role = replica;");
    if (ctx.version >= 110000) {
        out << (ctx.keyed() ? keyedDoBlock(ctx) : pageDoBlock(ctx));
    } else {
        out << ctx.setLockTimeout() << (ctx.keyed() ? keyedGexec(ctx) : pageGexec(ctx));
    }
    if (ctx.silenceTriggers)
        out << QStringLiteral("RESET session_replication_role;");
    return out;
}

} // namespace lockstep::plan_detail
