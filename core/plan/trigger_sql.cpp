// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/plan/trigger_sql.h"

#include "core/plan/sql_text.h"

namespace lockstep::plan_detail {

namespace {
// search_path is pinned to the planning session's so the expression resolves as it was validated,
// whatever search_path the application's sessions use.
QString createFunction(const PlanContext& ctx, const QString& name, const QString& assignment)
{
    const QString body = QStringLiteral("\n#variable_conflict use_column\nBEGIN\n  %1\n  RETURN NEW;\nEND\n").arg(assignment);
    return QStringLiteral("CREATE OR REPLACE FUNCTION %1() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS %2;")
        .arg(ctx.inSchema(name), dollarQuoted(body));
}

QString createTrigger(const PlanContext& ctx, const QString& name, const QString& event, const QString& when,
                      const QString& function)
{
    // OR REPLACE exists from 14 (same SHARE ROW EXCLUSIVE lock); EXECUTE FUNCTION from 11.
    const QString create = ctx.version >= 140000 ? QStringLiteral("CREATE OR REPLACE TRIGGER") : QStringLiteral("CREATE TRIGGER");
    const QString execute = ctx.version >= 110000 ? QStringLiteral("EXECUTE FUNCTION") : QStringLiteral("EXECUTE PROCEDURE");
    return QStringLiteral("%1 %2 BEFORE %3 ON %4 FOR EACH ROW WHEN (%5) %6 %7();")
        .arg(create, ctx.q(name), event, ctx.tableSql, when, execute, ctx.inSchema(function));
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
} // namespace

TriggerSql forwardSyncTrigger(const PlanContext& ctx)
{
    const PlanObjectNames& n = ctx.names;
    // The expression names columns as written against the table; a one-row derived table of NEW named
    // like the table gives it exactly that scope, including "table".column references.
    const QString assign = QStringLiteral("SELECT %1 INTO NEW.%2 FROM (SELECT NEW.*) AS %3;")
                               .arg(ctx.newColumnValue(), ctx.columnSql, ctx.tableAliasSql);
    TriggerSql t;
    t.create << createFunction(ctx, n.syncFunction, assign)
             << createTrigger(ctx, n.syncInsertTrigger, QStringLiteral("INSERT"),
                              QStringLiteral("NEW.%1 IS NULL").arg(ctx.columnSql), n.syncFunction);
    if (!ctx.sources.isEmpty()) {
        t.create << createTrigger(ctx, n.syncUpdateTrigger,
                                  QStringLiteral("UPDATE OF %1").arg(columnList(ctx, ctx.sources)),
                                  changedAny(ctx, ctx.sources), n.syncFunction);
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
             << createTrigger(ctx, n.reverseInsertTrigger, QStringLiteral("INSERT"),
                              QStringLiteral("NEW.%1 IS NOT NULL AND NEW.%2 IS DISTINCT FROM %3")
                                  .arg(ctx.columnSql, ctx.oldColumnSql, back),
                              n.reverseFunction)
             << createTrigger(ctx, n.reverseUpdateTrigger, QStringLiteral("UPDATE OF %1").arg(ctx.columnSql),
                              QStringLiteral("NEW.%1 IS DISTINCT FROM OLD.%1").arg(ctx.columnSql), n.reverseFunction);
    t.drop << dropTrigger(ctx, n.reverseUpdateTrigger) << dropTrigger(ctx, n.reverseInsertTrigger)
           << dropFunction(ctx, n.reverseFunction);
    return t;
}

} // namespace lockstep::plan_detail
