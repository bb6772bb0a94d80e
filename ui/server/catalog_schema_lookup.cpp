// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/server/catalog_schema_lookup.h"

namespace lockstep::ui {

namespace {
// Splits an identifier chain on dots outside double quotes and resolves each part as PostgreSQL does.
QStringList identifierParts(const QString& written, bool* ok)
{
    QStringList parts;
    QString current;
    bool quoted = false, wasQuoted = false;
    *ok = true;
    const QString text = written.trimmed();
    for (int i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == QLatin1Char('"')) {
                if (i + 1 < text.size() && text[i + 1] == QLatin1Char('"')) {
                    current += c;
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                current += c;
            }
        } else if (c == QLatin1Char('"')) {
            quoted = wasQuoted = true;
        } else if (c == QLatin1Char('.')) {
            parts << current;
            current.clear();
            wasQuoted = false;
        } else if (!c.isSpace()) {
            current += wasQuoted ? c : c.toLower();
        }
    }
    if (quoted)
        *ok = false;
    parts << current;
    for (const QString& p : parts)
        if (p.isEmpty())
            *ok = false;
    return parts;
}
} // namespace

QString CatalogSchemaLookup::key(const QString& schema, const QString& name)
{
    return schema + QChar(0x1f) + name;
}

CatalogSchemaLookup::QualifiedName CatalogSchemaLookup::parseName(const QString& written)
{
    bool ok = false;
    const QStringList parts = identifierParts(written, &ok);
    if (!ok || parts.size() > 3)   // database.schema.table is legal SQL; more is not
        return {};
    if (parts.size() == 1)
        return {QString(), parts[0]};
    return {parts[parts.size() - 2], parts.last()};
}

void CatalogSchemaLookup::clear()
{
    m_bytes.clear();
    m_columns.clear();
    m_notNull.clear();
    m_schemasOfName.clear();
}

void CatalogSchemaLookup::setCatalog(const pg::CatalogSnapshot& catalog)
{
    setCatalogIndex(indexCatalog(catalog.tables));
}

CatalogSchemaLookup::CatalogIndex CatalogSchemaLookup::indexCatalog(const QVector<pg::TableStats>& tables)
{
    CatalogIndex index;
    index.bytes.reserve(tables.size());
    index.schemasOfName.reserve(tables.size());
    for (const pg::TableStats& t : tables) {
        index.bytes.insert(key(t.schema, t.name), t.totalBytes);
        index.schemasOfName[t.name] << t.schema;
    }
    return index;
}

void CatalogSchemaLookup::setCatalogIndex(CatalogIndex index)
{
    m_bytes = std::move(index.bytes);
    m_schemasOfName = std::move(index.schemasOfName);
    for (auto it = m_columns.cbegin(); it != m_columns.cend(); ++it) {
        const int sep = it.key().indexOf(QChar(0x1f));
        const QString schema = it.key().left(sep), name = it.key().mid(sep + 1);
        if (!m_schemasOfName.value(name).contains(schema))
            m_schemasOfName[name] << schema;
    }
}

void CatalogSchemaLookup::addTable(const TableSnapshot& table)
{
    const QString k = key(table.schema, table.name);
    QHash<QString, QString> columns;
    QSet<QString> notNull;
    for (const ColumnInfo& c : table.columns) {
        columns.insert(c.name, c.type);
        if (c.notNull)
            notNull.insert(c.name);
    }
    m_columns.insert(k, columns);
    m_notNull.insert(k, notNull);
    if (table.totalBytes > 0 || !m_bytes.contains(k))
        m_bytes.insert(k, table.totalBytes);
    if (!m_schemasOfName.value(table.name).contains(table.schema))
        m_schemasOfName[table.name] << table.schema;
}

QString CatalogSchemaLookup::resolve(const QString& written) const
{
    const QualifiedName q = parseName(written);
    if (q.name.isEmpty())
        return QString();
    if (!q.schema.isEmpty())
        return key(q.schema, q.name);
    const QStringList schemas = m_schemasOfName.value(q.name);
    if (schemas.contains(QStringLiteral("public")))
        return key(QStringLiteral("public"), q.name);
    return schemas.size() == 1 ? key(schemas.first(), q.name) : QString();   // ambiguous: say nothing
}

QString CatalogSchemaLookup::columnType(const QString& table, const QString& column) const
{
    const auto it = m_columns.constFind(resolve(table));
    if (it == m_columns.cend())
        return QString();
    const QualifiedName c = parseName(column);
    return it->value(c.name.isEmpty() ? column : c.name);
}

bool CatalogSchemaLookup::columnIsNotNull(const QString& table, const QString& column) const
{
    const QualifiedName c = parseName(column);
    return m_notNull.value(resolve(table)).contains(c.name.isEmpty() ? column : c.name);
}

qint64 CatalogSchemaLookup::tableBytes(const QString& table) const
{
    return m_bytes.value(resolve(table), -1);
}

} // namespace lockstep::ui
