// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QJsonObject>
#include <QString>
#include <QVector>
#include <optional>

namespace lockstep::run {

// What one statement of a plan does to the catalog, read from its parse tree (libpg_query), so the runner
// can ask the catalog whether that effect is already there without trusting names rebuilt elsewhere.
struct StatementFact {
    enum class Kind {
        AddColumn,           // name = column, detail = its type as written
        DropColumn,          // name = column
        CreateTrigger,       // name = trigger
        DropTrigger,         // name = trigger
        AddConstraint,       // name = constraint
        ValidateConstraint,  // name = constraint
        DropConstraint,      // name = constraint
        SetNotNull,          // name = column
        AddIdentity,         // name = column (ALTER COLUMN ... ADD GENERATED ... AS IDENTITY)
        CreateIndex,         // name = index, detail = its table's schema as written; concurrent says CONCURRENTLY
        DropIndex,           // name = index (last part of its qualified name)
        SetLockTimeout,      // detail = the value as written ("0" for zero)
        Other
    };
    Kind kind = Kind::Other;
    QString name;
    QString detail;
    bool concurrent = false;
};

// One statement as libpg_query parses it: its node type ("AlterTableStmt", "CreateTrigStmt", ...) and node.
struct ParsedStatement {
    QString type;
    QJsonObject node;
};
// The statements of `sql`, parsed; nullopt when it does not parse.
std::optional<QVector<ParsedStatement>> parseStatements(const QString& sql);

// Every effect of `statement` (an ALTER TABLE may have several). Unparseable text yields {Other}.
QVector<StatementFact> statementFacts(const QString& statement);

} // namespace lockstep::run
