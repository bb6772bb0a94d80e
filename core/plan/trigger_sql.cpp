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

QString dropFunction(const PlanContext& ctx, const QString& name)
{
    return QStringLiteral("DROP FUNCTION IF EXISTS %1();").arg(ctx.inSchema(name));
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
    // The expression names columns as written against the table; a one-row derived table of NEW named
    // like the table gives it exactly that scope, including "table".column references.
    const QString assign = QStringLiteral("SELECT %1 INTO NEW.%2 FROM (SELECT NEW.*) AS %3;")
                               .arg(ctx.newColumnValue(), ctx.columnSql, ctx.tableAliasSql);
    TriggerSql t;
    t.create << createFunction(ctx, n.syncFunction, assign)
             << createTrigger(ctx, n.syncInsertTrigger, kBefore, QStringLiteral("INSERT"),
                              QStringLiteral("NEW.%1 IS NULL").arg(ctx.columnSql), n.syncFunction);
    if (!ctx.sources.isEmpty()) {
        t.create << forwardUpdateTrigger(ctx);
        t.drop << dropTrigger(ctx, n.syncUpdateTrigger);
    }
    t.drop << dropTrigger(ctx, n.syncInsertTrigger) << dropFunction(ctx, n.syncFunction);
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
