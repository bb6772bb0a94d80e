// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/sqlite_db.h"

#include <sqlite3.h>

namespace lockstep::store {

SqliteStatement::~SqliteStatement()
{
    if (m_stmt) {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }
}

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept : m_db(other.m_db), m_stmt(other.m_stmt)
{
    other.m_stmt = nullptr;
}

void SqliteStatement::check(int rc, const char* what) const
{
    if (rc != SQLITE_OK)
        throw JournalError(std::string(what) + ": " + sqlite3_errmsg(m_db));
}

SqliteStatement& SqliteStatement::bind(int index, qint64 value)
{
    check(sqlite3_bind_int64(m_stmt, index, value), "binding a parameter");
    return *this;
}

SqliteStatement& SqliteStatement::bind(int index, const QString& text)
{
    const QByteArray utf8 = text.toUtf8();
    check(sqlite3_bind_text(m_stmt, index, utf8.constData(), utf8.size(), SQLITE_TRANSIENT),
          "binding a parameter");
    return *this;
}

SqliteStatement& SqliteStatement::bindOptional(int index, const QString& text)
{
    return text.isEmpty() ? bindNull(index) : bind(index, text);
}

SqliteStatement& SqliteStatement::bindNull(int index)
{
    check(sqlite3_bind_null(m_stmt, index), "binding a parameter");
    return *this;
}

bool SqliteStatement::next()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    // sqlite3_errmsg still describes this failure; reset afterwards (the destructor does).
    throw JournalError(std::string("journal statement failed: ") + sqlite3_errmsg(m_db) + " ["
                       + sqlite3_sql(m_stmt) + "]", rc & 0xff);
}

void SqliteStatement::run()
{
    while (next()) {
    }
}

qint64 SqliteStatement::int64(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

QString SqliteStatement::text(int column) const
{
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
    if (!data)
        return QString();
    return QString::fromUtf8(data, sqlite3_column_bytes(m_stmt, column));
}

bool SqliteStatement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

SqliteDb::SqliteDb(const QString& path) : m_path(path)
{
    const int rc = sqlite3_open_v2(path.toUtf8().constData(), &m_db,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    if (rc != SQLITE_OK) {
        const std::string message = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
        sqlite3_close(m_db);
        m_db = nullptr;
        throw JournalError("cannot open the journal " + path.toStdString() + ": " + message);
    }
    sqlite3_extended_result_codes(m_db, 1);
}

SqliteDb::~SqliteDb()
{
    for (auto& entry : m_cache)
        sqlite3_finalize(entry.second);
    sqlite3_close(m_db);
}

void SqliteDb::fail(const char* what) const
{
    throw JournalError(std::string(what) + " (" + m_path.toStdString() + "): " + sqlite3_errmsg(m_db));
}

void SqliteDb::exec(const char* sql)
{
    char* message = nullptr;
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        const std::string text = message ? message : sqlite3_errmsg(m_db);
        sqlite3_free(message);
        throw JournalError("journal statement failed (" + m_path.toStdString() + "): " + text + " [" + sql + "]");
    }
}

SqliteStatement SqliteDb::prepare(const char* sql)
{
    auto it = m_cache.find(sql);
    if (it == m_cache.end()) {
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v3(m_db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK)
            fail("cannot prepare a journal statement");
        it = m_cache.emplace(sql, stmt).first;
    }
    return SqliteStatement(m_db, it->second);
}

qint64 SqliteDb::lastInsertId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

int SqliteDb::changes() const
{
    return sqlite3_changes(m_db);
}

SqliteTransaction::SqliteTransaction(SqliteDb& db) : m_db(db)
{
    m_db.prepare("BEGIN IMMEDIATE").run();
}

SqliteTransaction::~SqliteTransaction()
{
    if (!m_done) {
        try {
            m_db.prepare("ROLLBACK").run();
        } catch (const JournalError&) {
            // The transaction is gone either way (SQLite rolls back on some errors by itself).
        }
    }
}

void SqliteTransaction::commit()
{
    m_db.prepare("COMMIT").run();
    m_done = true;
}

} // namespace lockstep::store
