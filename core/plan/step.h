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
// psql-runnable DO block). Every statement only touches rows still to fill (`filter`), so re-running a
// batch is harmless.
//
// Keyed tables (keyKind primary_key / unique_not_null), keys compared as rows in index order:
//   firstBoundarySql  $1 = batch size                      -> the last key of the first batch (no row: empty table)
//   boundarySql       $1..$n = lower key (exclusive), $n+1 = batch size -> the last key of the next batch
//                     (no row: done; fewer than `size` rows behind it: the last batch)
//   firstBatchSql     $1..$n = upper key (inclusive)
//   batchSql          $1..$n = lower key (exclusive), $n+1..$2n = upper key (inclusive)
// Tables without a key (keyKind ctid) are walked by heap pages:
//   firstBoundarySql = boundarySql: no parameters -> the number of heap pages now (walk [0, pages); rows
//                     written later already carry the value thanks to the sync trigger or the default)
//   firstBatchSql = batchSql: $1 = first page (inclusive), $2 = end page (exclusive). Before PostgreSQL 14
//                     there is no TID range scan: each batch then reads the whole table.
// remainingSql counts the rows still to fill (0 before the switch, or the backfill is not done).
struct BackfillSpec {
    QString table;              // the table its batches update, quoted: a partition; empty: the plan's table
    QString keyKind;            // "primary_key" | "unique_not_null" | "ctid"
    QStringList keyColumns;     // literal names
    QStringList keyTypes;
    QString targetColumn;       // literal name of the new column
    QString expression;         // as validated
    QString filter;             // SQL condition of the rows still to fill, e.g. c IS DISTINCT FROM (expr)::type
    QString batchSql;           // one batch: $1.. are the lower key bound (exclusive), $n.. the upper (inclusive)
    QString firstBatchSql;      // as batchSql without a lower bound
    QString boundarySql;        // finds the upper key of the next batch: lower bound params, then the batch size
    QString firstBoundarySql;   // as boundarySql without a lower bound
    QString remainingSql;       // counts rows where the column is distinct from the expression
    QString lastKeySql;         // one integer key: its largest value (empty otherwise, and in older plans)
    double rowsPerPage = 0;     // ctid: estimated rows per heap page (to turn a row batch size into pages)
    // The same batches through the value function, which never raises: a batch that fails on a value (a
    // row the expression cannot compute) is run again this way, the failing rows left NULL and recorded.
    // Empty without a sync trigger, and in older plans (no fallback).
    QString safeBatchSql;
    QString safeFirstBatchSql;
    // The rows recorded by the value function still unresolved: count, one key, one error (one row, three
    // columns). Empty without a sync trigger, and in older plans.
    QString failedRowsSql;
    // The table's triggers an UPDATE of the new column fires (described), and whether the walk runs under
    // session_replication_role = replica so that they do not fire for its updates.
    QStringList applicationTriggers;
    bool silenceTriggers = false;

    // Keys: table (when not empty), key_kind, key_columns, key_types, target_column, expression, filter, batch_sql, first_batch_sql,
    // boundary_sql, first_boundary_sql, remaining_sql, rows_per_page, last_key_sql, safe_batch_sql,
    // safe_first_batch_sql, failed_rows_sql (the last four when not empty), application_triggers (when
    // not empty), silence_triggers (when true).
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
    // `sql` and `rollbackSql` as separate statements, each ending in ';', to execute one by one (inside one
    // transaction when `transactional`, else each on its own: CONCURRENTLY refuses a transaction block,
    // and so does a multi-statement query string). The PG 10 backfill's `sql` is a psql script
    // (\gexec), not for a runner: it uses `backfill`.
    QStringList statements;
    QStringList rollbackStatements;
    bool reversible = true;     // false: the point of no return (contract's DROP COLUMN)
    std::optional<LockMode> lock;   // strongest table lock taken on the changed table; none for a gate
    bool rewrites = false;      // rewrites the whole table under its lock
    bool scans = false;         // reads the whole table (VALIDATE, index build, backfill)
    bool transactional = true;  // false for CONCURRENTLY and per-batch-committing steps
    double estimatedSeconds = 0;
    std::optional<BackfillSpec> backfill;

    // Keys: id, phase, title, why, sql, rollback_sql, statements, rollback_statements, reversible,
    // lock (name or null), rewrites, scans, transactional, estimated_seconds, and backfill (object) for the
    // backfill step. fromJson without statements takes `sql` as one statement.
    QJsonObject toJson() const;
    static Step fromJson(const QJsonObject& json);
};

} // namespace lockstep
