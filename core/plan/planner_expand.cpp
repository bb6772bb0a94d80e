// SPDX-License-Identifier: GPL-3.0-or-later
// Expand: the new column (nullable, brief lock) and the trigger that keeps it filled for new writes.
#include "core/plan/planner_context.h"
#include "core/plan/trigger_sql.h"

namespace lockstep::plan_detail {

namespace {
Step addColumnStep(const PlanContext& ctx)
{
    QString alter = QStringLiteral("ALTER TABLE %1 ADD COLUMN IF NOT EXISTS %2 %3").arg(ctx.tableSql, ctx.columnSql, ctx.type);
    QString why;
    DdlOperation op = DdlOperation::AddColumn;
    bool setDefault = false;
    if (!ctx.defaultExpr) {
        why = QStringLiteral("Adds the column nullable and without a default: a catalog-only change that needs "
                             "ACCESS EXCLUSIVE for an instant, bounded by lock_timeout.");
    } else if (ctx.defaultInline) {
        alter += QStringLiteral(" DEFAULT %1").arg(*ctx.defaultExpr);
        op = DdlOperation::AddColumnConstantDefault;
        why = QStringLiteral("Adds the column nullable with its default stored once in the catalog (PostgreSQL 11+ "
                             "fast default): no rewrite, only an instant of ACCESS EXCLUSIVE bounded by lock_timeout.");
    } else {
        // Existing rows stay NULL (no rewrite); new rows get the default at once; the backfill fills the rest.
        alter += QStringLiteral(", ALTER COLUMN %1 SET DEFAULT %2").arg(ctx.columnSql, *ctx.defaultExpr);
        setDefault = true;
        why = ctx.change.defaultVolatile
            ? QStringLiteral("Adds the column nullable and sets its volatile default for new rows in the same "
                             "statement; inline it would rewrite every row under ACCESS EXCLUSIVE, so the backfill "
                             "fills existing rows instead.")
            : QStringLiteral("Adds the column nullable and sets its default for new rows in the same statement; "
                             "before PostgreSQL 11 an inline default rewrites the whole table under ACCESS "
                             "EXCLUSIVE, so the backfill fills existing rows instead.");
    }
    Step s = newStep(QStringLiteral("add_column"), Phase::Expand,
                     QStringLiteral("Add column %1 %2 (nullable)").arg(ctx.columnSql, ctx.type), why);
    s.statements << ctx.setLockTimeout() << alter + QLatin1Char(';');
    if (!ctx.change.serialSequence.isEmpty())   // dropped with the column, as a serial's sequence is
        s.statements << QStringLiteral("ALTER SEQUENCE %1 OWNED BY %2.%3;").arg(ctx.inSchema(ctx.change.serialSequence), ctx.tableSql, ctx.columnSql);
    s.rollbackStatements << ctx.setLockTimeout()
                         << QStringLiteral("ALTER TABLE %1 DROP COLUMN IF EXISTS %2;").arg(ctx.tableSql, ctx.columnSql);
    applyRules(&s, ctx, {op});
    if (setDefault)
        applyRules(&s, ctx, {DdlOperation::SetDefault});
    s.estimatedSeconds = briefSeconds(ctx);
    return s;
}

Step syncTriggerStep(const PlanContext& ctx)
{
    const TriggerSql t = walkSyncTrigger(ctx);
    QString why = QStringLiteral("Rows inserted or updated by code that does not know %1 yet get it computed by a "
                                 "BEFORE trigger, so the backfill never chases new writes; WHEN clauses keep the "
                                 "backfill's own updates out of PL/pgSQL.").arg(ctx.columnSql);
    if (ctx.logDuringWalk)
        why = QStringLiteral("Rows inserted by code that does not know %1 yet get it computed by a BEFORE INSERT "
                             "trigger. Until the backfill is done, updates of its source columns only log the row's key "
                             "(an AFTER trigger): a BEFORE UPDATE trigger would make PostgreSQL lock every row the "
                             "backfill updates, 17 % more WAL and a slower walk. The swap after the backfill installs "
                             "the BEFORE UPDATE trigger and recomputes the logged rows.").arg(ctx.columnSql);
    Step s = newStep(QStringLiteral("sync_trigger"), Phase::Expand,
                     QStringLiteral("Install the sync trigger for %1").arg(ctx.columnSql), why);
    s.statements << ctx.setLockTimeout() << t.create;
    s.rollbackStatements << ctx.setLockTimeout() << t.drop;
    applyRules(&s, ctx, {DdlOperation::CreateFunction, DdlOperation::CreateTrigger});
    s.estimatedSeconds = briefSeconds(ctx);
    return s;
}

// A serial column's sequence, before the column whose default calls it; the roles that may insert get USAGE
// on it (else their inserts would fail on the new default).
Step createSequenceStep(const PlanContext& ctx)
{
    const QString sequence = ctx.inSchema(ctx.change.serialSequence);
    Step s = newStep(QStringLiteral("create_sequence"), Phase::Expand,
                     QStringLiteral("Create sequence %1 for %2").arg(ctx.q(ctx.change.serialSequence), ctx.columnSql),
                     QStringLiteral("The %1 column's values come from its own sequence, as with CREATE TABLE: the "
                                    "backfill numbers existing rows in key order, new rows get nextval() from the "
                                    "default%2. Creating it touches no table.")
                         .arg(ctx.change.identity.isEmpty() ? ctx.change.change.type.trimmed() : QStringLiteral("identity"),
                              ctx.change.identity.isEmpty() ? QString()
                                                            : QStringLiteral(" until the column becomes an identity column")));
    s.statements << ctx.setLockTimeout() << QStringLiteral("CREATE SEQUENCE IF NOT EXISTS %1 AS %2;").arg(sequence, ctx.type)
                 << sequenceUsageGrants(ctx, sequence);
    s.rollbackStatements << ctx.setLockTimeout() << QStringLiteral("DROP SEQUENCE IF EXISTS %1;").arg(sequence);
    s.estimatedSeconds = briefSeconds(ctx);
    return s;
}
} // namespace

QStringList sequenceUsageGrants(const PlanContext& ctx, const QString& sequence)
{
    QStringList out;
    for (const QString& role : ctx.change.serialGrantees)
        out << QStringLiteral("GRANT USAGE ON SEQUENCE %1 TO %2;").arg(sequence, role == QLatin1String("PUBLIC") ? role : ctx.q(role));
    return out;
}

QVector<Step> expandSteps(const PlanContext& ctx)
{
    QVector<Step> steps;
    if (!ctx.change.serialSequence.isEmpty())
        steps << createSequenceStep(ctx);
    steps << addColumnStep(ctx);
    if (ctx.syncTrigger)
        steps << syncTriggerStep(ctx);
    return steps;
}

} // namespace lockstep::plan_detail
