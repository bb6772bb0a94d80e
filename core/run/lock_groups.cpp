// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/run/lock_groups.h"

#include "core/run/statement_facts.h"
#include "core/run/statement_splitter.h"

#include <QJsonArray>
#include <QSet>

namespace lockstep::run {

namespace {
// Statements that change only the catalog (and the failed-rows table Lockstep creates empty). Anything
// else -- UPDATE, DO, LOCK, SELECT, VALIDATE, CREATE INDEX -- may take as long as the table is big.
bool isCatalogOnly(const QString& statement)
{
    static const QSet<QString> catalogOnly = {
        QStringLiteral("AlterTableStmt"), QStringLiteral("CreateTrigStmt"), QStringLiteral("CreateFunctionStmt"),
        QStringLiteral("DropStmt"), QStringLiteral("CreateStmt"), QStringLiteral("CommentStmt"),
        QStringLiteral("VariableSetStmt"), QStringLiteral("GrantStmt"), QStringLiteral("AlterOwnerStmt"),
        QStringLiteral("RenameStmt"),
    };
    const auto parsed = parseStatements(statement);
    if (!parsed)
        return false;
    for (const ParsedStatement& p : *parsed) {
        const QString& type = p.type;
        const QJsonObject& stmt = p.node;
        if (type == QLatin1String("CreateTableAsStmt")) {   // the changed-keys table: WITH NO DATA only
            if (!stmt.value(QStringLiteral("into")).toObject().value(QStringLiteral("skipData")).toBool())
                return false;
            continue;
        }
        if (!catalogOnly.contains(type))
            return false;
        if (type == QLatin1String("DropStmt") && stmt.value(QStringLiteral("concurrent")).toBool())
            return false;
        if (type == QLatin1String("AlterTableStmt")) {
            for (const auto& c : stmt.value(QStringLiteral("cmds")).toArray()) {
                if (c.toObject().value(QStringLiteral("AlterTableCmd")).toObject().value(QStringLiteral("subtype")).toString()
                    == QLatin1String("AT_ValidateConstraint"))
                    return false;
            }
        }
    }
    return true;
}
} // namespace

bool isBriefCatalogStep(const Step& step)
{
    if (!step.transactional || step.backfill || step.rewrites || step.scans || !step.lock
        || int(*step.lock) < int(LockMode::ShareRowExclusive) || step.phase == Phase::Switch)
        return false;
    const QStringList statements = stepStatements(step.statements, step.sql);
    if (statements.isEmpty())
        return false;
    for (const QString& s : statements) {
        if (!isCatalogOnly(s))
            return false;
    }
    return true;
}

int lockGroupEnd(const Plan& plan, int first, const QVector<bool>& skip)
{
    const auto skipped = [&](int i) { return i < skip.size() && skip[i]; };
    if (first < 0 || first >= plan.steps.size() || !isBriefCatalogStep(plan.steps[first]))
        return first;
    const Step& head = plan.steps[first];
    int last = first;
    for (int i = first + 1; i < plan.steps.size(); ++i) {
        const Step& s = plan.steps[i];
        if (skipped(i) || s.phase != head.phase || !isBriefCatalogStep(s) || int(*s.lock) > int(*head.lock))
            break;
        last = i;
    }
    return last;
}

} // namespace lockstep::run
