// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/plan/lock_mode.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <optional>

namespace lockstep {

enum class Phase { Expand, Backfill, Constrain, Switch, Contract };
QString phaseName(Phase phase);                          // "expand", ...
std::optional<Phase> phaseFromName(const QString& name);

// What the runner needs to backfill in keyset batches (the `sql` of a backfill step is the equivalent
// psql-runnable DO block).
struct BackfillSpec {
    QString keyKind;            // "primary_key" | "unique_not_null" | "ctid"
    QStringList keyColumns;     // literal names
    QStringList keyTypes;
    QString targetColumn;       // literal name of the new column
    QString expression;         // as validated
    QString batchSql;           // one batch: $1.. are the lower key bound (exclusive), $n.. the upper (inclusive)
    QString firstBatchSql;      // as batchSql without a lower bound
    QString boundarySql;        // finds the upper key of the next batch: lower bound params, then LIMIT size
    QString remainingSql;       // counts rows where the column is distinct from the expression
    QJsonObject toJson() const;
    static BackfillSpec fromJson(const QJsonObject& json);
};

struct Step {
    QString id;                 // stable machine name, unique in the plan: "add_column", "sync_trigger", ...
    Phase phase = Phase::Expand;
    QString title;              // short, e.g. "Add column \"total_cents\" (nullable)"
    QString why;                // one sentence a DBA understands
    QString sql;                // forward SQL (may be several statements)
    QString rollbackSql;        // empty when nothing needs undoing
    bool reversible = true;     // false: the point of no return (contract's DROP COLUMN)
    std::optional<LockMode> lock;   // strongest table lock taken on the changed table; none for a gate
    bool rewrites = false;      // rewrites the whole table under its lock
    bool scans = false;         // reads the whole table (VALIDATE, index build, backfill)
    bool transactional = true;  // false for CONCURRENTLY and per-batch-committing steps
    double estimatedSeconds = 0;
    std::optional<BackfillSpec> backfill;

    // Keys: id, phase, title, why, sql, rollback_sql, reversible, lock (name or null), rewrites, scans,
    // transactional, estimated_seconds, and backfill (object) for the backfill step.
    QJsonObject toJson() const;
    static Step fromJson(const QJsonObject& json);
};

} // namespace lockstep
