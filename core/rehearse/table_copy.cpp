// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/rehearse/table_copy.h"

namespace lockstep::rehearse {

TableCopy tableCopy(const TableSnapshot& table, const std::function<QString(const QString&)>& quote)
{
    TableCopy out;
    const QString name = quote(table.schema) + QLatin1Char('.') + quote(table.name);
    QStringList columns;
    bool defaults = false;
    for (const ColumnInfo& c : table.columns) {
        columns << QStringLiteral("%1 %2%3").arg(quote(c.name), c.type, c.notNull ? QStringLiteral(" NOT NULL") : QString());
        defaults = defaults || !c.defaultExpr.isEmpty();
    }
    out.create << QStringLiteral("CREATE SCHEMA IF NOT EXISTS %1").arg(quote(table.schema))
               << QStringLiteral("CREATE TABLE %1 (%2)").arg(name, columns.join(QStringLiteral(", ")));
    QStringList constraintIndexes;
    for (const ConstraintInfo& k : table.constraints) {
        if (k.type == 'p' || k.type == 'u' || k.type == 'c') {
            out.after << QStringLiteral("ALTER TABLE %1 ADD CONSTRAINT %2 %3").arg(name, quote(k.name), k.definition);
            if (k.type != 'c')
                constraintIndexes << k.name;
        } else if (k.type == 'f') {
            out.leftOut << QStringLiteral("foreign key %1 (%2): its target is not copied").arg(k.name, k.definition);
        } else {
            out.leftOut << QStringLiteral("constraint %1 (%2)").arg(k.name, k.definition);
        }
    }
    for (const IndexInfo& i : table.indexes) {
        if (constraintIndexes.contains(i.name))
            continue;
        if (!i.valid) {
            out.leftOut << QStringLiteral("index %1: INVALID on the server").arg(i.name);
            continue;
        }
        out.after << i.definition;
    }
    if (!table.triggers.isEmpty())
        out.leftOut << QStringLiteral("%1 trigger(s) of the table: their functions are not copied").arg(table.triggers.size());
    if (defaults)
        out.leftOut << QStringLiteral("column defaults: the copy's rows are made whole, nothing relies on them");
    return out;
}

} // namespace lockstep::rehearse
