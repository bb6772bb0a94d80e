// SPDX-License-Identifier: GPL-3.0-or-later
// Switch (the application starts using the new column) and contract (the scaffolding and, for a
// replace, the old column go).
#include "core/plan/planner_context.h"
#include "core/plan/trigger_sql.h"

namespace lockstep::plan_detail {

QVector<Step> switchSteps(const PlanContext& ctx)
{
    Step s = newStep(QStringLiteral("switch"), Phase::Switch,
                     QStringLiteral("Switch the application to %1").arg(ctx.columnSql), QString());
    if (ctx.reverseTrigger) {
        const TriggerSql t = reverseSyncTrigger(ctx);
        s.why = QStringLiteral("From here the application reads and writes %1; a reverse trigger copies its writes "
                               "back into %2 (as %3), so a rollback after the switch loses nothing, and a value that "
                               "does not fit %3 fails its write until the contract.")
                    .arg(ctx.columnSql, ctx.oldColumnSql, ctx.oldType);
        s.statements << ctx.setLockTimeout() << t.create;
        s.rollbackStatements << ctx.setLockTimeout() << t.drop;
        applyRules(&s, ctx, {DdlOperation::CreateFunction, DdlOperation::CreateTrigger});
        s.estimatedSeconds = briefSeconds(ctx);
        return {s};
    }
    if (ctx.isReplace()) {
        s.why = QStringLiteral("The gate where the application starts using %1. The transform has no known inverse, "
                               "so nothing copies writes back into %2: keep writing %2 until the contract, or a "
                               "rollback after this point loses writes made only to %1.")
                    .arg(ctx.columnSql, ctx.oldColumnSql);
    } else {
        s.why = QStringLiteral("The gate where the application starts reading and writing %1; nothing runs on the "
                               "server.").arg(ctx.columnSql);
    }
    // A gate: no statement to execute, only a comment in the script.
    s.sql = QStringLiteral("-- Deploy the application version that uses %1; nothing to run on the server.").arg(ctx.columnSql);
    s.transactional = true;
    return {s};
}

QVector<Step> contractSteps(const PlanContext& ctx)
{
    QVector<Step> steps;
    if (ctx.syncTrigger || ctx.reverseTrigger) {
        Step s = newStep(QStringLiteral("contract_drop_sync"), Phase::Contract,
                         QStringLiteral("Drop the sync triggers of %1").arg(ctx.columnSql),
                         QStringLiteral("Every writer now handles %1 itself, so the triggers only cost time on each "
                                        "write; dropping them needs ACCESS EXCLUSIVE for an instant.").arg(ctx.columnSql));
        s.statements << ctx.setLockTimeout();
        s.rollbackStatements << ctx.setLockTimeout();
        if (ctx.reverseTrigger) {
            const TriggerSql reverse = reverseSyncTrigger(ctx);
            s.statements << reverse.drop;
            s.rollbackStatements << reverse.create;
        }
        if (ctx.syncTrigger) {
            const TriggerSql forward = forwardSyncTrigger(ctx);
            s.statements << forward.drop;
            if (ctx.logDuringWalk)
                s.statements << changedKeysDrop(ctx);   // emptied by the catch-up; kept until here for a rerun
            s.rollbackStatements << forward.create;
        }
        applyRules(&s, ctx, {DdlOperation::DropTrigger, DdlOperation::DropFunction});
        s.estimatedSeconds = briefSeconds(ctx);
        steps << s;
    }
    if (ctx.isReplace()) {
        Step s = newStep(QStringLiteral("contract_drop_old_column"), Phase::Contract,
                         QStringLiteral("Drop the old column %1").arg(ctx.oldColumnSql),
                         QStringLiteral("The point of no return: once %1 is dropped its data is gone and no rollback "
                                        "can bring it back; the drop itself is a catalog change (an instant of ACCESS "
                                        "EXCLUSIVE).").arg(ctx.oldColumnSql));
        s.statements << ctx.setLockTimeout()
                     << QStringLiteral("ALTER TABLE %1 DROP COLUMN IF EXISTS %2;").arg(ctx.tableSql, ctx.oldColumnSql);
        s.reversible = false;
        applyRules(&s, ctx, {DdlOperation::DropColumn});
        s.estimatedSeconds = briefSeconds(ctx);
        steps << s;
    }
    return steps;
}

} // namespace lockstep::plan_detail
