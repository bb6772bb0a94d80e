// SPDX-License-Identifier: GPL-3.0-or-later
// One table of lock facts, checked against PostgreSQL 15 (pg_locks and pg_relation_filenode inside
// BEGIN ... ROLLBACK) and the release notes for the version boundaries.
#include "core/plan/lock_table.h"

#include <QtGlobal>
#include <stdexcept>

namespace lockstep {

namespace {
using Op = DdlOperation;
constexpr auto AS = LockMode::AccessShare;
constexpr auto RS = LockMode::RowShare;
constexpr auto RE = LockMode::RowExclusive;
constexpr auto SUE = LockMode::ShareUpdateExclusive;
constexpr auto SH = LockMode::Share;
constexpr auto SRE = LockMode::ShareRowExclusive;
constexpr auto AEL = LockMode::AccessExclusive;
constexpr int kLo = kMinServerVersion;
constexpr int kHi = kMaxServerVersion;
constexpr std::nullopt_t kNone = std::nullopt;

QVector<LockRule> buildRules()
{
    auto s = [](const char* text) { return QString::fromUtf8(text); };
    return {
        {Op::AddColumn, kLo, kHi, AEL, false, false, true, kNone,
         s("ALTER TABLE t ADD COLUMN c integer"), s("catalog change only")},
        {Op::AddColumnConstantDefault, kLo, 109999, AEL, true, false, true, kNone,
         s("ALTER TABLE t ADD COLUMN c integer DEFAULT 0"), s("before 11 every row is rewritten with the default")},
        {Op::AddColumnConstantDefault, 110000, kHi, AEL, false, false, true, kNone,
         s("ALTER TABLE t ADD COLUMN c integer DEFAULT 0"), s("fast default (11+): stored once in the catalog")},
        {Op::AddColumnVolatileDefault, kLo, kHi, AEL, true, false, true, kNone,
         s("ALTER TABLE t ADD COLUMN c uuid DEFAULT gen_random_uuid()"), s("each row gets its own value: rewrite")},
        {Op::AddColumnNotNull, kLo, kHi, AEL, false, true, true, kNone,
         s("ALTER TABLE t ADD COLUMN c integer NOT NULL"), s("fails unless the table is empty")},
        {Op::AddColumnSerialOrIdentity, kLo, kHi, AEL, true, false, true, kNone,
         s("ALTER TABLE t ADD COLUMN c bigint GENERATED ALWAYS AS IDENTITY"), s("every row gets a value: rewrite")},
        {Op::AddColumnStoredGenerated, kLo, kHi, AEL, true, false, true, kNone,
         s("ALTER TABLE t ADD COLUMN c integer GENERATED ALWAYS AS (a * 2) STORED"), s("generated columns exist from 12")},
        {Op::DropColumn, kLo, kHi, AEL, false, false, true, kNone,
         s("ALTER TABLE t DROP COLUMN c"), s("catalog change only; space is reclaimed by later updates")},
        {Op::RenameColumn, kLo, kHi, AEL, false, false, true, kNone,
         s("ALTER TABLE t RENAME COLUMN c TO d"), s("breaks every query using the old name")},
        {Op::RenameTable, kLo, kHi, AEL, false, false, true, kNone,
         s("ALTER TABLE t RENAME TO u"), s("breaks every query using the old name")},
        {Op::AlterColumnTypeRewrite, kLo, kHi, AEL, true, false, true, kNone,
         s("ALTER TABLE t ALTER COLUMN c TYPE bigint"), s("rewrites the table and rebuilds its indexes")},
        {Op::AlterColumnTypeBinaryCoercible, kLo, kHi, AEL, false, false, true, kNone,
         s("ALTER TABLE t ALTER COLUMN c TYPE varchar(200)"), s("no rewrite; indexes on c may still be rebuilt")},
        {Op::SetNotNull, kLo, kHi, AEL, false, true, true, kNone,
         s("ALTER TABLE t ALTER COLUMN c SET NOT NULL"), s("scans the whole table under ACCESS EXCLUSIVE")},
        {Op::SetNotNullWithValidatedCheck, kLo, 119999, AEL, false, true, true, kNone,
         s("ALTER TABLE t ALTER COLUMN c SET NOT NULL"), s("before 12 a validated CHECK (c IS NOT NULL) is not used: full scan")},
        {Op::SetNotNullWithValidatedCheck, 120000, kHi, AEL, false, false, true, kNone,
         s("ALTER TABLE t ALTER COLUMN c SET NOT NULL"), s("12+: the validated CHECK (c IS NOT NULL) proves it, no scan")},
        {Op::DropNotNull, kLo, kHi, AEL, false, false, true, kNone,
         s("ALTER TABLE t ALTER COLUMN c DROP NOT NULL"), QString()},
        {Op::SetDefault, kLo, kHi, AEL, false, false, true, kNone,
         s("ALTER TABLE t ALTER COLUMN c SET DEFAULT 0"), s("applies to new rows only")},
        {Op::DropDefault, kLo, kHi, AEL, false, false, true, kNone,
         s("ALTER TABLE t ALTER COLUMN c DROP DEFAULT"), QString()},
        {Op::AddCheck, kLo, kHi, AEL, false, true, true, kNone,
         s("ALTER TABLE t ADD CONSTRAINT k CHECK (c > 0)"), s("validates every row under ACCESS EXCLUSIVE")},
        {Op::AddCheckNotValid, kLo, kHi, AEL, false, false, true, kNone,
         s("ALTER TABLE t ADD CONSTRAINT k CHECK (c > 0) NOT VALID"), s("new rows are checked; existing rows at VALIDATE")},
        {Op::AddForeignKey, kLo, kHi, SRE, false, true, true, SRE,
         s("ALTER TABLE t ADD CONSTRAINT k FOREIGN KEY (c) REFERENCES r (id)"), s("blocks writes to both tables while it validates")},
        {Op::AddForeignKeyNotValid, kLo, kHi, SRE, false, false, true, SRE,
         s("ALTER TABLE t ADD CONSTRAINT k FOREIGN KEY (c) REFERENCES r (id) NOT VALID"), s("brief; blocks writes to both tables")},
        {Op::ValidateConstraint, kLo, kHi, SUE, false, true, true, kNone,
         s("ALTER TABLE t VALIDATE CONSTRAINT k"), s("reads and writes continue while it scans")},
        {Op::ValidateForeignKey, kLo, kHi, SUE, false, true, true, RS,
         s("ALTER TABLE t VALIDATE CONSTRAINT k"), s("ROW SHARE on the referenced table; writes continue")},
        {Op::AddUniqueConstraint, kLo, kHi, AEL, false, true, true, kNone,
         s("ALTER TABLE t ADD CONSTRAINT k UNIQUE (c)"), s("builds the index under ACCESS EXCLUSIVE")},
        {Op::AddPrimaryKey, kLo, kHi, AEL, false, true, true, kNone,
         s("ALTER TABLE t ADD CONSTRAINT k PRIMARY KEY (c)"), s("builds the index (and checks NOT NULL) under ACCESS EXCLUSIVE")},
        {Op::AddUniqueUsingIndex, kLo, kHi, AEL, false, false, true, kNone,
         s("ALTER TABLE t ADD CONSTRAINT k UNIQUE USING INDEX i"), s("brief: the index already exists")},
        {Op::DropConstraint, kLo, kHi, AEL, false, false, true, kNone,
         s("ALTER TABLE t DROP CONSTRAINT k"), QString()},
        {Op::DropForeignKey, kLo, kHi, AEL, false, false, true, AEL,
         s("ALTER TABLE t DROP CONSTRAINT k"), s("also ACCESS EXCLUSIVE on the referenced table (its triggers go)")},
        {Op::CreateIndex, kLo, kHi, SH, false, true, true, kNone,
         s("CREATE INDEX i ON t (c)"), s("blocks writes for the whole build")},
        {Op::CreateIndexConcurrently, kLo, kHi, SUE, false, true, false, kNone,
         s("CREATE INDEX CONCURRENTLY i ON t (c)"), s("two scans; writes continue; leaves an INVALID index on failure")},
        {Op::DropIndex, kLo, kHi, AEL, false, false, true, kNone,
         s("DROP INDEX i"), QString()},
        {Op::DropIndexConcurrently, kLo, kHi, SUE, false, false, false, kNone,
         s("DROP INDEX CONCURRENTLY i"), QString()},
        {Op::CreateTrigger, kLo, kHi, SRE, false, false, true, kNone,
         s("CREATE TRIGGER g BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()"), s("blocks writes briefly")},
        {Op::DropTrigger, kLo, kHi, AEL, false, false, true, kNone,
         s("DROP TRIGGER g ON t"), QString()},
        {Op::CreateFunction, kLo, kHi, kNone, false, false, true, kNone,
         s("CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$"), s("no table lock")},
        {Op::DropFunction, kLo, kHi, kNone, false, false, true, kNone,
         s("DROP FUNCTION f()"), s("no table lock")},
        {Op::Update, kLo, kHi, RE, false, false, true, kNone,
         s("UPDATE t SET c = 0 WHERE id = 1"), s("plus a row lock on every row it changes, held until commit")},
        {Op::Select, kLo, kHi, AS, false, false, true, kNone,
         s("SELECT c FROM t"), QString()},
    };
}
} // namespace

QString ddlOperationName(DdlOperation op)
{
    switch (op) {
    case Op::AddColumn: return QStringLiteral("AddColumn");
    case Op::AddColumnConstantDefault: return QStringLiteral("AddColumnConstantDefault");
    case Op::AddColumnVolatileDefault: return QStringLiteral("AddColumnVolatileDefault");
    case Op::AddColumnNotNull: return QStringLiteral("AddColumnNotNull");
    case Op::AddColumnSerialOrIdentity: return QStringLiteral("AddColumnSerialOrIdentity");
    case Op::AddColumnStoredGenerated: return QStringLiteral("AddColumnStoredGenerated");
    case Op::DropColumn: return QStringLiteral("DropColumn");
    case Op::RenameColumn: return QStringLiteral("RenameColumn");
    case Op::RenameTable: return QStringLiteral("RenameTable");
    case Op::AlterColumnTypeRewrite: return QStringLiteral("AlterColumnTypeRewrite");
    case Op::AlterColumnTypeBinaryCoercible: return QStringLiteral("AlterColumnTypeBinaryCoercible");
    case Op::SetNotNull: return QStringLiteral("SetNotNull");
    case Op::SetNotNullWithValidatedCheck: return QStringLiteral("SetNotNullWithValidatedCheck");
    case Op::DropNotNull: return QStringLiteral("DropNotNull");
    case Op::SetDefault: return QStringLiteral("SetDefault");
    case Op::DropDefault: return QStringLiteral("DropDefault");
    case Op::AddCheck: return QStringLiteral("AddCheck");
    case Op::AddCheckNotValid: return QStringLiteral("AddCheckNotValid");
    case Op::AddForeignKey: return QStringLiteral("AddForeignKey");
    case Op::AddForeignKeyNotValid: return QStringLiteral("AddForeignKeyNotValid");
    case Op::ValidateConstraint: return QStringLiteral("ValidateConstraint");
    case Op::ValidateForeignKey: return QStringLiteral("ValidateForeignKey");
    case Op::AddUniqueConstraint: return QStringLiteral("AddUniqueConstraint");
    case Op::AddPrimaryKey: return QStringLiteral("AddPrimaryKey");
    case Op::AddUniqueUsingIndex: return QStringLiteral("AddUniqueUsingIndex");
    case Op::DropConstraint: return QStringLiteral("DropConstraint");
    case Op::DropForeignKey: return QStringLiteral("DropForeignKey");
    case Op::CreateIndex: return QStringLiteral("CreateIndex");
    case Op::CreateIndexConcurrently: return QStringLiteral("CreateIndexConcurrently");
    case Op::DropIndex: return QStringLiteral("DropIndex");
    case Op::DropIndexConcurrently: return QStringLiteral("DropIndexConcurrently");
    case Op::CreateTrigger: return QStringLiteral("CreateTrigger");
    case Op::DropTrigger: return QStringLiteral("DropTrigger");
    case Op::CreateFunction: return QStringLiteral("CreateFunction");
    case Op::DropFunction: return QStringLiteral("DropFunction");
    case Op::Update: return QStringLiteral("Update");
    case Op::Select: return QStringLiteral("Select");
    }
    return QString();
}

QVector<DdlOperation> allDdlOperations()
{
    QVector<DdlOperation> out;
    for (int i = 0; i <= static_cast<int>(Op::Select); ++i)
        out << static_cast<DdlOperation>(i);
    return out;
}

const QVector<LockRule>& lockRules()
{
    static const QVector<LockRule> rules = buildRules();
    return rules;
}

const LockRule& lockRuleFor(DdlOperation op, int serverVersionNum)
{
    const int version = qBound(kMinServerVersion, serverVersionNum, kMaxServerVersion);
    for (const LockRule& rule : lockRules()) {
        if (rule.op == op && version >= rule.minVersion && version <= rule.maxVersion)
            return rule;
    }
    // The unit test proves every operation is covered for every version; reaching this is a bug.
    throw std::logic_error("lockRuleFor: no rule for " + ddlOperationName(op).toStdString());
}

} // namespace lockstep
