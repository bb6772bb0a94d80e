// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/lint/sql_lint.h"
#include "core/pg/connection.h"

#include <QHash>
#include <QSet>
#include <QString>

namespace lockstep::lint {

// A SchemaLookup that asks the server (`lockstep lint --db`): each table's size, column types and
// validated NOT NULL checks in one query per table, and the volatility of functions named in defaults.
// Names are resolved by the server (to_regclass, search_path), so quoting behaves as in the statements.
class PgSchemaLookup : public SchemaLookup {
public:
    explicit PgSchemaLookup(pg::Connection& conn);

    // Reads the facts of every table and function in `targets`. Throws pg::PgException when the
    // connection breaks; a name the server does not know is simply unknown.
    void prefetch(const LintTargets& targets);
    int queriesRun() const { return m_queries; }

    QString columnType(const QString& table, const QString& column) const override;
    qint64 tableBytes(const QString& table) const override;
    std::optional<bool> functionIsVolatile(const QString& name) const override;
    bool hasValidatedNotNullCheck(const QString& table, const QString& column) const override;
    bool columnIsNotNull(const QString& table, const QString& column) const override;

private:
    struct TableFacts {
        qint64 bytes = -1;
        QHash<QString, QString> columnTypes;
        QSet<QString> notNullChecked;
        QSet<QString> notNull;
    };
    // The table's facts, read on first use (names the text mentions were read by prefetch already).
    const TableFacts& table(const QString& name) const;
    TableFacts readTable(const QString& name) const;
    std::optional<bool> readFunction(const QString& name) const;

    pg::Connection& m_conn;
    mutable QHash<QString, TableFacts> m_tables;
    mutable QHash<QString, std::optional<bool>> m_functions;
    mutable int m_queries = 0;
};

} // namespace lockstep::lint
