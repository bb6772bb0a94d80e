// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/lint/pg_schema_lookup.h"

#include "core/pg/pg_error.h"

namespace lockstep::lint {

PgSchemaLookup::PgSchemaLookup(pg::Connection& conn) : m_conn(conn) {}

void PgSchemaLookup::prefetch(const LintTargets& targets)
{
    for (const QString& t : targets.tables) {
        if (!m_tables.contains(t))
            m_tables.insert(t, readTable(t));
    }
    for (const QString& f : targets.functions) {
        if (!m_functions.contains(f))
            m_functions.insert(f, readFunction(f));
    }
}

PgSchemaLookup::TableFacts PgSchemaLookup::readTable(const QString& name) const
{
    TableFacts facts;
    ++m_queries;
    try {
        const pg::Result r = m_conn.exec(pg::sqlResource(QStringLiteral("lint_table_facts")), {name});
        for (int i = 0; i < r.rows(); ++i) {
            facts.bytes = r.value(i, "total_bytes").toLongLong();
            if (r.isNull(i, "column_name"))
                continue;
            const QString column = r.value(i, "column_name");
            facts.columnTypes.insert(column, r.value(i, "column_type"));
            if (r.value(i, "not_null_checked") == QLatin1String("t"))
                facts.notNullChecked.insert(column);
            if (r.value(i, "not_null") == QLatin1String("t"))
                facts.notNull.insert(column);
        }
    } catch (const pg::PgException& e) {
        // A name the server cannot read (e.g. too many dots) is unknown; a broken connection is not ours to hide.
        if (e.error().isConnectionError() || !m_conn.isOk())
            throw;
    }
    return facts;
}

std::optional<bool> PgSchemaLookup::readFunction(const QString& name) const
{
    const int dot = name.indexOf(QLatin1Char('.'));
    const QVariant schema = dot < 0 ? QVariant() : QVariant(name.left(dot));
    const QString function = dot < 0 ? name : name.mid(dot + 1);
    ++m_queries;
    try {
        const pg::Result r = m_conn.exec(pg::sqlResource(QStringLiteral("lint_function_volatility")), {schema, function});
        if (r.rows() == 0 || r.isNull(0, 0))
            return std::nullopt;
        return r.value(0, 0) == QLatin1String("t");
    } catch (const pg::PgException& e) {
        if (e.error().isConnectionError() || !m_conn.isOk())
            throw;
        return std::nullopt;
    }
}

const PgSchemaLookup::TableFacts& PgSchemaLookup::table(const QString& name) const
{
    auto it = m_tables.constFind(name);
    if (it == m_tables.constEnd()) {
        TableFacts facts;
        try {
            facts = readTable(name);
        } catch (const pg::PgException&) {
            // Called from inside the linter, which has no way to report it: the table stays unknown.
        }
        it = m_tables.insert(name, facts);
    }
    return *it;
}

QString PgSchemaLookup::columnType(const QString& table, const QString& column) const
{
    return this->table(table).columnTypes.value(column);
}

qint64 PgSchemaLookup::tableBytes(const QString& table) const
{
    return this->table(table).bytes;
}

std::optional<bool> PgSchemaLookup::functionIsVolatile(const QString& name) const
{
    auto it = m_functions.constFind(name);
    if (it == m_functions.constEnd()) {
        std::optional<bool> v;
        try {
            v = readFunction(name);
        } catch (const pg::PgException&) {
        }
        it = m_functions.insert(name, v);
    }
    return *it;
}

bool PgSchemaLookup::hasValidatedNotNullCheck(const QString& table, const QString& column) const
{
    return this->table(table).notNullChecked.contains(column);
}

bool PgSchemaLookup::columnIsNotNull(const QString& table, const QString& column) const
{
    return this->table(table).notNull.contains(column);
}

} // namespace lockstep::lint
