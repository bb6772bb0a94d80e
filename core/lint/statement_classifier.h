// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/lint/type_change.h"
#include "core/plan/lock_table.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVector>
#include <optional>

namespace lockstep::lint {

// One effect of a statement on its table, read from the parse tree alone. The linter refines `op` with
// what the rest of the text and the SchemaLookup know (ALTER COLUMN TYPE, SET NOT NULL, volatility).
struct Action {
    DdlOperation op = DdlOperation::Select;
    QString column;               // the column added, dropped, altered or renamed
    QString newName;              // RENAME ... TO
    QString constraint;           // ADD / VALIDATE / DROP CONSTRAINT (empty when unnamed)
    QString notNullColumn;        // ADD CHECK (notNullColumn IS NOT NULL)
    QString referencedTable;      // FOREIGN KEY ... REFERENCES, written as StatementReport::table
    QString index;                // CREATE / DROP INDEX name
    QStringList keyColumns;       // UNIQUE, PRIMARY KEY, FOREIGN KEY and index columns
    std::optional<TypeSpec> type; // ADD COLUMN's type; ALTER COLUMN TYPE's new type
    bool usingExpression = false; // ALTER COLUMN TYPE ... USING something other than the column itself
    QString volatileFunction;     // ADD COLUMN: a default calling this VOLATILE function
    QStringList unknownFunctions; // ADD COLUMN: the default calls these; volatility not known here
    bool inColumnDefinition = false; // a constraint written inside ADD COLUMN
    bool uniqueIndex = false;     // CREATE UNIQUE INDEX
};

struct ClassifiedStatement {
    enum class Kind {
        Table,           // acts on `table` (actions may be empty: an ALTER TABLE form the lock table lacks)
        Begin,           // BEGIN / START TRANSACTION
        Commit,          // COMMIT / END / PREPARE TRANSACTION
        Rollback,        // ROLLBACK / ABORT
        CommitAndChain,  // COMMIT AND CHAIN: a new transaction block starts at once
        SetLockTimeout,  // SET [LOCAL] lock_timeout, RESET lock_timeout, RESET ALL
        CreateTable,     // CREATE TABLE (`table`): later DDL on it harms nobody
        CreateFunction,  // CREATE FUNCTION `function` (functionVolatile says if VOLATILE)
        CreateView,      // CREATE [OR REPLACE] VIEW `table`
        Other,
    };
    Kind kind = Kind::Other;
    QString verb;                 // "ALTER TABLE", "CREATE INDEX", ... for messages
    QString table;                // as SQL writes it, quoted where needed: public."Order Items"
    QVector<Action> actions;
    bool local = false;           // SET LOCAL
    bool lockTimeoutOn = false;   // SET lock_timeout to a non-zero value
    QString function;             // CREATE FUNCTION name
    bool functionVolatile = true;
};

ClassifiedStatement classifyStatement(const QString& type, const QJsonObject& node);

// Helpers shared with alter_table_classifier.cpp.
QString quotedIdentifier(const QString& name);                          // quoted only when SQL needs it
QString relationName(const QJsonObject& rangeVar);                      // schema.name from a RangeVar
QString stringValue(const QJsonValue& node);                            // {"String": {"sval": ...}}
QStringList stringValues(const QJsonArray& nodes);
void classifyAlterTable(const QJsonObject& node, ClassifiedStatement* out);

} // namespace lockstep::lint
