// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/sql/sql_editor_completion.h"

#include <QRegularExpression>

#include <algorithm>

namespace lockstep::ui {

namespace {
QString tableKey(const QString& schema, const QString& table)
{
    return schema + QLatin1Char('.') + table;
}

void addMatching(QStringList* out, const QStringList& names, const QString& prefix)
{
    for (const QString& n : names)
        if (n.startsWith(prefix, Qt::CaseInsensitive))
            out->append(SqlCompletionApis::sqlName(n));
}
} // namespace

SqlCompletionApis::SqlCompletionApis(QsciLexer* lexer) : QsciAbstractAPIs(lexer) {}

QString SqlCompletionApis::sqlName(const QString& name)
{
    static const QRegularExpression plain(QStringLiteral("^[a-z_][a-z0-9_$]*$"));
    if (plain.match(name).hasMatch())
        return name;
    QString quoted = name;
    quoted.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

void SqlCompletionApis::setCatalog(const pg::CatalogSnapshot& catalog)
{
    setTables(tablesBySchema(catalog.tables));
}

QMap<QString, QStringList> SqlCompletionApis::tablesBySchema(const QVector<pg::TableStats>& tables)
{
    QMap<QString, QStringList> bySchema;
    for (const pg::TableStats& t : tables)
        bySchema[t.schema] << t.name;
    return bySchema;
}

void SqlCompletionApis::setTables(QMap<QString, QStringList> tables)
{
    m_tables = std::move(tables);
    for (auto it = m_columns.cbegin(); it != m_columns.cend(); ++it) {   // tables known by their structure
        const int dot = it.key().indexOf(QLatin1Char('.'));
        const QString schema = it.key().left(dot), name = it.key().mid(dot + 1);
        if (!m_tables.value(schema).contains(name))
            m_tables[schema] << name;
    }
}

void SqlCompletionApis::addTableColumns(const TableSnapshot& table)
{
    QStringList names;
    for (const ColumnInfo& c : table.columns)
        names << c.name;
    m_columns.insert(tableKey(table.schema, table.name), names);
    if (!m_tables.value(table.schema).contains(table.name))
        m_tables[table.schema] << table.name;
}

QStringList SqlCompletionApis::columnsOf(const QString& schema, const QString& table) const
{
    QStringList out;
    for (auto it = m_columns.cbegin(); it != m_columns.cend(); ++it) {
        const int dot = it.key().indexOf(QLatin1Char('.'));
        const QString s = it.key().left(dot), t = it.key().mid(dot + 1);
        if (t.compare(table, Qt::CaseInsensitive) == 0 && (schema.isEmpty() || s.compare(schema, Qt::CaseInsensitive) == 0))
            out << it.value();
    }
    return out;
}

QStringList SqlCompletionApis::completions(const QStringList& context) const
{
    const QString prefix = context.isEmpty() ? QString() : context.last();
    const QStringList qualifiers = context.mid(0, qMax(0, int(context.size()) - 1));
    QStringList out;
    if (qualifiers.isEmpty()) {
        addMatching(&out, m_tables.keys(), prefix);
        for (auto it = m_tables.cbegin(); it != m_tables.cend(); ++it)
            addMatching(&out, it.value(), prefix);
        for (const QStringList& cols : m_columns)
            addMatching(&out, cols, prefix);
    } else if (qualifiers.size() == 1) {
        const QString q = qualifiers.first();
        for (auto it = m_tables.cbegin(); it != m_tables.cend(); ++it)
            if (it.key().compare(q, Qt::CaseInsensitive) == 0)
                addMatching(&out, it.value(), prefix);       // schema. -> its tables
        addMatching(&out, columnsOf(QString(), q), prefix);  // table. or alias-free table. -> its columns
    } else {
        addMatching(&out, columnsOf(qualifiers[qualifiers.size() - 2], qualifiers.last()), prefix);
    }
    out.removeDuplicates();
    std::sort(out.begin(), out.end(), [](const QString& a, const QString& b) {
        const int c = a.compare(b, Qt::CaseInsensitive);
        return c != 0 ? c < 0 : a < b;
    });
    return out;
}

void SqlCompletionApis::updateAutoCompletionList(const QStringList& context, QStringList& list)
{
    list << completions(context);
}

QStringList SqlCompletionApis::callTips(const QStringList&, int, QsciScintilla::CallTipsStyle, QList<int>&)
{
    return {};
}

} // namespace lockstep::ui
