// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Internal to the planner: what every phase's step builder needs, computed once per plan.
#include "core/plan/lock_table.h"
#include "core/plan/object_names.h"
#include "core/plan/planner.h"

#include <initializer_list>

namespace lockstep::plan_detail {

struct PlanContext {
    PlanContext(const TableSnapshot& t, const ResolvedChange& c, const PlannerOptions& o, IdentQuoter q)
        : table(t), change(c), options(o), quote(std::move(q)) {}

    const TableSnapshot& table;
    const ResolvedChange& change;
    const PlannerOptions& options;
    IdentQuoter quote;
    int version = 0;

    QString tableSql;          // "schema"."table"
    QString tableAliasSql;     // "table": lets expressions say "table".col inside the sync function
    QString columnSql;         // the new column, quoted
    QString oldColumnSql;      // replace: the old column, quoted
    QString type;              // the new column's type (format_type: already valid SQL)
    QString oldType;

    std::optional<QString> defaultExpr;
    bool defaultInline = false;        // DEFAULT in ADD COLUMN (non-volatile, PG >= 11)
    std::optional<QString> backfillExpr;
    bool backfillFromDefault = false;  // the default fills existing rows: only NULL rows need it
    QStringList sources;               // literal names of the columns the backfill expression reads
    bool syncTrigger = false;          // forward dual-write trigger (explicit or replace backfill)
    bool reverseTrigger = false;       // replace with a cast: old column kept in sync after the switch
    // During the walk, updates are logged by an AFTER trigger instead of handled by the BEFORE one (which
    // makes PostgreSQL lock every row the backfill updates); swapped back after the walk (syncSwapSteps).
    bool logDuringWalk = false;
    PlanObjectNames names;
    // The table's own triggers that an UPDATE setting only the new column fires: the backfill's updates
    // would run them on every row (an updated_at bumped, an audit row written, a row refused).
    QVector<TriggerInfo> appUpdateTriggers;
    // The role may SET session_replication_role: the row-writing steps run under replica, so those
    // triggers (not ENABLE ALWAYS ones) stay quiet for Lockstep's own updates.
    bool silenceTriggers = false;

    bool isReplace() const { return change.isReplace(); }
    // The table has a usable key (primary or unique NOT NULL): keyset batches, a key log; else heap pages.
    bool keyed() const;
    QStringList quotedKeys() const;            // the key's columns, quoted
    QString q(const QString& literal) const { return quote(literal); }
    // A schema object next to the table (our functions), quoted and qualified.
    QString inSchema(const QString& literal) const { return quote(table.schema) + QLatin1Char('.') + quote(literal); }
    const LockRule& rule(DdlOperation op) const { return lockRuleFor(op, version); }
    QString setLockTimeout() const;            // SET lock_timeout = '1000ms';
    // Inside a row-writing step's transaction: SET LOCAL session_replication_role = replica (when silencing).
    QStringList silenceStatements() const;
    // "ensure_consistency (BEFORE UPDATE: public.ensure_role_consistency)" for each of appUpdateTriggers.
    QStringList appTriggerDescriptions() const;
    QString newColumnValue() const;            // (expr)::type, the value a row's new column must hold
    QString fillFilter() const;                // rows that still need the backfill
    QString walkFilter() const;                // rows the backfill's walk still has to fill
    double heapBytes() const;
    double rowEstimate() const;
};

PlanContext makeContext(const TableSnapshot& table, const ResolvedChange& change, const PlannerOptions& options,
                        const IdentQuoter& quote);

// Step assembly.
Step newStep(const QString& id, Phase phase, const QString& title, const QString& why);
// Lock = strongest of the rules' locks, rewrites/scans = any, transactional = all allow a transaction.
void applyRules(Step* step, const PlanContext& ctx, std::initializer_list<DdlOperation> ops);
// sql / rollbackSql from the statement lists.
void joinStatements(Step* step);

// Estimates (seconds), from the options' stated rates.
double briefSeconds(const PlanContext& ctx);
double scanSeconds(const PlanContext& ctx);
double indexBuildSeconds(const PlanContext& ctx);
double backfillSeconds(const PlanContext& ctx);

QVector<Step> expandSteps(const PlanContext& ctx);
// GRANT USAGE on a serial's `sequence` (quoted) to the roles that may insert into the table.
QStringList sequenceUsageGrants(const PlanContext& ctx, const QString& sequence);
QVector<Step> backfillSteps(const PlanContext& ctx);
// What the table's own UPDATE triggers do to the row-writing steps (empty when it has none), for a step's why.
QString applicationTriggerSentence(const PlanContext& ctx);
QVector<Step> syncSwapSteps(const PlanContext& ctx);
QVector<Step> failedRowsSteps(const PlanContext& ctx);
QVector<Step> constrainSteps(const PlanContext& ctx);
// The index on a partitioned table: ON ONLY the parent, then CONCURRENTLY per partition and attached.
void partitionedIndexSteps(const PlanContext& ctx, QVector<Step>* steps);
QVector<Step> switchSteps(const PlanContext& ctx);
QVector<Step> contractSteps(const PlanContext& ctx);

} // namespace lockstep::plan_detail
