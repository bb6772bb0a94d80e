// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/store/journal_error.h"

#include <QString>
#include <string>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace lockstep::store {

// One use of a prepared (cached) statement: bind, step, read columns. Resets the statement and clears
// its bindings when it goes out of scope, so the cache can hand it out again. Errors throw JournalError.
class SqliteStatement {
public:
    SqliteStatement(sqlite3* db, sqlite3_stmt* stmt) : m_db(db), m_stmt(stmt) {}
    ~SqliteStatement();
    SqliteStatement(SqliteStatement&& other) noexcept;
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;
    SqliteStatement& operator=(SqliteStatement&&) = delete;

    // Parameters are 1-based, as in the SQL's ?1, ?2, ...
    SqliteStatement& bind(int index, qint64 value);
    SqliteStatement& bind(int index, const QString& text);      // a null QString binds '' (see bindOptional)
    SqliteStatement& bindOptional(int index, const QString& text); // empty binds NULL
    SqliteStatement& bindNull(int index);

    bool next();           // steps; true while a row is available
    void run();            // steps a statement that returns no row

    qint64 int64(int column) const;
    QString text(int column) const;    // NULL reads as a null QString
    bool isNull(int column) const;

private:
    void check(int rc, const char* what) const;

    sqlite3* m_db;
    sqlite3_stmt* m_stmt;
};

// One SQLite connection with a cache of prepared statements. Not thread-safe: the owner serialises use.
class SqliteDb {
public:
    explicit SqliteDb(const QString& path);   // opens (creating the file); throws JournalError
    ~SqliteDb();
    SqliteDb(const SqliteDb&) = delete;
    SqliteDb& operator=(const SqliteDb&) = delete;

    void exec(const char* sql);               // statements without parameters (pragmas, DDL)
    SqliteStatement prepare(const char* sql); // prepared once per connection, then reused
    qint64 lastInsertId() const;
    int changes() const;                      // rows changed by the last statement
    QString path() const { return m_path; }

private:
    [[noreturn]] void fail(const char* what) const;

    sqlite3* m_db = nullptr;
    QString m_path;
    std::unordered_map<std::string, sqlite3_stmt*> m_cache;
};

// BEGIN IMMEDIATE (takes the write lock up front, waiting up to busy_timeout, so a write never fails
// half-way on a lock upgrade); rolls back unless commit() was called.
class SqliteTransaction {
public:
    explicit SqliteTransaction(SqliteDb& db);
    ~SqliteTransaction();
    SqliteTransaction(const SqliteTransaction&) = delete;
    SqliteTransaction& operator=(const SqliteTransaction&) = delete;
    void commit();

private:
    SqliteDb& m_db;
    bool m_done = false;
};

} // namespace lockstep::store
