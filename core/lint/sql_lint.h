// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/plan/lock_mode.h"

#include <QJsonArray>
#include <QString>
#include <QStringList>
#include <QVector>
#include <optional>

namespace lockstep::lint {

// One thing in a statement that can hurt a live database, and how to do it safely instead.
struct Hazard {
    QString rule;      // stable machine name, e.g. "create-index-not-concurrently"
    QString message;   // what goes wrong, in words a DBA understands
    QString fix;       // what to write instead
};

// What one statement of the linted text does. Locks and effects come from the planner's lock table.
struct StatementReport {
    int statement = 0;             // 1-based
    QString sql;                   // the statement's text without leading comments, trimmed, without its ';'
    int offset = 0;                // character (QString index) offset of `sql` in the linted text (editor markers)
    int length = 0;                // its length in characters (QString units)
    int line = 1;                  // 1-based line of its first character
    QString table;                 // the table it locks, as written (schema-qualified when written so); may be empty
    std::optional<LockMode> lock;  // strongest table lock; none for statements that lock no table
    bool rewrites = false;
    bool scans = false;
    QStringList blocks;            // "reads" and/or "writes" (lockBlocks of `lock`)
    // A lock that blocks more, which the open transaction block already holds on `table` from an earlier
    // statement: traffic stays blocked by it until the block ends, whatever this statement takes.
    std::optional<LockMode> heldLock;
    QVector<Hazard> hazards;
};

// Where the text fails to parse (libpg_query's message and its 0-based character offset).
struct ParseError {
    QString message;
    int offset = -1;
    int line = 0;      // 1-based, 0 when unknown
    int column = 0;    // 1-based, 0 when unknown
};

// Facts about the database that sharpen the report (`--db`): column types for ALTER COLUMN TYPE
// (binary-coercible changes skip the rewrite) and table sizes (messages say how big the locked table is).
class SchemaLookup {
public:
    virtual ~SchemaLookup() = default;
    // format_type of the column, e.g. "character varying(20)", or empty when unknown.
    virtual QString columnType(const QString& table, const QString& column) const = 0;
    // Total bytes of the table, or -1 when unknown. `table` as written in the statement.
    virtual qint64 tableBytes(const QString& table) const = 0;
    // Optional facts (defaults: unknown). Whether the function `name` ("fn" or "schema.fn") is VOLATILE:
    // a volatile ADD COLUMN default rewrites the table.
    virtual std::optional<bool> functionIsVolatile(const QString& name) const
    {
        Q_UNUSED(name);
        return std::nullopt;
    }
    // Whether the column is NOT NULL already (SET NOT NULL then does nothing: no scan).
    virtual bool columnIsNotNull(const QString& table, const QString& column) const
    {
        Q_UNUSED(table);
        Q_UNUSED(column);
        return false;
    }
    // Whether a validated CHECK (column IS NOT NULL) already exists (SET NOT NULL then skips its scan on 12+).
    virtual bool hasValidatedNotNullCheck(const QString& table, const QString& column) const
    {
        Q_UNUSED(table);
        Q_UNUSED(column);
        return false;
    }
};

struct LintOptions {
    int serverVersionNum = 150000;        // --pg-version N -> N * 10000
    const SchemaLookup* schema = nullptr; // optional
};

struct LintResult {
    QVector<StatementReport> statements;
    std::optional<ParseError> error;      // set: the text does not parse; statements is empty
    int hazardCount() const;
};

LintResult lintSql(const QString& sql, const LintOptions& options = {});

// Every hazard rule name lintSql can report, in a stable order (documentation, tests, the GUI's legend).
QStringList hazardRuleNames();

// The tables and functions a text names (tables as StatementReport::table writes them, functions called by
// ADD COLUMN defaults), for a SchemaLookup to fetch before linting. Empty when the text does not parse.
struct LintTargets {
    QStringList tables;
    QStringList functions;
};
LintTargets lintTargets(const QString& sql);

// The CLI's JSON: an array with one object per statement:
// {statement, sql, lock, rewrites, scans, blocks, hazards: [{rule, message, fix}]} (lock: "ACCESS EXCLUSIVE" or null)
QJsonArray toJson(const LintResult& result);
QString renderText(const LintResult& result);

} // namespace lockstep::lint
