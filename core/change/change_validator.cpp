// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/change/change_validator.h"

#include "core/change/change_error.h"
#include "core/change/type_resolver.h"

#include <QStringList>


namespace lockstep {

namespace {

void requireIdentifier(const QString& field, const QString& literal)
{
    const QString problem = identifierProblem(literal);
    if (!problem.isEmpty())
        throw ChangeError(field, problem);
}

// Every table has these hidden columns; PostgreSQL refuses a user column with the same name.
void requireNotSystemColumn(const QString& field, const QString& literal)
{
    static const QStringList system{QStringLiteral("ctid"), QStringLiteral("xmin"), QStringLiteral("xmax"),
                                    QStringLiteral("cmin"), QStringLiteral("cmax"), QStringLiteral("tableoid")};
    if (system.contains(literal))
        throw ChangeError(field, QStringLiteral("\"%1\" is the name of a system column").arg(literal));
}

QualifiedName requireTableName(const QString& field, const QString& text)
{
    QString why;
    const auto name = parseQualifiedName(text, &why);
    if (!name)
        throw ChangeError(field, QStringLiteral("\"%1\": %2").arg(text, why));
    return *name;
}

std::optional<ParsedExpression> optionalExpression(const QString& field, const std::optional<QString>& text, ExpressionUse use)
{
    if (!text)
        return std::nullopt;
    QString why;
    auto parsed = parseExpression(*text, use, &why);
    if (!parsed)
        throw ChangeError(field, why);
    return parsed;
}

QString normalizedOnDelete(const QString& text)
{
    static const QStringList actions{QStringLiteral("NO ACTION"), QStringLiteral("RESTRICT"), QStringLiteral("CASCADE"),
                                     QStringLiteral("SET NULL"), QStringLiteral("SET DEFAULT")};
    const QString action = text.simplified().toUpper();
    if (!actions.contains(action))
        throw ChangeError(QStringLiteral("on_delete"), QStringLiteral("\"%1\" is not one of %2").arg(text, actions.join(QStringLiteral(", "))));
    return action;
}

} // namespace

namespace {
// Each part of the form checked on its own: with `problems`, every part's problem is collected (the form
// shows them all at once); without, the first one is thrown.
ValidatedChange checkParts(const NewColumnChange& change, QVector<ChangeError>* problems)
{
    ValidatedChange v;
    auto part = [problems](const auto& check) {
        try {
            check();
            return true;
        } catch (const ChangeError& e) {
            if (!problems)
                throw;
            problems->append(e);
            return false;
        }
    };
    part([&] { v.table = requireTableName(QStringLiteral("table"), change.table); });

    if (change.kind == NewColumnChange::Kind::Add) {
        part([&] {
            requireIdentifier(QStringLiteral("add_column"), change.column);
            requireNotSystemColumn(QStringLiteral("add_column"), change.column);
        });
    } else {
        part([&] { requireIdentifier(QStringLiteral("replace_column"), change.oldColumn); });
        part([&] {
            requireIdentifier(QStringLiteral("new_name"), change.column);
            requireNotSystemColumn(QStringLiteral("new_name"), change.column);
            if (change.column == change.oldColumn)
                throw ChangeError(QStringLiteral("new_name"),
                                  QStringLiteral("\"%1\" is the column being replaced; the new column needs another name").arg(change.column));
        });
    }

    part([&] {
        QString identity;   // "bigint GENERATED ... AS IDENTITY": the type name is the integer type
        const QString integerType = serialBaseType(change.type, &identity);
        const QString typeProblem = typeNameProblem(identity.isEmpty() ? change.type : integerType);
        if (!typeProblem.isEmpty())
            throw ChangeError(QStringLiteral("type"), typeProblem);
    });

    part([&] { v.defaultExpr = optionalExpression(QStringLiteral("default"), change.defaultExpr, ExpressionUse::Default); });
    part([&] { v.backfill = optionalExpression(QStringLiteral("backfill"), change.backfill, ExpressionUse::Backfill); });
    part([&] { v.check = optionalExpression(QStringLiteral("check"), change.check, ExpressionUse::Check); });

    bool referencesOk = true;
    if (change.referencesTable || change.referencesColumn) {
        referencesOk = part([&] {
            if (!change.referencesTable || !change.referencesColumn)
                throw ChangeError(QStringLiteral("references"), QStringLiteral("expected TABLE(COLUMN), e.g. customers(id)"));
            v.refTable = requireTableName(QStringLiteral("references"), *change.referencesTable);
            const QString problem = identifierProblem(*change.referencesColumn);
            if (!problem.isEmpty())
                throw ChangeError(QStringLiteral("references"), QStringLiteral("the referenced column: %1").arg(problem));
        });
    }

    if (change.onDelete && referencesOk) {   // a broken reference says it once, not again as its action
        part([&] {
            if (!v.refTable)
                throw ChangeError(QStringLiteral("on_delete"), QStringLiteral("only with --references (it is the foreign key's action)"));
            v.onDelete = normalizedOnDelete(*change.onDelete);
            if (v.onDelete == QLatin1String("SET NULL") && change.notNull)
                throw ChangeError(QStringLiteral("on_delete"),
                                  QStringLiteral("SET NULL contradicts --not-null: deleting a referenced row would have to "
                                                 "store NULL in a NOT NULL column"));
        });
    }
    return v;
}
} // namespace

ValidatedChange validateChangeParts(const NewColumnChange& change)
{
    return checkParts(change, nullptr);
}

QVector<ChangeError> changeProblems(const NewColumnChange& change)
{
    QVector<ChangeError> problems;
    checkParts(change, &problems);
    return problems;
}

void validateChange(const NewColumnChange& change)
{
    validateChangeParts(change);
}

} // namespace lockstep
