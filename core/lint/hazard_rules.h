// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/lint/action_resolver.h"
#include "core/lint/lint_session.h"
#include "core/lint/sql_lint.h"
#include "core/lint/statement_classifier.h"

#include <QString>
#include <QVector>

namespace lockstep::lint {

// The stable rule names (documented in README's lint section; scripts filter on them).
namespace rule {
inline const QString kAddColumnVolatileDefault = QStringLiteral("add-column-volatile-default");
inline const QString kAddColumnDefaultBefore11 = QStringLiteral("add-column-default-before-11");
inline const QString kAddColumnStoredGenerated = QStringLiteral("add-column-stored-generated");
inline const QString kAddColumnSerialOrIdentity = QStringLiteral("add-column-serial-or-identity");
inline const QString kAddColumnNotNullWithoutDefault = QStringLiteral("add-column-not-null-without-default");
inline const QString kSetNotNullWithoutCheck = QStringLiteral("set-not-null-without-check");
inline const QString kAddCheckWithoutNotValid = QStringLiteral("add-check-without-not-valid");
inline const QString kAddForeignKeyWithoutNotValid = QStringLiteral("add-foreign-key-without-not-valid");
inline const QString kValidateInSameTransaction = QStringLiteral("validate-in-same-transaction");
inline const QString kCreateIndexNotConcurrently = QStringLiteral("create-index-not-concurrently");
inline const QString kDropIndexNotConcurrently = QStringLiteral("drop-index-not-concurrently");
inline const QString kConcurrentlyInTransaction = QStringLiteral("concurrently-in-transaction");
inline const QString kAddUniqueWithoutIndex = QStringLiteral("add-unique-without-index");
inline const QString kAddPrimaryKeyWithoutIndex = QStringLiteral("add-primary-key-without-index");
inline const QString kAlterColumnTypeRewrites = QStringLiteral("alter-column-type-rewrites");
inline const QString kDropColumn = QStringLiteral("drop-column");
inline const QString kRenameColumn = QStringLiteral("rename-column");
inline const QString kRenameTable = QStringLiteral("rename-table");
inline const QString kMissingLockTimeout = QStringLiteral("missing-lock-timeout");
inline const QString kCombineAlterTable = QStringLiteral("combine-alter-table");
} // namespace rule

struct HazardContext {
    const ClassifiedStatement& statement;
    const LintSession& session;   // as it was before the action (or statement)
    const LintOptions& options;
};

// The hazards of one action of a statement.
QVector<Hazard> actionHazards(const ResolvedAction& action, const HazardContext& context);

// The previous statement, for combine-alter-table.
struct PreviousStatement {
    int number = 0;
    QString table;
    bool combinable = false;   // an ALTER TABLE made only of brief ACCESS EXCLUSIVE actions
};
bool isCombinableAlter(const ClassifiedStatement& statement, const QVector<ResolvedAction>& actions);

// The hazards of a whole statement: missing-lock-timeout and combine-alter-table.
QVector<Hazard> statementHazards(const StatementReport& report, const QVector<ResolvedAction>& actions,
                                 const HazardContext& context, const PreviousStatement& previous);

// "public.orders (1.2 GB)" when the SchemaLookup knows its size, else the name as written.
QString tableLabel(const QString& table, const LintOptions& options);

} // namespace lockstep::lint
