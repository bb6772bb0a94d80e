// SPDX-License-Identifier: GPL-3.0-or-later
// The hazard rules. Each says what goes wrong on a live database in a DBA's words and how to do the same
// safely; locks, rewrites and scans come from the planner's lock table (the ResolvedAction's rule).
#include "core/lint/hazard_rules.h"

#include "core/plan/lock_risk.h"

namespace lockstep::lint {

namespace {
using Op = DdlOperation;

QString blocksPhrase(const std::optional<LockMode>& lock)
{
    const QStringList blocks = lock ? lockBlocks(*lock) : QStringList{};
    return blocks.isEmpty() ? QStringLiteral("nothing") : blocks.join(QStringLiteral(" and "));
}

QString lockName(const LockRule& rule)
{
    return rule.lock ? lockModeName(*rule.lock) : QStringLiteral("no");
}

QString withUncertainty(const QString& message, const ResolvedAction& r)
{
    return r.uncertainty.isEmpty() ? message : message + QStringLiteral(" (%1)").arg(r.uncertainty);
}

QString columns(const Action& a)
{
    return a.keyColumns.join(QStringLiteral(", "));
}

struct Facts {
    const ResolvedAction& r;
    const Action& a;
    const LockRule& rule;
    QString table;     // label with size
    QString bare;      // as written
};

std::optional<Hazard> addColumnHazard(const Facts& f, const LintOptions& options)
{
    const QString whole = QStringLiteral("it rewrites %1, blocking reads and writes to it for the whole rewrite").arg(f.table);
    switch (f.a.op) {
    case Op::AddColumnVolatileDefault:
        return Hazard{rule::kAddColumnVolatileDefault,
                      withUncertainty(QStringLiteral("ADD COLUMN %1 with the volatile default %2() computes a value for every row: %3")
                                          .arg(f.a.column, f.a.volatileFunction, whole), f.r),
                      QStringLiteral("Add the column without a default, then ALTER COLUMN %1 SET DEFAULT %2() for new rows, then fill "
                                     "the existing rows in batches (lockstep plan --add-column %1 --backfill ...)")
                          .arg(f.a.column, f.a.volatileFunction)};
    case Op::AddColumnConstantDefault:
        if (!f.rule.rewrites)
            return std::nullopt;
        return Hazard{rule::kAddColumnDefaultBefore11,
                      QStringLiteral("Before PostgreSQL 11 (this is %1), ADD COLUMN %2 with a DEFAULT writes it into every row: %3")
                          .arg(options.serverVersionNum / 10000).arg(f.a.column, whole),
                      QStringLiteral("Add the column without a default, then ALTER COLUMN %1 SET DEFAULT (new rows only), then "
                                     "fill the existing rows in batches").arg(f.a.column)};
    case Op::AddColumnStoredGenerated:
        return Hazard{rule::kAddColumnStoredGenerated,
                      QStringLiteral("ADD COLUMN %1 GENERATED ALWAYS AS (...) STORED computes and stores a value for every row: %2")
                          .arg(f.a.column, whole),
                      QStringLiteral("Add a plain nullable column kept up to date by a trigger and fill the existing rows in "
                                     "batches, or compute the value in a view or the query")};
    case Op::AddColumnSerialOrIdentity:
        return Hazard{rule::kAddColumnSerialOrIdentity,
                      QStringLiteral("ADD COLUMN %1 %2 gives every existing row a number from its sequence: %3")
                          .arg(f.a.column, f.a.type ? f.a.type->display() : QStringLiteral("(identity)"), whole),
                      QStringLiteral("Add a nullable bigint column, create a sequence and SET DEFAULT nextval('...') for new "
                                     "rows, fill the existing rows in batches, then make it NOT NULL through a validated "
                                     "CHECK (%1 IS NOT NULL)").arg(f.a.column)};
    case Op::AddColumnNotNull:
        return Hazard{rule::kAddColumnNotNullWithoutDefault,
                      QStringLiteral("ADD COLUMN %1 NOT NULL without a default fails as soon as %2 has a row (every existing "
                                     "row would hold NULL)").arg(f.a.column, f.table),
                      QStringLiteral("Add the column nullable (or with a constant DEFAULT, instant on PostgreSQL 11+), fill it "
                                     "in batches, then ADD CHECK (%1 IS NOT NULL) NOT VALID, VALIDATE it and SET NOT NULL")
                          .arg(f.a.column)};
    default:
        return std::nullopt;
    }
}

std::optional<Hazard> columnHazard(const Facts& f, const LintOptions& options)
{
    switch (f.a.op) {
    case Op::SetNotNull:
        return Hazard{rule::kSetNotNullWithoutCheck,
                      QStringLiteral("SET NOT NULL on %1 scans all of %2 to prove it holds no NULL, blocking reads and writes "
                                     "to it for the whole scan").arg(f.a.column, f.table),
                      QStringLiteral("First ADD CONSTRAINT %1_not_null CHECK (%1 IS NOT NULL) NOT VALID, then VALIDATE "
                                     "CONSTRAINT %1_not_null in its own transaction (reads and writes continue), then SET NOT "
                                     "NULL: PostgreSQL 12+ uses the validated check and skips the scan; drop the check after")
                          .arg(f.a.column)};
    case Op::SetNotNullWithValidatedCheck:
        if (!f.rule.scans)
            return std::nullopt;
        return Hazard{rule::kSetNotNullWithoutCheck,
                      QStringLiteral("Before PostgreSQL 12 (this is %1), SET NOT NULL on %2 scans all of %3 even with a "
                                     "validated CHECK (%2 IS NOT NULL), blocking reads and writes to it for the whole scan")
                          .arg(options.serverVersionNum / 10000).arg(f.a.column, f.table),
                      QStringLiteral("Keep the validated CHECK (%1 IS NOT NULL) instead, which guarantees the same, and SET NOT "
                                     "NULL after upgrading to PostgreSQL 12 or later").arg(f.a.column)};
    case Op::AlterColumnTypeRewrite: {
        const QString type = f.a.type ? f.a.type->display() : QStringLiteral("...");
        QString message = QStringLiteral("ALTER COLUMN %1 TYPE %2 rewrites %3 and rebuilds its indexes, blocking reads and "
                                         "writes to it for the whole rewrite").arg(f.a.column, type, f.table);
        if (f.a.usingExpression)
            message += QStringLiteral(" (USING computes every value anew)");
        else if (f.r.currentType)
            message += QStringLiteral(" (from %1)").arg(f.r.currentType->display());
        return Hazard{rule::kAlterColumnTypeRewrites, withUncertainty(message, f.r),
                      QStringLiteral("Add a new column of type %2, keep it in sync with a trigger, fill it in batches, switch "
                                     "the application to it, then drop the old column (lockstep plan --replace-column %1 "
                                     "--type %2)").arg(f.a.column, type)};
    }
    case Op::DropColumn:
        return Hazard{rule::kDropColumn,
                      QStringLiteral("DROP COLUMN %1 breaks application code still running that reads or writes %1: its "
                                     "queries fail from the moment this commits, and the column's data is gone").arg(f.a.column),
                      QStringLiteral("Expand/contract: first deploy the application without any use of %1, then drop the "
                                     "column in a later migration").arg(f.a.column)};
    case Op::RenameColumn:
        return Hazard{rule::kRenameColumn,
                      QStringLiteral("RENAME COLUMN %1 TO %2 breaks application code still running: every query naming %1 "
                                     "fails from the moment this commits").arg(f.a.column, f.a.newName),
                      QStringLiteral("Expand/contract: add %2, keep both columns in sync with a trigger and fill it, move the "
                                     "application to %2, then drop %1 (lockstep plan --replace-column %1 --new-name %2)")
                          .arg(f.a.column, f.a.newName)};
    case Op::RenameTable:
        return Hazard{rule::kRenameTable,
                      QStringLiteral("RENAME TO %1 breaks application code still running: every query naming %2 fails from "
                                     "the moment this commits").arg(f.a.newName, f.bare),
                      QStringLiteral("In the same transaction CREATE VIEW %1 AS SELECT * FROM %2, so old queries keep working "
                                     "(a simple view is updatable); drop the view once the application uses %2")
                          .arg(f.bare, f.a.newName)};
    default:
        return std::nullopt;
    }
}

std::optional<Hazard> constraintHazard(const Facts& f, const HazardContext& c)
{
    const QString name = f.a.constraint.isEmpty() ? QString() : f.a.constraint + QLatin1Char(' ');
    switch (f.a.op) {
    case Op::AddCheck:
        return Hazard{rule::kAddCheckWithoutNotValid,
                      QStringLiteral("ADD CONSTRAINT %1CHECK checks every row of %2 while holding %3, blocking %4 to it for "
                                     "the whole scan").arg(name, f.table, lockName(f.rule), blocksPhrase(f.rule.lock)),
                      f.a.inColumnDefinition
                          ? QStringLiteral("Add the column first, then ADD CONSTRAINT ... CHECK (...) NOT VALID, then VALIDATE "
                                           "CONSTRAINT in a separate transaction (reads and writes continue)")
                          : QStringLiteral("Add it NOT VALID (brief: only new rows are checked), then VALIDATE CONSTRAINT %1in "
                                           "a separate transaction (SHARE UPDATE EXCLUSIVE: reads and writes continue)").arg(name)};
    case Op::AddForeignKey: {
        const QString referenced = tableLabel(f.a.referencedTable, c.options);
        return Hazard{rule::kAddForeignKeyWithoutNotValid,
                      QStringLiteral("FOREIGN KEY %1(%2) checks every row of %3 against %4 while holding %5 on both, "
                                     "blocking writes to both for the whole check")
                          .arg(name, columns(f.a), f.table, referenced, lockName(f.rule)),
                      f.a.inColumnDefinition
                          ? QStringLiteral("Add the column first, then ADD CONSTRAINT ... FOREIGN KEY (...) REFERENCES ... NOT "
                                           "VALID, then VALIDATE CONSTRAINT in a separate transaction (writes continue)")
                          : QStringLiteral("Add it NOT VALID (brief), then VALIDATE CONSTRAINT %1in a separate transaction "
                                           "(SHARE UPDATE EXCLUSIVE here, ROW SHARE on %2: writes continue)")
                                .arg(name, f.a.referencedTable)};
    }
    case Op::ValidateConstraint:
    case Op::ValidateForeignKey: {
        const auto held = c.session.addedNotValidInThisTransaction(f.bare, f.a.constraint);
        if (!held)
            return std::nullopt;
        return Hazard{rule::kValidateInSameTransaction,
                      QStringLiteral("VALIDATE CONSTRAINT %1runs in the transaction that added it NOT VALID: the %2 lock of "
                                     "the ADD is still held, so %3 to %4 wait for the whole validation scan")
                          .arg(name, lockModeName(*held), blocksPhrase(held), f.table),
                      QStringLiteral("COMMIT after ADD CONSTRAINT ... NOT VALID and run VALIDATE CONSTRAINT %1in its own "
                                     "transaction").arg(name)};
    }
    case Op::AddUniqueConstraint:
    case Op::AddPrimaryKey: {
        const bool primary = f.a.op == Op::AddPrimaryKey;
        // PostgreSQL's own default names: orders_pkey, orders_code_key.
        const QString bareTable = f.bare.section(QLatin1Char('.'), -1).remove(QLatin1Char('"'));
        const QString index = !f.a.constraint.isEmpty() ? f.a.constraint
                              : primary ? bareTable + QStringLiteral("_pkey")
                                        : QStringLiteral("%1_%2_key").arg(bareTable, f.a.keyColumns.join(QLatin1Char('_')));
        const QString kind = primary ? QStringLiteral("PRIMARY KEY") : QStringLiteral("UNIQUE");
        return Hazard{primary ? rule::kAddPrimaryKeyWithoutIndex : rule::kAddUniqueWithoutIndex,
                      QStringLiteral("ADD %1 (%2) builds its index%3 while holding %4 on %5, blocking reads and writes to it "
                                     "for the whole build")
                          .arg(kind, columns(f.a), primary ? QStringLiteral(" (and proves the columns NOT NULL)") : QString(),
                               lockName(f.rule), f.table),
                      QStringLiteral("%1CREATE UNIQUE INDEX CONCURRENTLY %2 ON %3 (%4), then ALTER TABLE %3 ADD CONSTRAINT %2 "
                                     "%5 USING INDEX %2 (brief)")
                          .arg(primary ? QStringLiteral("Make the columns NOT NULL first (CHECK ... NOT VALID, VALIDATE, SET "
                                                        "NOT NULL); ")
                                       : QString(),
                               index, f.bare, columns(f.a), kind)};
    }
    default:
        return std::nullopt;
    }
}

std::optional<Hazard> indexHazard(const Facts& f)
{
    if (f.a.op == Op::CreateIndex)
        return Hazard{rule::kCreateIndexNotConcurrently,
                      QStringLiteral("%1 blocks writes to %2 for the whole build (%3 lock)")
                          .arg(f.a.uniqueIndex ? QStringLiteral("CREATE UNIQUE INDEX") : QStringLiteral("CREATE INDEX"), f.table,
                               lockName(f.rule)),
                      QStringLiteral("Use CREATE %1INDEX CONCURRENTLY outside a transaction block: reads and writes continue "
                                     "(if it fails, DROP INDEX CONCURRENTLY the INVALID leftover and retry)")
                          .arg(f.a.uniqueIndex ? QStringLiteral("UNIQUE ") : QString())};
    if (f.a.op == Op::DropIndex)
        return Hazard{rule::kDropIndexNotConcurrently,
                      QStringLiteral("DROP INDEX %1 takes %2 on its table, blocking reads and writes to it (also while it "
                                     "waits behind open transactions)").arg(f.a.index, lockName(f.rule)),
                      QStringLiteral("Use DROP INDEX CONCURRENTLY %1 outside a transaction block").arg(f.a.index)};
    return std::nullopt;
}
} // namespace

QString tableLabel(const QString& table, const LintOptions& options)
{
    if (table.isEmpty())
        return QStringLiteral("its table");
    const qint64 bytes = options.schema ? options.schema->tableBytes(table) : -1;
    return bytes >= 0 ? QStringLiteral("%1 (%2)").arg(table, humanBytes(bytes)) : table;
}

QVector<Hazard> actionHazards(const ResolvedAction& action, const HazardContext& context)
{
    const Facts f{action, action.action, *action.rule, tableLabel(context.statement.table, context.options),
                  context.statement.table};
    QVector<Hazard> out;
    if (!f.rule.allowedInTransaction && context.session.inTransactionBlock())
        out << Hazard{rule::kConcurrentlyInTransaction,
                      QStringLiteral("%1 cannot run inside a transaction block: the statement fails").arg(context.statement.verb),
                      QStringLiteral("Run it on its own, outside BEGIN ... COMMIT (in a migration tool, mark this migration "
                                     "as not transactional)")};
    // DDL on a table this text created harms nobody: no one else uses it yet.
    if (context.session.isNewTable(context.statement.table))
        return out;
    for (const auto& h : {addColumnHazard(f, context.options), columnHazard(f, context.options), constraintHazard(f, context),
                          indexHazard(f)}) {
        if (h)
            out << *h;
    }
    return out;
}

bool isCombinableAlter(const ClassifiedStatement& statement, const QVector<ResolvedAction>& actions)
{
    if (statement.verb != QLatin1String("ALTER TABLE") || actions.isEmpty())
        return false;
    // Only actions that are brief under ACCESS EXCLUSIVE and do not depend on an earlier statement
    // having committed (SET NOT NULL needs its validated check, which a DROP CONSTRAINT in the same
    // statement would remove first; RENAME cannot share a statement).
    static const QVector<Op> briefOps{Op::AddColumn, Op::AddColumnConstantDefault, Op::DropColumn, Op::SetDefault,
                                      Op::DropDefault, Op::DropNotNull, Op::AddCheckNotValid,
                                      Op::AlterColumnTypeBinaryCoercible};
    for (const ResolvedAction& r : actions) {
        if (!briefOps.contains(r.action.op) || r.rule->rewrites || r.rule->scans
            || r.rule->lock != std::optional<LockMode>(LockMode::AccessExclusive))
            return false;
    }
    return true;
}

QVector<Hazard> statementHazards(const StatementReport& report, const QVector<ResolvedAction>& actions,
                                 const HazardContext& context, const PreviousStatement& previous)
{
    QVector<Hazard> out;
    const ClassifiedStatement& s = context.statement;
    if (context.session.isNewTable(s.table))
        return out;
    const QString table = tableLabel(s.table, context.options);
    // In a block that already holds ACCESS EXCLUSIVE on the table, this statement waits for no lock:
    // neither a lock_timeout nor merging into the earlier ALTER would change anything for traffic.
    const bool alreadyHeld = context.session.heldLock(s.table) == std::optional<LockMode>(LockMode::AccessExclusive);
    if (alreadyHeld)
        return out;
    if (report.lock == LockMode::AccessExclusive && !context.session.lockTimeoutOn())
        out << Hazard{rule::kMissingLockTimeout,
                      QStringLiteral("No lock_timeout is set: while %1 waits for its ACCESS EXCLUSIVE lock on %2 (behind any "
                                     "open transaction), every later read and write of it queues behind this statement")
                          .arg(s.verb, table),
                      QStringLiteral("SET lock_timeout = '1s' before it and retry when it times out, with backoff (lockstep "
                                     "run does both)")};
    if (previous.combinable && previous.table == s.table && isCombinableAlter(s, actions))
        out << Hazard{rule::kCombineAlterTable,
                      QStringLiteral("Statement %1 altered %2 just before: each ALTER TABLE waits for ACCESS EXCLUSIVE on its "
                                     "own, so traffic queues behind two locks instead of one").arg(previous.number).arg(table),
                      QStringLiteral("Combine them into one ALTER TABLE %1 with the actions separated by commas").arg(s.table)};
    return out;
}

} // namespace lockstep::lint
