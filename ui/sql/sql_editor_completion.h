// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/pg/catalog.h"
#include "core/pg/table_snapshot.h"

#include <Qsci/qsciabstractapis.h>

#include <QHash>
#include <QMap>
#include <QStringList>

namespace lockstep::ui {

// The names the SQL editor completes: schemas and tables from the catalog snapshot, columns of the tables
// whose structure has been loaded. QScintilla hands us the words before the cursor split at dots
// ("public.ord" -> {"public", "ord"}), so after "schema." we offer that schema's tables and after
// "table." that table's columns. Matching ignores case; names that need quoting are offered quoted.
class SqlCompletionApis : public QsciAbstractAPIs {
public:
    explicit SqlCompletionApis(QsciLexer* lexer);

    void setCatalog(const pg::CatalogSnapshot& catalog);
    // schema -> table names; built on any thread, installed with setTables (keeps the columns' tables).
    static QMap<QString, QStringList> tablesBySchema(const QVector<pg::TableStats>& tables);
    void setTables(QMap<QString, QStringList> tables);
    void addTableColumns(const TableSnapshot& table);

    // The sorted candidates for `context` (the qualifiers, then the partial word, possibly empty).
    QStringList completions(const QStringList& context) const;

    void updateAutoCompletionList(const QStringList& context, QStringList& list) override;
    QStringList callTips(const QStringList& context, int commas, QsciScintilla::CallTipsStyle style,
                         QList<int>& shifts) override;

    // `name` as it must be written in SQL: bare when it is a plain lower-case identifier, else "quoted".
    static QString sqlName(const QString& name);

private:
    QStringList columnsOf(const QString& schema, const QString& table) const;   // schema empty: any schema

    QMap<QString, QStringList> m_tables;                   // schema -> table names
    QHash<QString, QStringList> m_columns;                 // "schema.table" -> column names
};

} // namespace lockstep::ui
