// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/plan/trigger_sql.h"

#include "core/plan/sql_text.h"

namespace lockstep::plan_detail {

namespace {
const QString kBefore = QStringLiteral("BEFORE");

// search_path is pinned to the planning session's so the expression resolves as it was validated,
// whatever search_path the application's sessions use.
QString createFunction(const PlanContext& ctx, const QString& name, const QString& assignment)
{
    const QString body = QStringLiteral("\n#variable_conflict use_column\nBEGIN\n  %1\n  RETURN NEW;\nEND\n").arg(assignment);
    return QStringLiteral("CREATE OR REPLACE FUNCTION %1() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS %2;")
        .arg(ctx.inSchema(name), dollarQuoted(body));
}

QString createTrigger(const PlanContext& ctx, const QString& name, const QString& timing, const QString& event,
                      const QString& when, const QString& function)
{
    // OR REPLACE exists from 14 (same SHARE ROW EXCLUSIVE lock); EXECUTE FUNCTION from 11.
    const QString create = ctx.version >= 140000 ? QStringLiteral("CREATE OR REPLACE TRIGGER") : QStringLiteral("CREATE TRIGGER");
    const QString execute = ctx.version >= 110000 ? QStringLiteral("EXECUTE FUNCTION") : QStringLiteral("EXECUTE PROCEDURE");
    return QStringLiteral("%1 %2 %3 %4 ON %5 FOR EACH ROW WHEN (%6) %7 %8();")
        .arg(create, ctx.q(name), timing, event, ctx.tableSql, when, execute, ctx.inSchema(function));
}

QString dropTrigger(const PlanContext& ctx, const QString& name)
{
    return QStringLiteral("DROP TRIGGER IF EXISTS %1 ON %2;").arg(ctx.q(name), ctx.tableSql);
}

QString dropFunction(const PlanContext& ctx, const QString& name, const QString& arguments = QString())
{
    return QStringLiteral("DROP FUNCTION IF EXISTS %1(%2);").arg(ctx.inSchema(name), arguments);
}

QString changedAny(const PlanContext& ctx, const QStringList& columns)
{
    QStringList parts;
    for (const QString& c : columns)
        parts << QStringLiteral("NEW.%1 IS DISTINCT FROM OLD.%1").arg(ctx.q(c));
    return parts.join(QLatin1String(" OR "));
}

QString columnList(const PlanContext& ctx, const QStringList& columns)
{
    QStringList quoted;
    for (const QString& c : columns)
        quoted << ctx.q(c);
    return quoted.join(QLatin1String(", "));
}

QString sourcesChanged(const PlanContext& ctx)
{
    return QStringLiteral("UPDATE OF %1").arg(columnList(ctx, ctx.sources));
}
} // namespace

QString safeValue(const PlanContext& ctx, const QString& row)
{
    return QStringLiteral("%1(%2)").arg(ctx.inSchema(ctx.names.valueFunction), row);
}

namespace {
// The columns that find a recorded row again: its key, or without one the columns the value is computed from.
QStringList identityColumns(const PlanContext& ctx)
{
    return ctx.keyed() ? ctx.table.key.columns : ctx.sources;
}
} // namespace

QString failedRowMatch(const PlanContext& ctx, const QString& alias, const QString& key)
{
    // Key columns are NOT NULL and compared with = (index lookups); source columns may be NULL.
    const QString op = ctx.keyed() ? QStringLiteral(" = ") : QStringLiteral(" IS NOT DISTINCT FROM ");
    QStringList parts;
    for (const QString& c : identityColumns(ctx))
        parts << QStringLiteral("%1.%2%3(jsonb_populate_record(NULL::%4, %5)).%2").arg(alias, ctx.q(c), op, ctx.tableSql, key);
    return parts.join(QLatin1String(" AND "));
}

TriggerSql safeValueFunction(const PlanContext& ctx)
{
    const PlanObjectNames& n = ctx.names;
    QStringList columns;
    for (const ColumnInfo& c : ctx.table.columns)
        columns << c.name;
    const QString p = variablePrefix(columns);
    const QString failed = ctx.inSchema(n.failedRowsTable);
    QStringList keyParts;
    for (const QString& c : identityColumns(ctx))
        keyParts << sqlLiteral(c) << QStringLiteral("%1row.%2").arg(p, ctx.q(c));
    const QString key = keyParts.isEmpty() ? QStringLiteral("'{}'::jsonb")
                                           : QStringLiteral("jsonb_build_object(%1)").arg(keyParts.join(QLatin1String(", ")));
    // SECURITY DEFINER: the application's role may not write our table; everything named qualified.
    const QString record = QStringLiteral("CREATE OR REPLACE FUNCTION %1(row_key jsonb, code text, message text) RETURNS void "
                                          "LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS %2;")
                               .arg(ctx.inSchema(n.failedRowsFunction),
                                    dollarQuoted(QStringLiteral("INSERT INTO %1 (row_key, sqlstate, error) VALUES ($1, $2, $3)").arg(failed)));
    // The expression as validated, with the row's columns in scope under the table's name (as in the
    // trigger). On any error but a cancel: NULL, and the row recorded -- the write that called it goes on.
    const QString body = QStringLiteral(
                             "\n#variable_conflict use_column\nDECLARE\n  %1v %2;\n  %1code text;\n  %1message text;\nBEGIN\n"
                             "  SELECT %3 INTO %1v FROM (SELECT %1row.*) AS %4;\n  RETURN %1v;\n"
                             "EXCEPTION WHEN others THEN\n"
                             "  %1code := SQLSTATE;\n  %1message := SQLERRM;\n"
                             "  BEGIN\n    PERFORM %5(%6, %1code, %1message);\n"
                             "  EXCEPTION WHEN others THEN\n    NULL;   -- recording must not fail the write either\n  END;\n"
                             "  RETURN NULL;\nEND\n")
                             .arg(p, ctx.type, ctx.newColumnValue(), ctx.tableAliasSql, ctx.inSchema(n.failedRowsFunction), key);
    TriggerSql t;
    // The row as `record`, not the table's row type: a function taking the row type would depend on the
    // table and make a DROP TABLE fail while the run is installed.
    t.create << QStringLiteral("CREATE TABLE %1 (id bigint GENERATED ALWAYS AS IDENTITY, row_key jsonb NOT NULL, sqlstate text "
                               "NOT NULL, error text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp());").arg(failed)
             << record
             << QStringLiteral("CREATE OR REPLACE FUNCTION %1(%2row record) RETURNS %3 LANGUAGE plpgsql SET search_path FROM CURRENT AS %4;")
                    .arg(ctx.inSchema(n.valueFunction), p, ctx.type, dollarQuoted(body));
    t.drop << dropFunction(ctx, n.valueFunction, QStringLiteral("record"))
           << QStringLiteral("DROP FUNCTION IF EXISTS %1(jsonb, text, text);").arg(ctx.inSchema(n.failedRowsFunction))
           << QStringLiteral("-- squawk-ignore ban-drop-table\nDROP TABLE IF EXISTS %1;").arg(failed);
    return t;
}

QString forwardUpdateTrigger(const PlanContext& ctx)
{
    return createTrigger(ctx, ctx.names.syncUpdateTrigger, kBefore, sourcesChanged(ctx), changedAny(ctx, ctx.sources),
                         ctx.names.syncFunction);
}

QStringList changedKeysDrop(const PlanContext& ctx)
{
    return {dropFunction(ctx, ctx.names.changedKeysFunction),
            // Our own log, made by the plan: linters that ban DROP TABLE (squawk) are told so.
            QStringLiteral("-- squawk-ignore ban-drop-table\nDROP TABLE IF EXISTS %1;").arg(ctx.inSchema(ctx.names.changedKeysTable))};
}

TriggerSql walkSyncTrigger(const PlanContext& ctx)
{
    if (!ctx.logDuringWalk)
        return forwardSyncTrigger(ctx);
    const PlanObjectNames& n = ctx.names;
    const QString keys = ctx.quotedKeys().join(QLatin1String(", "));
    QStringList newKeys;
    for (const QString& k : ctx.quotedKeys())
        newKeys << QStringLiteral("NEW.") + k;
    const QString changed = ctx.inSchema(n.changedKeysTable);
    // SECURITY DEFINER: the application's role may not be allowed to write our table; the function names
    // everything qualified, so its search_path holds nothing anyone else can create objects in.
    const QString body = QStringLiteral("\nBEGIN\n  INSERT INTO %1 (%2) VALUES (%3);\n  RETURN NULL;\nEND\n")
                             .arg(changed, keys, newKeys.join(QLatin1String(", ")));
    TriggerSql t = forwardSyncTrigger(ctx);
    t.create.removeLast();   // the BEFORE UPDATE trigger: it comes with the swap after the walk
    t.create << QStringLiteral("CREATE TABLE %1 AS SELECT %2 FROM %3 WITH NO DATA;").arg(changed, keys, ctx.tableSql)
             << QStringLiteral("CREATE OR REPLACE FUNCTION %1() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER "
                               "SET search_path = pg_catalog, pg_temp AS %2;")
                    .arg(ctx.inSchema(n.changedKeysFunction), dollarQuoted(body))
             << createTrigger(ctx, n.syncUpdateTrigger, QStringLiteral("AFTER"), sourcesChanged(ctx),
                              changedAny(ctx, ctx.sources), n.changedKeysFunction);
    t.drop << changedKeysDrop(ctx);
    return t;
}

TriggerSql forwardSyncTrigger(const PlanContext& ctx)
{
    const PlanObjectNames& n = ctx.names;
    // The value function computes the expression on NEW (columns in scope as written against the table) and
    // never raises: an application write whose value fails still succeeds, its row recorded for the gate.
    const QString assign = QStringLiteral("NEW.%1 := %2;").arg(ctx.columnSql, safeValue(ctx, QStringLiteral("NEW")));
    const TriggerSql value = safeValueFunction(ctx);
    TriggerSql t;
    t.create << value.create << createFunction(ctx, n.syncFunction, assign)
             << createTrigger(ctx, n.syncInsertTrigger, kBefore, QStringLiteral("INSERT"),
                              QStringLiteral("NEW.%1 IS NULL").arg(ctx.columnSql), n.syncFunction);
    if (!ctx.sources.isEmpty()) {
        t.create << forwardUpdateTrigger(ctx);
        t.drop << dropTrigger(ctx, n.syncUpdateTrigger);
    }
    t.drop << dropTrigger(ctx, n.syncInsertTrigger) << dropFunction(ctx, n.syncFunction) << value.drop;
    return t;
}

TriggerSql reverseSyncTrigger(const PlanContext& ctx)
{
    const PlanObjectNames& n = ctx.names;
    const QString back = QStringLiteral("(NEW.%1)::%2").arg(ctx.columnSql, ctx.oldType);
    const QString assign = QStringLiteral("NEW.%1 := %2;").arg(ctx.oldColumnSql, back);
    TriggerSql t;
    t.create << createFunction(ctx, n.reverseFunction, assign)
             << createTrigger(ctx, n.reverseInsertTrigger, kBefore, QStringLiteral("INSERT"),
                              QStringLiteral("NEW.%1 IS NOT NULL AND NEW.%2 IS DISTINCT FROM %3")
                                  .arg(ctx.columnSql, ctx.oldColumnSql, back),
                              n.reverseFunction)
             << createTrigger(ctx, n.reverseUpdateTrigger, kBefore, QStringLiteral("UPDATE OF %1").arg(ctx.columnSql),
                              QStringLiteral("NEW.%1 IS DISTINCT FROM OLD.%1").arg(ctx.columnSql), n.reverseFunction);
    t.drop << dropTrigger(ctx, n.reverseUpdateTrigger) << dropTrigger(ctx, n.reverseInsertTrigger)
           << dropFunction(ctx, n.reverseFunction);
    return t;
}

} // namespace lockstep::plan_detail
