// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/change/new_column_change.h"

#include <QJsonValue>
#include <QRegularExpression>
#include <QSet>
#include <QStringList>

namespace lockstep {

namespace {
const QStringList kStringKeys{QStringLiteral("table"),    QStringLiteral("add_column"), QStringLiteral("replace_column"),
                              QStringLiteral("new_name"), QStringLiteral("type"),       QStringLiteral("default"),
                              QStringLiteral("backfill"), QStringLiteral("references"), QStringLiteral("on_delete"),
                              QStringLiteral("check")};
const QStringList kBoolKeys{QStringLiteral("not_null"), QStringLiteral("unique"), QStringLiteral("index")};

// A referenced column is a literal name; it is written in double quotes when it could not be read back
// otherwise (parentheses, commas, quotes, surrounding spaces).
QString referenceColumnText(const QString& column)
{
    const bool plain = !column.isEmpty() && column.trimmed() == column
        && !column.contains(QRegularExpression(QStringLiteral("[(),\"]")));
    if (plain)
        return column;
    return QLatin1Char('"') + QString(column).replace(QLatin1String("\""), QLatin1String("\"\"")) + QLatin1Char('"');
}
} // namespace

QJsonObject NewColumnChange::toJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("table"), table);
    if (kind == Kind::Add) {
        o.insert(QStringLiteral("add_column"), column);
    } else {
        o.insert(QStringLiteral("replace_column"), oldColumn);
        o.insert(QStringLiteral("new_name"), column);
    }
    o.insert(QStringLiteral("type"), type);
    if (defaultExpr)
        o.insert(QStringLiteral("default"), *defaultExpr);
    o.insert(QStringLiteral("not_null"), notNull);
    if (backfill)
        o.insert(QStringLiteral("backfill"), *backfill);
    o.insert(QStringLiteral("unique"), unique);
    o.insert(QStringLiteral("index"), index);
    if (referencesTable || referencesColumn)
        o.insert(QStringLiteral("references"),
                 referencesTable.value_or(QString()) + QLatin1Char('(') + referenceColumnText(referencesColumn.value_or(QString())) + QLatin1Char(')'));
    if (onDelete)
        o.insert(QStringLiteral("on_delete"), *onDelete);
    if (check)
        o.insert(QStringLiteral("check"), *check);
    return o;
}

std::optional<NewColumnChange> NewColumnChange::fromJson(const QJsonObject& json, QString* error)
{
    auto fail = [error](const QString& key, const QString& why) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(key, why);
        return std::nullopt;
    };
    for (auto it = json.begin(); it != json.end(); ++it) {
        const QString& key = it.key();
        if (kStringKeys.contains(key)) {
            // null stands for "not given"; anything else must be text (SQL is text, even a number default).
            if (!it.value().isString() && !it.value().isNull())
                return fail(key, QStringLiteral("must be a string"));
        } else if (kBoolKeys.contains(key)) {
            if (!it.value().isBool())
                return fail(key, QStringLiteral("must be true or false"));
        } else {
            return fail(key, QStringLiteral("unknown key (known: %1)").arg((kStringKeys + kBoolKeys).join(QStringLiteral(", "))));
        }
    }
    auto text = [&json](const char* key) -> std::optional<QString> {
        const QJsonValue v = json.value(QLatin1String(key));
        return v.isString() ? std::optional<QString>(v.toString()) : std::nullopt;
    };

    NewColumnChange c;
    const auto table = text("table");
    if (!table)
        return fail(QStringLiteral("table"), QStringLiteral("required (the table to change, e.g. \"public.orders\")"));
    c.table = *table;
    const auto add = text("add_column");
    const auto replace = text("replace_column");
    const auto newName = text("new_name");
    if (add && replace)
        return fail(QStringLiteral("add_column"), QStringLiteral("give either add_column or replace_column, not both"));
    if (!add && !replace)
        return fail(QStringLiteral("add_column"), QStringLiteral("required (or replace_column with new_name)"));
    if (add) {
        if (newName)
            return fail(QStringLiteral("new_name"), QStringLiteral("only with replace_column"));
        c.kind = Kind::Add;
        c.column = *add;
    } else {
        if (!newName)
            return fail(QStringLiteral("new_name"), QStringLiteral("required with replace_column (the new column's name)"));
        c.kind = Kind::Replace;
        c.oldColumn = *replace;
        c.column = *newName;
    }
    const auto type = text("type");
    if (!type)
        return fail(QStringLiteral("type"), QStringLiteral("required (the new column's type, e.g. \"bigint\")"));
    c.type = *type;
    c.defaultExpr = text("default");
    c.backfill = text("backfill");
    c.onDelete = text("on_delete");
    c.check = text("check");
    c.notNull = json.value(QLatin1String("not_null")).toBool(false);
    c.unique = json.value(QLatin1String("unique")).toBool(false);
    c.index = json.value(QLatin1String("index")).toBool(false);
    if (const auto ref = text("references")) {
        QString refTable, refColumn;
        if (!parseReference(*ref, &refTable, &refColumn))
            return fail(QStringLiteral("references"), QStringLiteral("expected TABLE(COLUMN), e.g. \"customers(id)\""));
        c.referencesTable = refTable;
        c.referencesColumn = refColumn;
    }
    return c;
}

bool NewColumnChange::parseReference(const QString& text, QString* table, QString* column)
{
    const QString t = text.trimmed();
    if (!t.endsWith(QLatin1Char(')')))
        return false;
    // The column list starts at the first "(" outside a quoted table name.
    int open = -1;
    bool quoted = false;
    for (int i = 0; i < t.size(); ++i) {
        if (t[i] == QLatin1Char('"'))
            quoted = !quoted;
        else if (t[i] == QLatin1Char('(') && !quoted) {
            open = i;
            break;
        }
    }
    if (open < 0)
        return false;
    const QString tablePart = t.left(open).trimmed();
    QString columnPart = t.mid(open + 1, t.size() - open - 2).trimmed();
    if (tablePart.isEmpty() || columnPart.isEmpty())
        return false;
    if (columnPart.size() >= 2 && columnPart.startsWith(QLatin1Char('"')) && columnPart.endsWith(QLatin1Char('"'))) {
        const QString inner = columnPart.mid(1, columnPart.size() - 2);
        // Inside the quotes a quote is always doubled.
        if (QString(inner).remove(QLatin1String("\"\"")).contains(QLatin1Char('"')) || inner.isEmpty())
            return false;
        columnPart = QString(inner).replace(QLatin1String("\"\""), QLatin1String("\""));
    } else if (columnPart.contains(QRegularExpression(QStringLiteral("[(),\"]")))) {
        return false;   // one column only; unusual characters go in double quotes
    }
    *table = tablePart;
    *column = columnPart;
    return true;
}

} // namespace lockstep
