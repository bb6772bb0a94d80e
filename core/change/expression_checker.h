// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/change/expression_parser.h"
#include "core/change/type_resolver.h"
#include "core/pg/connection.h"
#include "core/pg/table_snapshot.h"

namespace lockstep {

// Checks parsed expressions against the server without running them: the functions they call (pg_proc:
// volatility, aggregates, set-returning), the columns they read (the snapshot), and finally
// `EXPLAIN (COSTS OFF)` of a statement using the expression, which type-checks it but executes nothing.
// Every refusal is a ChangeError on the expression's field with the server's message.
// The first of `columns` that `table` lacks ("column \"totl\" does not exist in public.orders; did you mean
// total?"), empty when all are there; system columns and `extra` (the new column, which a check may read)
// count as there. The resolver's check and the window's, before asking the server, say it the same way.
QString missingColumnProblem(const TableSnapshot& table, const QStringList& columns, const QString& extra = {});

class ExpressionChecker {
public:
    ExpressionChecker(pg::Connection& conn, const TableSnapshot& table, const ResolvedType& type);

    // Returns whether the default is volatile (a function it may call is volatile).
    bool checkDefault(const ParsedExpression& e);
    // Returns the table columns the expression reads (inside subqueries too), in table order, and sets
    // *isVolatile when a function it may call is volatile.
    QStringList checkBackfill(const ParsedExpression& e, bool* isVolatile);
    // `newColumn` may be read (it will exist); `droppedColumn` (Replace) may not: it goes at contract.
    void checkCheck(const ParsedExpression& e, const QString& newColumn, const QString& droppedColumn);
    // Replace without --backfill: the old column must convert to the new type with `old::type`
    // (refused on the "type" field otherwise). Returns that expression.
    QString checkConversion(const QString& oldColumn);

private:
    struct FunctionFacts {
        bool found = false, isVolatile = false, isAggregate = false, returnsSet = false;
    };
    // Looks up every function the expression calls; refuses aggregates, window and set-returning
    // functions outside subqueries. Returns whether any may be volatile.
    bool checkFunctions(const QString& field, const ParsedExpression& e);
    void requireColumns(const QString& field, const QStringList& columns, const QString& extra, const QString& forbidden);
    void explain(const QString& field, const QString& statement);
    void requireAssignable(const QString& field, const ParsedExpression& e);
    QString quotedTable() const;

    pg::Connection& m_conn;
    const TableSnapshot& m_table;
    ResolvedType m_type;
};

} // namespace lockstep
