// SPDX-License-Identifier: GPL-3.0-or-later
// After the backfill: the rows whose value could not be computed (recorded by the value function, from an
// application write through the sync trigger or from the walk) are retried; any still failing stop the run
// here, before a constraint or the switch could depend on them.
#include "core/plan/planner_context.h"
#include "core/plan/sql_text.h"
#include "core/plan/trigger_sql.h"

namespace lockstep::plan_detail {

QVector<Step> failedRowsSteps(const PlanContext& ctx)
{
    if (!ctx.syncTrigger)
        return {};
    QStringList columns;
    for (const ColumnInfo& c : ctx.table.columns)
        columns << c.name;
    const QString p = variablePrefix(columns);
    const QString failed = ctx.inSchema(ctx.names.failedRowsTable);
    const QString alias = QStringLiteral("lockstep_row");
    // Entries up to the newest one are retried and removed; a row that fails again is recorded anew (a new
    // id) by the value function. Raising rolls all of it back: the entries stay for the next try.
    const QString body = QStringLiteral(
                             "\nDECLARE\n  %1upto bigint;\n  %1left bigint;\n  %1key text;\n  %1error text;\nBEGIN\n"
                             "  SELECT max(id) INTO %1upto FROM %2;\n"
                             "  IF %1upto IS NULL THEN\n    RETURN;\n  END IF;\n"
                             "  UPDATE %3 AS %4 SET %5 = %6 FROM (SELECT DISTINCT row_key FROM %2 WHERE id <= %1upto) AS %1f\n"
                             "   WHERE %7;\n"
                             "  DELETE FROM %2 WHERE id <= %1upto;\n"
                             "  SELECT count(DISTINCT row_key), min(row_key::text), min(error) INTO %1left, %1key, %1error FROM %2;\n"
                             "  IF %1left > 0 THEN\n"
                             "    RAISE EXCEPTION USING ERRCODE = 'data_exception',\n"
                             "      MESSAGE = format('%s row(s) could not compute %s (written by the application or met by the "
                             "backfill), e.g. key %s: %s', %1left, %8, %1key, %1error),\n"
                             "      HINT = 'Fix or delete those rows (the table ' || %9 || ' lists them), then resume: this step "
                             "retries them. Or roll back.';\n"
                             "  END IF;\nEND\n")
                             .arg(p, failed, ctx.tableSql, alias, ctx.columnSql, safeValue(ctx, alias + QStringLiteral(".*")),
                                  failedRowMatch(ctx, alias, p + QStringLiteral("f.row_key")), sqlLiteral(ctx.change.change.column),
                                  sqlLiteral(failed));
    Step s = newStep(QStringLiteral("failed_rows"), Phase::Backfill,
                     QStringLiteral("Retry the rows whose %1 could not be computed").arg(ctx.columnSql),
                     QStringLiteral("A value the expression cannot compute for a row never fails the application's write "
                                    "or the backfill: the row keeps %1 NULL and is recorded. Here the recorded rows are "
                                    "computed again (fixed data computes); any still failing stop the run before a "
                                    "constraint or the switch depends on them. Row locks on those rows only.")
                         .arg(ctx.columnSql));
    // The UPDATE's own mode, first, so the lock preview sees it even when nothing is recorded.
    s.statements << ctx.setLockTimeout() << ctx.silenceStatements()
                 << QStringLiteral("LOCK TABLE %1 IN ROW EXCLUSIVE MODE;").arg(ctx.tableSql)
                 << QStringLiteral("DO %1;").arg(dollarQuoted(body));
    applyRules(&s, ctx, {DdlOperation::Update});
    s.estimatedSeconds = briefSeconds(ctx);
    return {s};
}

} // namespace lockstep::plan_detail
