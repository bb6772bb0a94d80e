// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>
#include <QVector>

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

// Every effect of `statement` (an ALTER TABLE may have several). Unparseable text yields {Other}.
QVector<StatementFact> statementFacts(const QString& statement);

} // namespace lockstep::run
