// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/plan/lock_mode.h"

#include <QString>
#include <QVector>
#include <optional>

namespace lockstep {

// The DDL/DML statements whose locking the planner (and the SQL linter) must know.
enum class DdlOperation {
    AddColumn,                      // nullable, no default
    AddColumnConstantDefault,       // a non-volatile default
    AddColumnVolatileDefault,       // e.g. DEFAULT gen_random_uuid()
    AddColumnNotNull,               // NOT NULL without a default (fails on a non-empty table)
    AddColumnSerialOrIdentity,
    AddColumnStoredGenerated,
    DropColumn,
    RenameColumn,
    RenameTable,
    AlterColumnTypeRewrite,
    AlterColumnTypeBinaryCoercible, // e.g. varchar(10) -> varchar(20), varchar -> text
    SetNotNull,
    SetNotNullWithValidatedCheck,   // a validated CHECK (col IS NOT NULL) exists
    SetNotNullAlreadyNotNull,       // the column is NOT NULL already (lint --db): nothing to prove, no scan
    DropNotNull,
    SetDefault,
    DropDefault,
    AddIdentity,                    // ALTER COLUMN c ADD GENERATED ... AS IDENTITY on a NOT NULL column
    AddCheck,
    AddCheckNotValid,
    AddForeignKey,
    AddForeignKeyNotValid,
    ValidateConstraint,             // a CHECK constraint
    ValidateForeignKey,
    AddUniqueConstraint,
    AddPrimaryKey,
    AddUniqueUsingIndex,
    DropConstraint,
    DropForeignKey,
    CreateIndex,
    CreateIndexConcurrently,
    DropIndex,
    DropIndexConcurrently,
    CreateTrigger,
    DropTrigger,
    CreateFunction,                 // no table lock
    DropFunction,                   // no table lock
    Update,                         // row locks on the rows it changes
    Select,
};

// What one operation does on one range of server versions (server_version_num, both ends inclusive).
struct LockRule {
    DdlOperation op;
    int minVersion;
    int maxVersion;
    std::optional<LockMode> lock;   // on the altered table; none for CREATE FUNCTION
    bool rewrites;                  // writes a new copy of the table (and its indexes) under the lock
    bool scans;                     // reads the whole table while holding the lock
    bool allowedInTransaction;
    std::optional<LockMode> referencedTableLock;  // foreign keys: the lock on the referenced table
    QString statement;              // a representative SQL template (t: table, c: column, r: referenced)
    QString note;
};

QString ddlOperationName(DdlOperation op);  // "AddColumnConstantDefault"
QVector<DdlOperation> allDdlOperations();

// Every rule; for each operation the rules cover versions 100000-179999 without gaps or overlaps.
const QVector<LockRule>& lockRules();
// The rule for `op` on a server of that version. Versions outside 10-17 use the nearest supported one.
const LockRule& lockRuleFor(DdlOperation op, int serverVersionNum);

constexpr int kMinServerVersion = 100000;
constexpr int kMaxServerVersion = 179999;

} // namespace lockstep
