// SPDX-License-Identifier: GPL-3.0-or-later
// Backfill: existing rows get the new column's value in short, separately committed batches.
#include "core/plan/backfill_sql.h"
#include "core/plan/planner_context.h"

namespace lockstep::plan_detail {

namespace {
QString walkDescription(const PlanContext& ctx)
{
    switch (ctx.table.key.kind) {
    case BackfillKey::Kind::PrimaryKey:
        if (!ctx.table.key.columns.isEmpty())
            return QStringLiteral("by primary-key ranges");
        break;
    case BackfillKey::Kind::UniqueNotNull:
        if (!ctx.table.key.columns.isEmpty())
            return QStringLiteral("by ranges of a unique NOT NULL key");
        break;
    case BackfillKey::Kind::Ctid:
        break;
    }
    return QStringLiteral("by ranges of heap pages (the table has no usable key)");
}
} // namespace

QString applicationTriggerSentence(const PlanContext& ctx)
{
    if (ctx.appUpdateTriggers.isEmpty())
        return {};
    const QString names = ctx.appTriggerDescriptions().join(QStringLiteral(", "));
    QString out;
    if (ctx.silenceTriggers) {
        out = QStringLiteral(" The table's trigger(s) %1 would fire on every row it updates: Lockstep's own updates run "
                             "under session_replication_role = replica, so they do not (the application's writes still "
                             "fire them).").arg(names);
        QStringList always;
        for (const TriggerInfo& t : ctx.appUpdateTriggers)
            if (t.firesInReplica)
                always << t.name;
        if (!always.isEmpty())
            out += QStringLiteral(" %1 is ENABLE ALWAYS and fires anyway.").arg(always.join(QStringLiteral(", ")));
    } else {
        out = QStringLiteral(" The table's trigger(s) %1 will fire on every row it updates — they may refuse the "
                             "update or change other columns (an updated_at, an audit row). This role may not SET "
                             "session_replication_role to keep them quiet (superuser, or PostgreSQL 15+: GRANT SET ON "
                             "PARAMETER session_replication_role).").arg(names);
    }
    return out;
}

QVector<Step> backfillSteps(const PlanContext& ctx)
{
    if (!ctx.backfillExpr)
        return {};
    const bool pages = ctx.table.key.kind == BackfillKey::Kind::Ctid || ctx.table.key.columns.isEmpty();
    QString why = QStringLiteral("Fills existing rows %1, %2 rows per transaction, touching only rows that still "
                                 "differ, so each batch holds its row locks for a moment and a rerun resumes cheaply.")
                      .arg(walkDescription(ctx), QString::number(ctx.options.batchRows));
    if (ctx.version < 110000)
        why += QStringLiteral(" PostgreSQL 10 cannot COMMIT inside DO: the script generates one UPDATE per batch and "
                              "psql's \\gexec runs each in its own transaction.");
    if (pages && ctx.version < 140000)
        why += QStringLiteral(" Before PostgreSQL 14 there is no TID range scan, so every page batch reads the whole table.");

    why += applicationTriggerSentence(ctx);

    Step s = newStep(QStringLiteral("backfill"), Phase::Backfill,
                     QStringLiteral("Backfill %1 in batches").arg(ctx.columnSql), why);
    s.statements = backfillScript(ctx);
    s.backfill = makeBackfillSpec(ctx);
    applyRules(&s, ctx, {DdlOperation::Update});
    s.scans = true;
    s.transactional = false;   // commits after every batch
    s.estimatedSeconds = backfillSeconds(ctx);
    if (pages && ctx.version < 140000)
        s.estimatedSeconds += scanSeconds(ctx) * double(qMax<qint64>(1, ctx.table.relpages / qMax<qint64>(1, pagesPerBatch(ctx))));
    return {s};
}

} // namespace lockstep::plan_detail
