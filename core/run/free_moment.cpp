// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/run/free_moment.h"

#include "core/lint/sql_lint.h"
#include "core/lint/statement_classifier.h"
#include "core/run/statement_facts.h"

#include <QJsonArray>
#include <QRandomGenerator>

namespace lockstep::run {

namespace {
// The table as the linter names it (relationName of its RangeVar), so both sides compare alike.
QString lintName(const QString& tableSql)
{
    const auto parsed = parseStatements(QStringLiteral("LOCK TABLE %1").arg(tableSql));
    if (!parsed || parsed->size() != 1)
        return {};
    const QJsonArray relations = parsed->first().node.value(QStringLiteral("relations")).toArray();
    if (relations.size() != 1)
        return {};
    return lint::relationName(relations.first().toObject().value(QStringLiteral("RangeVar")).toObject());
}

// A statement that names the table without its schema means the plan's table when the last parts agree.
bool sameTable(const QString& lintTable, const QString& qualified)
{
    return lintTable == qualified || qualified.endsWith(QLatin1Char('.') + lintTable);
}
} // namespace

std::optional<LockMode> strongestLockOn(const QStringList& statements, const QString& tableSql)
{
    const QString wanted = lintName(tableSql);
    if (wanted.isEmpty() || statements.isEmpty())
        return std::nullopt;
    const lint::LintResult report = lint::lintSql(statements.join(QStringLiteral(";\n")));
    if (report.error)
        return std::nullopt;
    std::optional<LockMode> strongest;
    for (const lint::StatementReport& s : report.statements) {
        if (!s.lock || s.table.isEmpty() || !sameTable(s.table, wanted))
            continue;
        if (!strongest || static_cast<int>(*s.lock) > static_cast<int>(*strongest))
            strongest = s.lock;
    }
    return strongest;
}

QString lockNowaitStatement(const QString& tableSql, LockMode mode)
{
    return QStringLiteral("LOCK TABLE %1 IN %2 MODE NOWAIT").arg(tableSql, lockModeName(mode));
}

int freeMomentPauseMs() { return 2 + int(QRandomGenerator::global()->bounded(5)); }

} // namespace lockstep::run
