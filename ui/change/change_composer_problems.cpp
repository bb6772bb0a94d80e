// SPDX-License-Identifier: GPL-3.0-or-later
// The composer's checks before the server: every problem Lockstep's own checks find (changeProblems) and
// what the catalog already read says (the name taken, a column an expression reads that the table does not
// have), each said once and labelled with where it came from; and the rest of the change, with those
// fields set aside, for the server to check at the same time.
#include "ui/change/change_composer.h"

#include "core/change/change_validator.h"
#include "core/change/expression_checker.h"
#include "core/change/expression_parser.h"

namespace lockstep::ui {

QVector<ChangeComposer::LocalProblem> ChangeComposer::localProblems(const NewColumnChange& change) const
{
    QVector<LocalProblem> problems;
    QSet<QString> fields;
    for (const ChangeError& e : changeProblems(change)) {
        problems.append({e.field, e.reason, false});
        fields.insert(e.field);
    }
    if (!m_structure || m_structure->oid != m_table.oid)
        return problems;   // the columns are not read yet: the server checks them
    QStringList columns;
    for (const ColumnInfo& c : m_structure->columns)
        columns << c.name;
    const QString where = m_table.qualifiedName();
    const bool replace = change.kind == NewColumnChange::Kind::Replace;
    const QString nameField = replace ? QStringLiteral("new_name") : QStringLiteral("add_column");
    auto add = [&](const QString& field, const QString& reason) {
        if (fields.contains(field))
            return;
        problems.append({field, reason, true});
        fields.insert(field);
    };
    if (!change.column.isEmpty() && columns.contains(change.column))
        add(nameField, tr("%1 already has a column \"%2\"").arg(where, change.column));
    if (replace && !change.oldColumn.isEmpty() && !columns.contains(change.oldColumn))
        add(QStringLiteral("replace_column"), tr("%1 has no column \"%2\"").arg(where, change.oldColumn));
    // The columns an expression reads: the backfill the table's own, a check the new column too.
    const QList<std::tuple<QString, std::optional<QString>, ExpressionUse>> expressions{
        {QStringLiteral("backfill"), change.backfill, ExpressionUse::Backfill},
        {QStringLiteral("check"), change.check, ExpressionUse::Check}};
    for (const auto& [field, text, use] : expressions) {
        if (!text || fields.contains(field))
            continue;
        QString why;
        const std::optional<ParsedExpression> parsed = parseExpression(*text, use, &why);
        if (!parsed)
            continue;
        const QString extra = field == QLatin1String("check") ? change.column : QString();
        if (const QString missing = missingColumnProblem(*m_structure, parsed->columns, extra); !missing.isEmpty())
            add(field, missing);
    }
    return problems;
}

std::optional<NewColumnChange> ChangeComposer::restOfChange(NewColumnChange change, const QVector<LocalProblem>& problems) const
{
    for (const LocalProblem& p : problems) {
        if (p.field == QLatin1String("type") || p.field == QLatin1String("replace_column") || p.field == QLatin1String("table"))
            return std::nullopt;   // nothing else can be checked without them
        if (p.field == QLatin1String("add_column") || p.field == QLatin1String("new_name")) {
            // A free name in its place, so the server checks the type and the rest.
            QStringList taken;
            if (m_structure)
                for (const ColumnInfo& c : m_structure->columns)
                    taken << c.name;
            QString free = QStringLiteral("lockstep_check");
            for (int i = 2; taken.contains(free); ++i)
                free = QStringLiteral("lockstep_check_%1").arg(i);
            change.column = free;
        } else if (p.field == QLatin1String("default")) {
            change.defaultExpr.reset();
        } else if (p.field == QLatin1String("backfill")) {
            change.backfill.reset();
        } else if (p.field == QLatin1String("check")) {
            change.check.reset();
        } else if (p.field == QLatin1String("references")) {
            change.referencesTable.reset();
            change.referencesColumn.reset();
            change.onDelete.reset();
        } else if (p.field == QLatin1String("on_delete")) {
            change.onDelete.reset();
        } else {
            return std::nullopt;
        }
    }
    // Without the expressions set aside, NOT NULL would be refused for want of a value: not the user's fault.
    if (change.notNull && !change.backfill && !change.defaultExpr)
        change.notNull = false;
    return change;
}

} // namespace lockstep::ui
