// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/plan/planner_context.h"

namespace lockstep::plan_detail {

// A trigger function and its BEFORE INSERT / BEFORE UPDATE OF triggers, as statements.
struct TriggerSql {
    QStringList create;   // CREATE OR REPLACE FUNCTION, CREATE [OR REPLACE] TRIGGER ...
    QStringList drop;     // DROP TRIGGER IF EXISTS ..., DROP FUNCTION IF EXISTS ...
};

// Forward sync: sets the new column from the backfill expression evaluated on the NEW row, on insert
// when the new column is NULL and on update when a source column changed.
TriggerSql forwardSyncTrigger(const PlanContext& ctx);
// The BEFORE UPDATE OF trigger of the forward sync alone (the swap after the walk).
QString forwardUpdateTrigger(const PlanContext& ctx);
// The forward sync as installed before the walk: with ctx.logDuringWalk the update trigger is an AFTER
// trigger that logs the row's key into a table, and drop also removes that table and its function.
TriggerSql walkSyncTrigger(const PlanContext& ctx);
// DROP FUNCTION / DROP TABLE IF EXISTS of the changed-keys log.
QStringList changedKeysDrop(const PlanContext& ctx);
// The new column's value for one row as a function that never raises: a row whose value fails (a value the
// type cannot take) gets NULL and its key is recorded in the failed-rows table, so an application write
// through the sync trigger always succeeds. `create` makes the table, its recording function and the value
// function; `drop` removes them.
TriggerSql safeValueFunction(const PlanContext& ctx);
// A call of the value function on `row` (a whole-row reference: NEW, or a table alias).
QString safeValue(const PlanContext& ctx, const QString& row);
// The condition matching a table row (`alias`) with a recorded key (`key`, jsonb): the table's key columns,
// or without a key the source columns.
QString failedRowMatch(const PlanContext& ctx, const QString& alias, const QString& key);
// Replace, after the switch: sets the old column from the new one (cast back to the old type), on
// insert when the old column disagrees and on update of the new column, so a rollback loses no write.
TriggerSql reverseSyncTrigger(const PlanContext& ctx);

} // namespace lockstep::plan_detail
