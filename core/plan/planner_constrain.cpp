// SPDX-License-Identifier: GPL-3.0-or-later
// Constrain: every constraint is added without a long lock: NOT VALID (instant) then VALIDATE (SHARE
// UPDATE EXCLUSIVE, traffic continues), indexes CONCURRENTLY.
#include "core/plan/planner_context.h"
#include "core/plan/sql_text.h"

namespace lockstep::plan_detail {

namespace {
// Long-running statements that do not block traffic: no statement_timeout, and no lock_timeout either,
// because CONCURRENTLY waits for every older transaction and VALIDATE may queue behind autovacuum:
// those waits block nobody's reads or writes, and a timeout would only fail the step.
QStringList untimed()
{
    return {QStringLiteral("SET lock_timeout = 0;"), QStringLiteral("SET statement_timeout = 0;")};
}

Step briefAlter(const PlanContext& ctx, const QString& id, const QString& title, const QString& why,
                const QString& alter, const QString& rollback, DdlOperation op)
{
    Step s = newStep(id, Phase::Constrain, title, why);
    s.statements << ctx.setLockTimeout() << QStringLiteral("ALTER TABLE %1 %2;").arg(ctx.tableSql, alter);
    if (!rollback.isEmpty())
        s.rollbackStatements << ctx.setLockTimeout() << QStringLiteral("ALTER TABLE %1 %2;").arg(ctx.tableSql, rollback);
    applyRules(&s, ctx, {op});
    s.estimatedSeconds = briefSeconds(ctx);
    return s;
}

Step validate(const PlanContext& ctx, const QString& id, const QString& constraint, const QString& title,
              const QString& why, DdlOperation op, double seconds)
{
    Step s = newStep(id, Phase::Constrain, title, why);
    s.statements << untimed()
                 << QStringLiteral("ALTER TABLE %1 VALIDATE CONSTRAINT %2;").arg(ctx.tableSql, ctx.q(constraint));
    applyRules(&s, ctx, {op});
    s.estimatedSeconds = seconds;
    return s;
}

QString dropConstraint(const PlanContext& ctx, const QString& name)
{
    return QStringLiteral("DROP CONSTRAINT IF EXISTS %1").arg(ctx.q(name));
}

QString notNullCheckSql(const PlanContext& ctx)
{
    return QStringLiteral("ADD CONSTRAINT %1 CHECK (%2 IS NOT NULL) NOT VALID").arg(ctx.q(ctx.names.notNullCheck), ctx.columnSql);
}

void notNullCheckStep(const PlanContext& ctx, QVector<Step>* steps)
{
    const QString name = ctx.names.notNullCheck;
    const QString checkSql = notNullCheckSql(ctx);
    *steps << briefAlter(ctx, QStringLiteral("not_null_check"),
                         QStringLiteral("Add CHECK (%1 IS NOT NULL) NOT VALID").arg(ctx.columnSql),
                         QStringLiteral("New and updated rows must have %1 from now on; existing rows are checked by "
                                        "its validation step, so this needs ACCESS EXCLUSIVE only for an instant.").arg(ctx.columnSql),
                         checkSql, dropConstraint(ctx, name), DdlOperation::AddCheckNotValid);
}

// Validate, then (PostgreSQL 12+) SET NOT NULL and drop the helper check.
void notNullSteps(const PlanContext& ctx, QVector<Step>* steps)
{
    const QString name = ctx.names.notNullCheck;
    const QString checkSql = notNullCheckSql(ctx);
    const bool setNotNull = ctx.version >= 120000;
    QString why = QStringLiteral("Scans the table to prove no row has %1 NULL while reads and writes continue "
                                 "(SHARE UPDATE EXCLUSIVE).").arg(ctx.columnSql);
    if (!setNotNull)
        why += QStringLiteral(" Before PostgreSQL 12, SET NOT NULL would scan again under ACCESS EXCLUSIVE, so the "
                              "validated CHECK is kept as the NOT NULL guarantee instead.");
    *steps << validate(ctx, QStringLiteral("not_null_validate"), name,
                       QStringLiteral("Validate the NOT NULL check on %1").arg(ctx.columnSql), why,
                       DdlOperation::ValidateConstraint, scanSeconds(ctx));
    if (!setNotNull)
        return;
    *steps << briefAlter(ctx, QStringLiteral("not_null_set"), QStringLiteral("Set %1 NOT NULL").arg(ctx.columnSql),
                         QStringLiteral("The validated CHECK proves the column has no NULL, so PostgreSQL 12+ sets NOT "
                                        "NULL without scanning: an instant of ACCESS EXCLUSIVE."),
                         QStringLiteral("ALTER COLUMN %1 SET NOT NULL").arg(ctx.columnSql),
                         QStringLiteral("ALTER COLUMN %1 DROP NOT NULL").arg(ctx.columnSql),
                         DdlOperation::SetNotNullWithValidatedCheck);
    *steps << briefAlter(ctx, QStringLiteral("not_null_drop_check"),
                         QStringLiteral("Drop the helper CHECK on %1").arg(ctx.columnSql),
                         QStringLiteral("The column's NOT NULL now guarantees what the helper CHECK did; dropping it "
                                        "saves evaluating it on every write."),
                         dropConstraint(ctx, name), QStringLiteral("DROP CONSTRAINT IF EXISTS %1, %2").arg(ctx.q(name), checkSql),
                         DdlOperation::DropConstraint);
}

// An identity column: planned as a serial, it becomes one once NOT NULL. In one transaction, under an
// instant of ACCESS EXCLUSIVE: the default goes, the identity comes, its sequence continues where ours
// stopped (nothing can insert in between), ours is dropped. Undone the other way round.
void identityStep(const PlanContext& ctx, QVector<Step>* steps)
{
    const QString sequence = ctx.inSchema(ctx.change.serialSequence);
    const QString identitySequence = QStringLiteral("pg_get_serial_sequence(%1, %2)")
                                         .arg(sqlLiteral(ctx.tableSql), sqlLiteral(ctx.change.change.column));
    Step s = newStep(QStringLiteral("identity"), Phase::Constrain,
                     QStringLiteral("Make %1 GENERATED %2 AS IDENTITY").arg(ctx.columnSql, ctx.change.identity),
                     QStringLiteral("The column is NOT NULL and every row numbered, so it becomes an identity column "
                                    "without a scan: an instant of ACCESS EXCLUSIVE. Its sequence continues where %1 "
                                    "stopped, and %1 is dropped.").arg(ctx.q(ctx.change.serialSequence)));
    // Ours is disowned first: pg_get_serial_sequence() would find it (OWNED BY the column) before the identity's.
    s.statements << ctx.setLockTimeout() << QStringLiteral("ALTER SEQUENCE %1 OWNED BY NONE;").arg(sequence)
                 << QStringLiteral("ALTER TABLE %1 ALTER COLUMN %2 DROP DEFAULT, ALTER COLUMN %2 ADD GENERATED %3 AS IDENTITY;")
                        .arg(ctx.tableSql, ctx.columnSql, ctx.change.identity)
                 << QStringLiteral("SELECT setval(%1, last_value, is_called) FROM %2;").arg(identitySequence, sequence)
                 << QStringLiteral("DROP SEQUENCE %1;").arg(sequence);
    s.rollbackStatements << ctx.setLockTimeout()
                         << QStringLiteral("ALTER TABLE %1 ALTER COLUMN %2 DROP IDENTITY IF EXISTS;").arg(ctx.tableSql, ctx.columnSql)
                         << QStringLiteral("CREATE SEQUENCE IF NOT EXISTS %1 AS %2 OWNED BY %3.%4;").arg(sequence, ctx.type, ctx.tableSql, ctx.columnSql)
                         << QStringLiteral("SELECT setval(%1, coalesce(max(%2), 0) + 1, false) FROM %3;")
                                .arg(sqlLiteral(sequence), ctx.columnSql, ctx.tableSql)
                         << sequenceUsageGrants(ctx, sequence)
                         << QStringLiteral("ALTER TABLE %1 ALTER COLUMN %2 SET DEFAULT nextval(%3::regclass);")
                                .arg(ctx.tableSql, ctx.columnSql, sqlLiteral(sequence));
    applyRules(&s, ctx, {DdlOperation::DropDefault, DdlOperation::AddIdentity});
    s.estimatedSeconds = briefSeconds(ctx);
    *steps << s;
}

void indexSteps(const PlanContext& ctx, QVector<Step>* steps)
{
    if (ctx.table.relkind == 'p')   // unique on a partitioned table is refused by the resolver
        return partitionedIndexSteps(ctx, steps);
    const bool unique = ctx.change.change.unique;
    const QString name = unique ? ctx.names.uniqueKey : ctx.names.index;
    Step s = newStep(unique ? QStringLiteral("unique_index") : QStringLiteral("index"), Phase::Constrain,
                     QStringLiteral("Build %1index %2 concurrently").arg(unique ? QStringLiteral("unique ") : QString(), ctx.q(name)),
                     QStringLiteral("Builds the index in two passes while reads and writes continue; it cannot run in "
                                    "a transaction, and a failed build leaves an INVALID index to drop before retrying."));
    s.statements << untimed()
                 << QStringLiteral("CREATE %1INDEX CONCURRENTLY IF NOT EXISTS %2 ON %3 (%4);")
                        .arg(unique ? QStringLiteral("UNIQUE ") : QString(), ctx.q(name), ctx.tableSql, ctx.columnSql);
    s.rollbackStatements << untimed() << QStringLiteral("DROP INDEX CONCURRENTLY IF EXISTS %1;").arg(ctx.inSchema(name));
    applyRules(&s, ctx, {DdlOperation::CreateIndexConcurrently});
    s.estimatedSeconds = indexBuildSeconds(ctx);
    *steps << s;
    if (!unique)
        return;
    *steps << briefAlter(ctx, QStringLiteral("unique_constraint"),
                         QStringLiteral("Add UNIQUE constraint %1 using the index").arg(ctx.q(name)),
                         QStringLiteral("Turns the finished unique index into a constraint (what ON CONFLICT and foreign "
                                        "keys expect) without another build: an instant of ACCESS EXCLUSIVE."),
                         QStringLiteral("ADD CONSTRAINT %1 UNIQUE USING INDEX %1").arg(ctx.q(name)),
                         dropConstraint(ctx, name), DdlOperation::AddUniqueUsingIndex);
}

void foreignKeySteps(const PlanContext& ctx, QVector<Step>* steps)
{
    const ResolvedChange& c = ctx.change;
    const QString name = ctx.names.foreignKey;
    const QString target = ctx.q(c.refSchema) + QLatin1Char('.') + ctx.q(c.refTable);
    QString fk = QStringLiteral("ADD CONSTRAINT %1 FOREIGN KEY (%2) REFERENCES %3 (%4)")
                     .arg(ctx.q(name), ctx.columnSql, target, ctx.q(c.refColumn));
    if (!c.onDelete.isEmpty())
        fk += QStringLiteral(" ON DELETE ") + c.onDelete;
    fk += QStringLiteral(" NOT VALID");
    *steps << briefAlter(ctx, QStringLiteral("foreign_key"),
                         QStringLiteral("Add FOREIGN KEY %1 → %2 NOT VALID").arg(ctx.columnSql, target),
                         QStringLiteral("New and updated rows are checked against %1 from now on; SHARE ROW EXCLUSIVE "
                                        "on both tables blocks their writes for an instant only.").arg(target),
                         fk, dropConstraint(ctx, name), DdlOperation::AddForeignKeyNotValid);
    *steps << validate(ctx, QStringLiteral("foreign_key_validate"), name,
                       QStringLiteral("Validate FOREIGN KEY %1").arg(ctx.q(name)),
                       QStringLiteral("Checks every existing row against %1 while reads and writes continue on both "
                                      "tables (SHARE UPDATE EXCLUSIVE here, ROW SHARE there).").arg(target),
                       DdlOperation::ValidateForeignKey, 2 * scanSeconds(ctx));
}

void checkStep(const PlanContext& ctx, QVector<Step>* steps)
{
    const QString name = ctx.names.check;
    *steps << briefAlter(ctx, QStringLiteral("check"), QStringLiteral("Add CHECK (%1) NOT VALID").arg(*ctx.change.check),
                         QStringLiteral("New and updated rows must satisfy the check from now on; existing rows are "
                                        "checked by its validation step, so this needs ACCESS EXCLUSIVE only for an instant."),
                         QStringLiteral("ADD CONSTRAINT %1 CHECK (%2) NOT VALID").arg(ctx.q(name), *ctx.change.check),
                         dropConstraint(ctx, name), DdlOperation::AddCheckNotValid);
}

void checkValidateStep(const PlanContext& ctx, QVector<Step>* steps)
{
    const QString name = ctx.names.check;
    *steps << validate(ctx, QStringLiteral("check_validate"), name, QStringLiteral("Validate CHECK %1").arg(ctx.q(name)),
                       QStringLiteral("Scans the table to prove every existing row satisfies the check while reads and "
                                      "writes continue (SHARE UPDATE EXCLUSIVE)."),
                       DdlOperation::ValidateConstraint, scanSeconds(ctx));
}
} // namespace

QVector<Step> constrainSteps(const PlanContext& ctx)
{
    QVector<Step> steps;
    const NewColumnChange& c = ctx.change.change;
    const bool check = ctx.change.check && !ctx.change.check->trimmed().isEmpty();
    // The NOT VALID checks side by side, and SET NOT NULL beside the drop of its helper: the runner takes
    // each such pair under one lock request (run/lock_groups.h), so traffic queues once, not twice.
    if (c.notNull)
        notNullCheckStep(ctx, &steps);
    if (check)
        checkStep(ctx, &steps);
    if (c.notNull)
        notNullSteps(ctx, &steps);
    if (!ctx.change.identity.isEmpty())
        identityStep(ctx, &steps);
    if (check)
        checkValidateStep(ctx, &steps);
    if (c.unique || c.index)
        indexSteps(ctx, &steps);
    if (!ctx.change.refTable.isEmpty())
        foreignKeySteps(ctx, &steps);
    return steps;
}

} // namespace lockstep::plan_detail
