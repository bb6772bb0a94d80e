// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>
#include <QStringList>
#include <QVector>
#include <optional>

namespace lockstep {

// Where an expression is going to be used; each place allows different things (as PostgreSQL does).
enum class ExpressionUse {
    Default,    // no column references, no subqueries
    Backfill,   // the row's columns; scalar subqueries that only read are allowed
    Check,      // the row's columns (the new one included), no subqueries
};

struct FunctionName {
    QString schema;          // literal, empty if unqualified
    QString name;            // literal
    bool inSubquery = false;
};

// What one expression reads, from libpg_query's parse tree. Names are literal (unquoted folded to lower
// case, quoted kept as written).
struct ParsedExpression {
    QString text;                     // the expression, surrounding whitespace removed
    QStringList columns;              // columns read outside subqueries (each once, in order of appearance)
    QStringList subqueryColumns;      // last name of every column reference inside subqueries
    QVector<FunctionName> functions;  // every function call, each once
    bool hasSubquery = false;
    bool bareColumn = false;          // the whole expression is one column, perhaps cast (a copy)
};

constexpr int kMaxExpressionLength = 10000;

// Parses `text` as exactly one SQL expression (PostgreSQL 15 grammar) and applies the rules of `use`.
// Refused: empty or too long text, a second statement (`;` outside string literals), `--` comments (they
// would swallow the SQL we write after the expression), $n parameters, queries (FROM, WHERE, ...,
// aliases, several values), anything that changes data or locks rows (INSERT/UPDATE/DELETE/MERGE, FOR
// UPDATE, SELECT INTO) even inside a subquery, aggregates and window functions outside subqueries,
// table-qualified column names outside subqueries, `*`.
// Returns std::nullopt and sets *why (a sentence without the field name).
std::optional<ParsedExpression> parseExpression(const QString& text, ExpressionUse use, QString* why);

// Checks that `text` is exactly one type name as `CAST(x AS <text>)` would take it (e.g. bigint,
// numeric(12,2), varchar(20), text[], "char", timestamptz, sales.mood) and nothing more.
// Whether the type exists is for the server to say. Returns an empty string when fine, else why not.
QString typeNameProblem(const QString& text);

} // namespace lockstep
