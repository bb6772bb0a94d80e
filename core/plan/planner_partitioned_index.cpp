// SPDX-License-Identifier: GPL-3.0-or-later
// The index on a partitioned table: PostgreSQL cannot build it CONCURRENTLY on the parent. So: the
// parent's index ON ONLY (a catalog entry, invalid until every partition has one: an instant of SHARE on
// the parent), the same for each sub-partitioned partition, attached to its parent's; then each leaf
// partition's index built CONCURRENTLY; then all attached under one brief lock -- the parent's index turns
// valid when the last one is.
#include "core/plan/planner_context.h"

namespace lockstep::plan_detail {

namespace {
QString qualified(const PlanContext& ctx, const QString& schema, const QString& name)
{
    return ctx.q(schema) + QLatin1Char('.') + ctx.q(name);
}

// A partition's index name: "<partition>_<column>_idx", fitted to 63 bytes as every plan name is.
QString partitionIndexName(const PartitionInfo& p, const QString& column)
{
    return fitIdentifier({}, {p.name, column}, QStringLiteral("_idx"));
}

// The qualified index of `schema.name` (the changed table or one of its partitions) in this plan.
QString indexOf(const PlanContext& ctx, const QString& schema, const QString& name)
{
    if (schema == ctx.table.schema && name == ctx.table.name)
        return ctx.inSchema(ctx.names.index);
    for (const PartitionInfo& p : ctx.table.partitions)
        if (p.schema == schema && p.name == name)
            return qualified(ctx, p.schema, partitionIndexName(p, ctx.change.change.column));
    return {};
}
} // namespace

void partitionedIndexSteps(const PlanContext& ctx, QVector<Step>* steps)
{
    const QString column = ctx.change.change.column;
    Step parent = newStep(QStringLiteral("index_parent"), Phase::Constrain,
                          QStringLiteral("Create index %1 on the partitioned table only").arg(ctx.q(ctx.names.index)),
                          QStringLiteral("PostgreSQL cannot build an index CONCURRENTLY on a partitioned table: its index "
                                         "is made ON ONLY the parent (no scan, an instant of SHARE), invalid until every "
                                         "partition's index is attached by the next step."));
    parent.statements << ctx.setLockTimeout()
                      << QStringLiteral("CREATE INDEX IF NOT EXISTS %1 ON ONLY %2 (%3);").arg(ctx.q(ctx.names.index), ctx.tableSql, ctx.columnSql);
    for (const PartitionInfo& p : ctx.table.partitions) {
        if (!p.partitioned)
            continue;
        const QString name = partitionIndexName(p, column);
        parent.statements << QStringLiteral("CREATE INDEX IF NOT EXISTS %1 ON ONLY %2 (%3);").arg(ctx.q(name), qualified(ctx, p.schema, p.name), ctx.columnSql)
                          << QStringLiteral("ALTER INDEX %1 ATTACH PARTITION %2;").arg(indexOf(ctx, p.parentSchema, p.parentName), qualified(ctx, p.schema, name));
    }
    parent.rollbackStatements << ctx.setLockTimeout() << QStringLiteral("DROP INDEX IF EXISTS %1;").arg(ctx.inSchema(ctx.names.index));
    parent.lock = LockMode::Share;
    parent.estimatedSeconds = briefSeconds(ctx);
    *steps << parent;

    Step leaves = newStep(QStringLiteral("index"), Phase::Constrain,
                          QStringLiteral("Build index %1 partition by partition, concurrently").arg(ctx.q(ctx.names.index)),
                          QStringLiteral("Each partition's index is built CONCURRENTLY while reads and writes continue; the "
                                         "next step attaches them to the parent's."));
    leaves.statements << QStringLiteral("SET lock_timeout = 0;") << QStringLiteral("SET statement_timeout = 0;");
    // Attaching the last leaf under a sub-partitioned index validates the indexes above it, which takes
    // ACCESS EXCLUSIVE on the partitioned table while the leaf's index is held: a writer holding the table
    // and waiting for that index would deadlock with it. So the attaches run in one transaction that takes
    // the table's lock first (ONLY: not its partitions), briefly, under the lock_timeout ladder.
    Step attach = newStep(QStringLiteral("index_attach"), Phase::Constrain,
                          QStringLiteral("Attach the partitions' indexes to %1").arg(ctx.q(ctx.names.index)),
                          QStringLiteral("Attaching is a catalog change; the parent's index turns valid with the last one. "
                                         "The table's ACCESS EXCLUSIVE is taken first, for an instant, so that no writer "
                                         "can deadlock with the validation."));
    attach.statements << ctx.setLockTimeout() << QStringLiteral("LOCK TABLE ONLY %1 IN ACCESS EXCLUSIVE MODE;").arg(ctx.tableSql);
    QStringList dropLeaves;
    for (const PartitionInfo& p : ctx.table.partitions) {
        if (p.partitioned)
            continue;
        const QString name = partitionIndexName(p, column);
        leaves.statements << QStringLiteral("CREATE INDEX CONCURRENTLY IF NOT EXISTS %1 ON %2 (%3);").arg(ctx.q(name), qualified(ctx, p.schema, p.name), ctx.columnSql);
        attach.statements << QStringLiteral("ALTER INDEX %1 ATTACH PARTITION %2;").arg(indexOf(ctx, p.parentSchema, p.parentName), qualified(ctx, p.schema, name));
        dropLeaves << QStringLiteral("DROP INDEX CONCURRENTLY IF EXISTS %1;").arg(qualified(ctx, p.schema, name));
    }
    // The parent's index first (it takes the attached ones with it), then any leaf built but not attached.
    leaves.rollbackStatements << ctx.setLockTimeout() << QStringLiteral("DROP INDEX IF EXISTS %1;").arg(ctx.inSchema(ctx.names.index))
                              << QStringLiteral("SET lock_timeout = 0;") << dropLeaves;
    applyRules(&leaves, ctx, {DdlOperation::CreateIndexConcurrently});
    leaves.estimatedSeconds = indexBuildSeconds(ctx);
    *steps << leaves;
    attach.lock = LockMode::AccessExclusive;
    attach.estimatedSeconds = briefSeconds(ctx);
    *steps << attach;   // nothing of its own to undo: the parent's index takes the attached ones with it
}

} // namespace lockstep::plan_detail
