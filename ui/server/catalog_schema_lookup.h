// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/lint/sql_lint.h"
#include "core/pg/catalog.h"
#include "core/pg/table_snapshot.h"

#include <QHash>
#include <QSet>
#include <QString>

namespace lockstep::ui {

// What the GUI already knows about the database, offered to the linter without touching the network:
// table sizes from the catalog snapshot, column types from the table snapshots loaded so far.
// Names are matched as PostgreSQL resolves them: unquoted parts fold to lower case, "quoted" parts are
// taken literally; an unqualified table is looked up in public first, then in the one schema that has it.
class CatalogSchemaLookup : public lint::SchemaLookup {
public:
    void setCatalog(const pg::CatalogSnapshot& catalog);   // replaces the sizes; keeps the columns

    // The catalog's part, built on any thread (10,000 tables take tens of milliseconds), then installed.
    struct CatalogIndex {
        QHash<QString, qint64> bytes;
        QHash<QString, QStringList> schemasOfName;
    };
    static CatalogIndex indexCatalog(const QVector<pg::TableStats>& tables);
    void setCatalogIndex(CatalogIndex index);              // replaces the sizes; keeps the columns
    void addTable(const TableSnapshot& table);              // columns (and a fresher size)
    void clear();

    QString columnType(const QString& table, const QString& column) const override;
    qint64 tableBytes(const QString& table) const override;
    bool columnIsNotNull(const QString& table, const QString& column) const override;

    // "orders" -> {"", "orders"}, public."Order Items" -> {"public", "Order Items"}; empty name on bad input.
    struct QualifiedName {
        QString schema, name;
    };
    static QualifiedName parseName(const QString& written);

private:
    // "schema\x1fname" of the table the written name resolves to, or empty.
    QString resolve(const QString& written) const;
    static QString key(const QString& schema, const QString& name);

    QHash<QString, qint64> m_bytes;                    // key -> total bytes
    QHash<QString, QHash<QString, QString>> m_columns; // key -> column name -> type
    QHash<QString, QSet<QString>> m_notNull;           // key -> the columns that are NOT NULL
    QHash<QString, QStringList> m_schemasOfName;       // table name -> schemas that have it
};

} // namespace lockstep::ui
