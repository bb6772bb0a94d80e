// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Shared by the journal tests: a small but complete plan to store.
#include "core/plan/plan.h"

namespace lockstep::test {

inline Plan journalTestPlan()
{
    Plan plan;
    plan.serverVersion = QStringLiteral("15.4");
    plan.serverVersionNum = 150004;
    plan.table = QStringLiteral("public.\"Order Items\"");
    plan.change.kind = NewColumnChange::Kind::Add;
    plan.change.table = QStringLiteral("public.\"Order Items\"");
    plan.change.column = QStringLiteral("total_cents");
    plan.change.type = QStringLiteral("bigint");
    plan.change.backfill = QStringLiteral("price * 100");
    plan.change.notNull = true;

    Step add;
    add.id = QStringLiteral("add_column");
    add.phase = Phase::Expand;
    add.title = QStringLiteral("Add column \"total_cents\" (nullable)");
    add.sql = QStringLiteral("ALTER TABLE public.\"Order Items\" ADD COLUMN total_cents bigint;");
    add.statements = QStringList{add.sql};
    add.rollbackSql = QStringLiteral("ALTER TABLE public.\"Order Items\" DROP COLUMN total_cents;");
    add.rollbackStatements = QStringList{add.rollbackSql};
    add.lock = LockMode::AccessExclusive;
    add.estimatedSeconds = 0.01;

    Step backfill;
    backfill.id = QStringLiteral("backfill");
    backfill.phase = Phase::Backfill;
    backfill.title = QStringLiteral("Backfill \"total_cents\"");
    backfill.lock = LockMode::RowExclusive;
    backfill.scans = true;
    backfill.transactional = false;
    backfill.estimatedSeconds = 12.5;
    BackfillSpec spec;
    spec.keyKind = QStringLiteral("primary_key");
    spec.keyColumns = QStringList{QStringLiteral("order_id"), QStringLiteral("line")};
    spec.keyTypes = QStringList{QStringLiteral("bigint"), QStringLiteral("integer")};
    spec.targetColumn = QStringLiteral("total_cents");
    spec.expression = QStringLiteral("price * 100");
    spec.filter = QStringLiteral("total_cents IS DISTINCT FROM (price * 100)::bigint");
    spec.batchSql = QStringLiteral("UPDATE ... WHERE (order_id, line) > ($1, $2) AND (order_id, line) <= ($3, $4)");
    backfill.backfill = spec;

    Step validate;
    validate.id = QStringLiteral("validate_not_null");
    validate.phase = Phase::Constrain;
    validate.title = QStringLiteral("Validate NOT NULL");
    validate.lock = LockMode::ShareUpdateExclusive;
    validate.scans = true;

    plan.steps = {add, backfill, validate};
    return plan;
}

} // namespace lockstep::test
