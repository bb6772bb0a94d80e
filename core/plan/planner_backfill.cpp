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

namespace {
// One walk of `ctx.tableSql` (the table, or one partition: see backfillSteps).
Step walkStep(const PlanContext& ctx, const QString& id, const QString& title, const QString& whereSentence)
{
    const bool pages = ctx.table.key.kind == BackfillKey::Kind::Ctid || ctx.table.key.columns.isEmpty();
    QString why = QStringLiteral("Fills existing rows%1 %2, %3 rows per transaction, touching only rows that still "
                                 "differ, so each batch holds its row locks for a moment and a rerun resumes cheaply.")
                      .arg(whereSentence, walkDescription(ctx), QString::number(ctx.options.batchRows));
    if (ctx.version < 110000)
        why += QStringLiteral(" PostgreSQL 10 cannot COMMIT inside DO: the script generates one UPDATE per batch and "
                              "psql's \\gexec runs each in its own transaction.");
    if (pages && ctx.version < 140000)
        why += QStringLiteral(" Before PostgreSQL 14 there is no TID range scan, so every page batch reads the whole table.");
    why += applicationTriggerSentence(ctx);

    Step s = newStep(id, Phase::Backfill, title, why);
    s.statements = backfillScript(ctx);
    s.backfill = makeBackfillSpec(ctx);
    applyRules(&s, ctx, {DdlOperation::Update});
    s.scans = true;
    s.transactional = false;   // commits after every batch
    s.estimatedSeconds = backfillSeconds(ctx);
    if (pages && ctx.version < 140000)
        s.estimatedSeconds += scanSeconds(ctx) * double(qMax<qint64>(1, ctx.table.relpages / qMax<qint64>(1, pagesPerBatch(ctx))));
    return s;
}
} // namespace

QVector<Step> backfillSteps(const PlanContext& ctx)
{
    if (!ctx.backfillExpr)
        return {};
    QVector<const PartitionInfo*> leaves;
    for (const PartitionInfo& p : ctx.table.partitions)
        if (!p.partitioned)
            leaves << &p;
    if (leaves.isEmpty())
        return {walkStep(ctx, QStringLiteral("backfill"), QStringLiteral("Backfill %1 in batches").arg(ctx.columnSql), QString())};

    // A partitioned table is walked partition by partition: each walk has its own checkpoint and progress, its
    // own key order (the partition's copy of the key index) and size. The value function, triggers and
    // records stay the parent's (same schema, same names): only the table the batches update changes.
    QVector<Step> steps;
    for (int i = 0; i < leaves.size(); ++i) {
        const PartitionInfo& p = *leaves[i];
        TableSnapshot leaf = ctx.table;
        leaf.relpages = p.relpages;
        leaf.heapBytes = p.relpages * 8192;
        leaf.rowEstimate = p.rowEstimate;
        leaf.partitions.clear();
        const PlanContext leafCtx = [&] {
            PlanContext c = makeContext(leaf, ctx.change, ctx.options, ctx.quote);
            c.tableSql = ctx.q(p.schema) + QLatin1Char('.') + ctx.q(p.name);
            return c;
        }();
        Step s = walkStep(leafCtx, QStringLiteral("backfill_partition_%1").arg(i + 1),
                          QStringLiteral("Backfill %1 in partition %2").arg(ctx.columnSql, leafCtx.tableSql),
                          QStringLiteral(" of partition %1 (%2 of %3)").arg(leafCtx.tableSql).arg(i + 1).arg(leaves.size()));
        s.backfill->table = leafCtx.tableSql;
        steps << s;
    }
    return steps;
}

} // namespace lockstep::plan_detail
