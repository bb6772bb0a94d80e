// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/pg/pg_error.h"

#include <QString>
#include <QStringList>
#include <QVariant>
#include <memory>
#include <mutex>

typedef struct pg_conn PGconn;
typedef struct pg_result PGresult;
typedef struct pg_cancel PGcancel;

namespace lockstep::pg {

// One query's result; owns the PGresult. Values come back as text (libpq text format).
class Result {
public:
    explicit Result(PGresult* res = nullptr) : m_res(res) {}
    ~Result();
    Result(Result&& other) noexcept;
    Result& operator=(Result&& other) noexcept;
    Result(const Result&) = delete;
    Result& operator=(const Result&) = delete;

    int rows() const;
    int columns() const;
    int column(const char* name) const;              // -1 if absent
    QString value(int row, int col) const;
    QString value(int row, const char* name) const;
    bool isNull(int row, int col) const;
    bool isNull(int row, const char* name) const;
    qint64 affectedRows() const;                     // PQcmdTuples, 0 if none

private:
    PGresult* m_res = nullptr;
};

// RAII over one PGconn. Not thread-safe except requestCancel(), which any thread may call.
class Connection {
public:
    // Connects (blocking). Throws PgException with sqlstate 08001 and libpq's message on failure.
    // `conninfo` is a libpq keyword/value string or a URI; PG* variables, ~/.pgpass and services apply.
    static std::unique_ptr<Connection> open(const QString& conninfo);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // One statement with bound parameters ($1, $2, ...). A null QVariant binds SQL NULL; anything else
    // binds its toString(). Throws PgException with the server's SQLSTATE, message, detail and hint.
    Result exec(const QString& sql, const QVariantList& params = {});
    // Several statements in one simple-protocol round trip. Only for SQL we generated ourselves.
    Result execScript(const QString& sql);

    // libpq's escaping (PQescapeIdentifier / PQescapeLiteral), using the connection's encoding.
    QString quoteIdent(const QString& name) const;
    QString quoteLiteral(const QString& value) const;

    int serverVersionNum() const;        // e.g. 150004
    QString serverVersion() const;       // e.g. "15.4"
    int backendPid() const;
    bool isOk() const;                   // false once the connection broke
    bool inTransaction() const;

    // Asks the server to cancel the running statement. Safe from any thread.
    void requestCancel();
    // Server NOTICE/WARNING messages received since the last call.
    QStringList takeNotices();

    PGconn* raw() const { return m_conn; }

private:
    explicit Connection(PGconn* conn);
    static void noticeReceiver(void* self, const PGresult* res);
    Result check(PGresult* res);

    PGconn* m_conn = nullptr;
    PGcancel* m_cancel = nullptr;
    std::mutex m_cancelMutex;
    QStringList m_notices;
};

// The text of resources/sql/NAME.sql (compiled in as a Qt resource) without its leading comment lines.
// Throws std::runtime_error if absent.
QString sqlResource(const QString& name);

} // namespace lockstep::pg
