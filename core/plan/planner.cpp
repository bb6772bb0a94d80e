// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/plan/planner.h"

#include <algorithm>

#include "core/plan/planner_context.h"

#include <QtGlobal>

namespace lockstep {

namespace plan_detail {

QString PlanContext::setLockTimeout() const
{
    return QStringLiteral("SET lock_timeout = '%1ms';").arg(options.lockTimeoutMs);
}

QStringList PlanContext::silenceStatements() const
{
    if (!silenceTriggers)
        return {};
    return {QStringLiteral("SET LOCAL session_replication_role = replica;")};
}

QStringList PlanContext::appTriggerDescriptions() const
{
    QStringList out;
    for (const TriggerInfo& t : appUpdateTriggers)
        out << QStringLiteral("%1 (%2 UPDATE%3: %4)")
                   .arg(t.name, t.timing, t.rowLevel ? QString() : QStringLiteral(", per statement"), t.function);
    return out;
}

bool PlanContext::keyed() const
{
    return table.key.kind != BackfillKey::Kind::Ctid && !table.key.columns.isEmpty();
}

QStringList PlanContext::quotedKeys() const
{
    QStringList out;
    for (const QString& k : table.key.columns)
        out << quote(k);
    return out;
}

QString PlanContext::newColumnValue() const
{
    return QStringLiteral("(%1)::%2").arg(backfillExpr.value_or(QStringLiteral("NULL")), type);
}

QString PlanContext::fillFilter() const
{
    // A default-driven or volatile fill (gen_random_uuid(), random()) only ever fills NULLs: comparing with
    // a value that changes on every call would never finish. An expression over the row is compared in
    // the column's type, so a row already holding the value is skipped.
    if (backfillFromDefault || change.backfillVolatile)
        return QStringLiteral("%1 IS NULL").arg(columnSql);
    return QStringLiteral("%1 IS DISTINCT FROM %2").arg(columnSql, newColumnValue());
}

QString PlanContext::walkFilter() const
{
    // Ahead of a keyed walk an existing row's new column is still NULL (added without an inline default):
    // rows inserted since were filled by the insert trigger, rows updated since are the BEFORE trigger's
    // or the key log's. So IS NULL finds the rows to fill and computes the expression once per row instead
    // of twice (a row whose value is NULL is written once, harmlessly). A copy of one column keeps the
    // comparison, free for it, to skip a sparse column's NULLs; a page walk too (an updated row moves to a
    // later page and is met again).
    if (keyed() && !defaultInline && !change.backfillCopiesColumn)
        return QStringLiteral("%1 IS NULL").arg(columnSql);
    return fillFilter();
}

double PlanContext::heapBytes() const
{
    if (table.heapBytes > 0)
        return double(table.heapBytes);
    return double(qMax<qint64>(table.relpages, 0)) * 8192.0;
}

double PlanContext::rowEstimate() const
{
    // reltuples is -1 (PG 14+) or 0 with pages (older) before the first ANALYZE: assume 100-byte rows.
    const bool unknown = table.rowEstimate < 0 || (table.rowEstimate == 0 && table.relpages > 0);
    if (unknown)
        return heapBytes() / 100.0;
    return table.rowEstimate;
}

PlanContext makeContext(const TableSnapshot& table, const ResolvedChange& change, const PlannerOptions& options,
                        const IdentQuoter& quote)
{
    PlanContext ctx(table, change, options, quote);
    ctx.version = table.serverVersionNum;
    ctx.tableSql = quote(table.schema) + QLatin1Char('.') + quote(table.name);
    ctx.tableAliasSql = quote(table.name);
    ctx.columnSql = quote(change.change.column);
    ctx.type = change.type;
    if (change.isReplace()) {
        ctx.oldColumnSql = quote(change.change.oldColumn);
        ctx.oldType = change.oldType;
        if (ctx.oldType.isEmpty()) {
            if (const ColumnInfo* old = table.column(change.change.oldColumn))
                ctx.oldType = old->type;
        }
    }

    ctx.defaultExpr = change.defaultExpr;
    ctx.defaultInline = ctx.defaultExpr && !change.defaultVolatile && ctx.version >= 110000;

    // Who fills the existing rows: an explicit backfill, the old column (replace), or the default when it
    // cannot go inline (volatile, or PG < 11 where it would rewrite). An inline default needs nothing.
    const bool explicitFill = change.change.backfill.has_value() || change.isReplace();
    if (explicitFill) {
        ctx.backfillExpr = change.backfillExpr ? change.backfillExpr : change.change.backfill;
        ctx.sources = change.backfillSourceColumns;
        if (!ctx.backfillExpr) {
            ctx.backfillExpr = QStringLiteral("%1::%2").arg(ctx.oldColumnSql, ctx.type);
            ctx.sources = QStringList{change.change.oldColumn};
        }
        if (change.isReplace() && !change.change.backfill && ctx.sources.isEmpty())
            ctx.sources = QStringList{change.change.oldColumn};
    } else if (ctx.defaultExpr && !ctx.defaultInline) {
        ctx.backfillExpr = ctx.defaultExpr;
        ctx.backfillFromDefault = true;
    }
    // New rows get a default-driven value from the column default itself; only expressions over the
    // row need a trigger to keep rows written by code that does not know the column in sync.
    ctx.syncTrigger = ctx.backfillExpr && !ctx.backfillFromDefault;
    ctx.reverseTrigger = change.isReplace() && !change.change.backfill.has_value() && !ctx.oldType.isEmpty();
    ctx.names = derivePlanObjectNames(table, change.change.column);
    for (const TriggerInfo& t : table.triggers)
        if (t.firesOnUpdate && !t.name.startsWith(QLatin1String("lockstep_")))
            ctx.appUpdateTriggers << t;
    ctx.silenceTriggers = !ctx.appUpdateTriggers.isEmpty() && table.maySilenceTriggers;
    // CREATE OR REPLACE TRIGGER (14+) swaps the AFTER trigger for the BEFORE one in one statement under
    // SHARE ROW EXCLUSIVE; the log needs a key to find the rows again.
    ctx.logDuringWalk = ctx.syncTrigger && !ctx.sources.isEmpty() && ctx.keyed() && ctx.version >= 140000;
    return ctx;
}

Step newStep(const QString& id, Phase phase, const QString& title, const QString& why)
{
    Step s;
    s.id = id;
    s.phase = phase;
    s.title = title;
    s.why = why;
    return s;
}

void applyRules(Step* step, const PlanContext& ctx, std::initializer_list<DdlOperation> ops)
{
    for (DdlOperation op : ops) {
        const LockRule& r = ctx.rule(op);
        if (r.lock && (!step->lock || static_cast<int>(*r.lock) > static_cast<int>(*step->lock)))
            step->lock = r.lock;
        step->rewrites = step->rewrites || r.rewrites;
        step->scans = step->scans || r.scans;
        step->transactional = step->transactional && r.allowedInTransaction;
    }
}

void joinStatements(Step* step)
{
    if (!step->statements.isEmpty())   // a gate keeps its comment as sql
        step->sql = step->statements.join(QLatin1Char('\n'));
    step->rollbackSql = step->rollbackStatements.join(QLatin1Char('\n'));
}

double briefSeconds(const PlanContext& ctx)
{
    return qMax(0.0, ctx.options.briefLockSeconds);
}

double scanSeconds(const PlanContext& ctx)
{
    if (ctx.options.scanBytesPerSecond <= 0)
        return 0;
    return qMax(0.0, ctx.heapBytes() / ctx.options.scanBytesPerSecond);
}

double indexBuildSeconds(const PlanContext& ctx)
{
    // CONCURRENTLY reads the table twice; the sort costs about one more pass.
    return 3 * scanSeconds(ctx);
}

double backfillSeconds(const PlanContext& ctx)
{
    if (ctx.options.backfillRowsPerSecond <= 0)
        return 0;
    return qMax(0.0, ctx.rowEstimate() / ctx.options.backfillRowsPerSecond);
}

} // namespace plan_detail

Planner::Planner(IdentQuoter quote, PlannerOptions options)
    : m_quote(std::move(quote)), m_options(options)
{
}

Plan Planner::plan(const TableSnapshot& table, const ResolvedChange& change) const
{
    using namespace plan_detail;
    const PlanContext ctx = makeContext(table, change, m_options, m_quote);
    Plan plan;
    plan.serverVersionNum = table.serverVersionNum;
    plan.serverVersion = table.serverVersion;
    plan.table = ctx.tableSql;
    plan.tableOid = table.oid;
    plan.change = change.change;
    plan.proof = change.proof;
    plan.estimateSource = m_options.estimateSource;
    for (const PartitionInfo& p : table.partitions)
        plan.partitions << p.schema + QLatin1Char('.') + p.name;
    for (const auto& phase : {expandSteps(ctx), backfillSteps(ctx), syncSwapSteps(ctx), failedRowsSteps(ctx), constrainSteps(ctx),
                              switchSteps(ctx), contractSteps(ctx)}) {
        for (Step s : phase) {
            joinStatements(&s);
            plan.steps.push_back(std::move(s));
        }
    }
    const bool backfills = std::any_of(plan.steps.begin(), plan.steps.end(), [](const Step& s) { return s.backfill.has_value(); });
    plan.disk = estimateDisk(table, change, backfills);
    return plan;
}

} // namespace lockstep
