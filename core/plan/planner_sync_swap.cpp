// SPDX-License-Identifier: GPL-3.0-or-later
// After the walk: the BEFORE UPDATE trigger takes over from the key log, then the logged rows are recomputed.
#include "core/plan/planner_context.h"
#include "core/plan/trigger_sql.h"

namespace lockstep::plan_detail {

namespace {
Step swapStep(const PlanContext& ctx)
{
    Step s = newStep(QStringLiteral("sync_swap"), Phase::Backfill,
                     QStringLiteral("Swap in the update trigger for %1").arg(ctx.columnSql),
                     QStringLiteral("The BEFORE UPDATE trigger replaces the AFTER trigger that logged changed keys "
                                    "during the backfill, in one CREATE OR REPLACE TRIGGER: SHARE ROW EXCLUSIVE (writes "
                                    "wait) for an instant, bounded by lock_timeout. From here every update computes %1 "
                                    "itself; nothing to undo (the BEFORE trigger keeps the column right as the log did).")
                         .arg(ctx.columnSql));
    s.statements << ctx.setLockTimeout() << forwardUpdateTrigger(ctx);
    applyRules(&s, ctx, {DdlOperation::CreateTrigger});
    s.estimatedSeconds = briefSeconds(ctx);
    return s;
}

Step catchUpStep(const PlanContext& ctx)
{
    const QStringList keys = ctx.quotedKeys();
    const QString list = keys.join(QLatin1String(", "));
    const QString row = keys.size() == 1 ? list : QLatin1Char('(') + list + QLatin1Char(')');
    const QString changed = ctx.inSchema(ctx.names.changedKeysTable);
    Step s = newStep(QStringLiteral("sync_catch_up"), Phase::Backfill,
                     QStringLiteral("Recompute %1 for rows updated during the backfill").arg(ctx.columnSql),
                     QStringLiteral("Recomputes the rows whose keys were logged and empties the log in one "
                                    "transaction, so a rerun finds only what is left. After the swap nothing adds to "
                                    "the log: it waited for every writer that could. Row locks on those rows only, "
                                    "for one UPDATE."));
    // The UPDATE's own mode, taken first so the lock preview sees it: tried alone the UPDATE fails before
    // it locks anything the preview can watch (the log is made by an earlier step).
    // Every logged row is recomputed (an updated row's column is stale), by the value function: a row whose
    // value fails is recorded for the gate instead of failing the step.
    const QString alias = QStringLiteral("lockstep_row");
    s.statements << ctx.setLockTimeout() << ctx.silenceStatements()
                 << QStringLiteral("LOCK TABLE %1 IN ROW EXCLUSIVE MODE;").arg(ctx.tableSql)
                 << QStringLiteral("UPDATE %1 AS %2 SET %3 = %4 WHERE %5 IN (SELECT %6 FROM %7);")
                        .arg(ctx.tableSql, alias, ctx.columnSql, safeValue(ctx, alias + QStringLiteral(".*")), row, list, changed)
                 << QStringLiteral("DELETE FROM %1;").arg(changed);
    applyRules(&s, ctx, {DdlOperation::Update});
    s.estimatedSeconds = briefSeconds(ctx);
    return s;
}
} // namespace

QVector<Step> syncSwapSteps(const PlanContext& ctx)
{
    if (!ctx.logDuringWalk)   // implies a backfill expression (a sync trigger)
        return {};
    return {swapStep(ctx), catchUpStep(ctx)};
}

} // namespace lockstep::plan_detail
