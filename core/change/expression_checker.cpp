// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/change/expression_checker.h"

#include "core/change/change_error.h"
#include "core/change/nearest_name.h"
#include "core/change/result_type_probe.h"
#include "core/pg/catalog_reader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace lockstep {

namespace {
const QStringList kSystemColumns{QStringLiteral("ctid"), QStringLiteral("xmin"), QStringLiteral("xmax"),
                                 QStringLiteral("cmin"), QStringLiteral("cmax"), QStringLiteral("tableoid")};

QString serverSays(const pg::PgError& e)
{
    QString s = e.message;
    if (!e.hint.isEmpty())
        s += QStringLiteral(" (") + e.hint + QLatin1Char(')');
    return s;
}
} // namespace

ExpressionChecker::ExpressionChecker(pg::Connection& conn, const TableSnapshot& table, const ResolvedType& type)
    : m_conn(conn), m_table(table), m_type(type)
{
}

QString ExpressionChecker::quotedTable() const
{
    return m_conn.quoteIdent(m_table.schema) + QLatin1Char('.') + m_conn.quoteIdent(m_table.name);
}

bool ExpressionChecker::checkFunctions(const QString& field, const ParsedExpression& e)
{
    if (e.functions.isEmpty())
        return false;
    QJsonArray names;
    for (const FunctionName& f : e.functions)
        names.append(QJsonObject{{QStringLiteral("schema"), f.schema}, {QStringLiteral("name"), f.name}});
    const pg::Result r = m_conn.exec(pg::sqlResource(QStringLiteral("resolve_functions")),
                                     {QString::fromUtf8(QJsonDocument(names).toJson(QJsonDocument::Compact))});
    QHash<QString, FunctionFacts> facts;
    for (int i = 0; i < r.rows(); ++i) {
        FunctionFacts f;
        f.found = r.value(i, "candidates").toInt() > 0;
        f.isVolatile = r.value(i, "is_volatile") == QLatin1String("t");
        f.isAggregate = r.value(i, "is_aggregate") == QLatin1String("t");
        f.returnsSet = r.value(i, "returns_set") == QLatin1String("t");
        facts.insert(r.value(i, "schema") + QLatin1Char('.') + r.value(i, "name"), f);
    }
    bool anyVolatile = false;
    for (const FunctionName& name : e.functions) {
        const FunctionFacts f = facts.value(name.schema + QLatin1Char('.') + name.name);
        anyVolatile = anyVolatile || f.isVolatile;
        if (name.inSubquery)
            continue;
        if (f.isAggregate)
            throw ChangeError(field, QStringLiteral("%1() is an aggregate or window function; a value per row is needed%2")
                                         .arg(name.name, field == QLatin1String("backfill")
                                                             ? QStringLiteral(" (an aggregate can go in a subquery: (SELECT ...))")
                                                             : QString()));
        if (f.returnsSet)
            throw ChangeError(field, QStringLiteral("%1() returns a set of rows; a single value is needed").arg(name.name));
    }
    return anyVolatile;
}

void ExpressionChecker::requireColumns(const QString& field, const QStringList& columns, const QString& extra,
                                       const QString& forbidden)
{
    for (const QString& c : columns) {
        if (!forbidden.isEmpty() && c == forbidden)
            throw ChangeError(field, QStringLiteral("reads \"%1\", the column being replaced: it is dropped at the end").arg(c));
        if (const QString missing = missingColumnProblem(m_table, {c}, extra); !missing.isEmpty())
            throw ChangeError(field, missing);
    }
}

QString missingColumnProblem(const TableSnapshot& table, const QStringList& columns, const QString& extra)
{
    for (const QString& c : columns) {
        if (table.column(c) || c == extra || kSystemColumns.contains(c))
            continue;
        QStringList names;
        for (const ColumnInfo& column : table.columns)
            names << column.name;
        if (!extra.isEmpty())
            names << extra;
        return QStringLiteral("column \"%1\" does not exist in %2.%3%4").arg(c, table.schema, table.name, didYouMean(c, names));
    }
    return {};
}

void ExpressionChecker::explain(const QString& field, const QString& statement)
{
    try {
        m_conn.exec(QStringLiteral("EXPLAIN (COSTS OFF) ") + statement);
    } catch (const pg::PgException& e) {
        if (e.error().isConnectionError())
            throw;
        QString why = serverSays(e.error());
        if (e.error().message.startsWith(QLatin1String("argument of WHERE must be type boolean")))
            why = QStringLiteral("must be a condition (true or false), %1").arg(e.error().message.section(QLatin1String(", "), 1));
        throw ChangeError(field, why);
    }
}

// A default is stored by assignment (as in INSERT), which allows fewer casts than `::`: refuse an
// explicit-only cast now rather than have ADD COLUMN fail later.
void ExpressionChecker::requireAssignable(const QString& field, const ParsedExpression& e)
{
    // LIMIT 0: the statement is planned and described, its one row never computed.
    const ResultType natural = probeResultType(m_conn, QStringLiteral("SELECT (%1) LIMIT 0").arg(e.text));
    const pg::Result r = m_conn.exec(pg::sqlResource(QStringLiteral("resolve_assignment_cast")), {natural.oid, m_type.oid});
    if (r.rows() != 1 || r.value(0, "same") == QLatin1String("t") || r.value(0, "source_unknown") == QLatin1String("t"))
        return;
    const QString context = r.value(0, "context");
    const bool explicitOnly = context == QLatin1String("e")
        || (r.isNull(0, "context") && r.value(0, "source_category") == QLatin1String("S")
            && r.value(0, "target_category") != QLatin1String("S"));
    if (explicitOnly)
        throw ChangeError(field, QStringLiteral("is of type %1, which a column of type %2 takes only with an explicit "
                                                "cast; write (...)::%2 if that is meant").arg(r.value(0, "source_type"), m_type.name));
}

bool ExpressionChecker::checkDefault(const ParsedExpression& e)
{
    const QString field = QStringLiteral("default");
    const bool isVolatile = checkFunctions(field, e);
    explain(field, QStringLiteral("SELECT (%1)::%2").arg(e.text, m_type.name));
    try {
        requireAssignable(field, e);
    } catch (const pg::PgException& ex) {
        if (ex.error().isConnectionError())
            throw;
        throw ChangeError(field, serverSays(ex.error()));
    }
    return isVolatile;
}

QStringList ExpressionChecker::checkBackfill(const ParsedExpression& e, bool* isVolatile)
{
    const QString field = QStringLiteral("backfill");
    requireColumns(field, e.columns, QString(), QString());
    *isVolatile = checkFunctions(field, e);
    explain(field, QStringLiteral("SELECT (%1)::%2 FROM %3").arg(e.text, m_type.name, quotedTable()));
    QStringList read;
    for (const ColumnInfo& c : m_table.columns)
        if (e.columns.contains(c.name) || e.subqueryColumns.contains(c.name))
            read << c.name;
    return read;
}

void ExpressionChecker::checkCheck(const ParsedExpression& e, const QString& newColumn, const QString& droppedColumn)
{
    const QString field = QStringLiteral("check");
    requireColumns(field, e.columns, newColumn, droppedColumn);
    checkFunctions(field, e);
    // The new column does not exist yet: a subquery adds it (NULL, of its type) under the table's name.
    explain(field, QStringLiteral("SELECT 1 FROM (SELECT *, NULL::%1 AS %2 FROM %3) AS %4 WHERE (%5)")
                       .arg(m_type.name, m_conn.quoteIdent(newColumn), quotedTable(), m_conn.quoteIdent(m_table.name), e.text));
}

QString ExpressionChecker::checkConversion(const QString& oldColumn)
{
    const QString expr = m_conn.quoteIdent(oldColumn) + QStringLiteral("::") + m_type.name;
    try {
        m_conn.exec(QStringLiteral("EXPLAIN (COSTS OFF) SELECT %1 FROM %2").arg(expr, quotedTable()));
    } catch (const pg::PgException& e) {
        if (e.error().isConnectionError())
            throw;
        const ColumnInfo* old = m_table.column(oldColumn);
        throw ChangeError(QStringLiteral("type"),
                          QStringLiteral("column \"%1\" (%2) does not convert to %3: %4; give --backfill with an "
                                         "expression that does").arg(oldColumn, old ? old->type : QString(), m_type.name,
                                                                     serverSays(e.error())));
    }
    return expr;
}

} // namespace lockstep
