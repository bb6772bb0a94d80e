// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/pg/connection.h"

#include <QFile>
#include <libpq-fe.h>
#include <vector>

namespace lockstep::pg {

QString PgError::toString() const
{
    QString s = message;
    if (!sqlstate.isEmpty())
        s += QStringLiteral(" (SQLSTATE %1)").arg(sqlstate);
    if (!detail.isEmpty())
        s += QStringLiteral("\nDETAIL: ") + detail;
    if (!hint.isEmpty())
        s += QStringLiteral("\nHINT: ") + hint;
    return s;
}

PgException::PgException(PgError error)
    : std::runtime_error(error.toString().toStdString()), m_error(std::move(error))
{
}

// ---- Result ---------------------------------------------------------------------------------------

Result::~Result()
{
    if (m_res)
        PQclear(m_res);
}

Result::Result(Result&& other) noexcept : m_res(other.m_res) { other.m_res = nullptr; }

Result& Result::operator=(Result&& other) noexcept
{
    if (this != &other) {
        if (m_res)
            PQclear(m_res);
        m_res = other.m_res;
        other.m_res = nullptr;
    }
    return *this;
}

int Result::rows() const { return m_res ? PQntuples(m_res) : 0; }
int Result::columns() const { return m_res ? PQnfields(m_res) : 0; }
int Result::column(const char* name) const { return m_res ? PQfnumber(m_res, name) : -1; }

QString Result::value(int row, int col) const
{
    if (!m_res || row < 0 || row >= rows() || col < 0 || col >= columns())
        return {};
    return QString::fromUtf8(PQgetvalue(m_res, row, col), PQgetlength(m_res, row, col));
}

QString Result::value(int row, const char* name) const { return value(row, column(name)); }

bool Result::isNull(int row, int col) const
{
    if (!m_res || row < 0 || row >= rows() || col < 0 || col >= columns())
        return true;
    return PQgetisnull(m_res, row, col);
}

bool Result::isNull(int row, const char* name) const { return isNull(row, column(name)); }

qint64 Result::affectedRows() const
{
    return m_res ? QByteArray(PQcmdTuples(m_res)).toLongLong() : 0;
}

// ---- Connection -----------------------------------------------------------------------------------

namespace {
PgError errorFromResult(const PGresult* res, PGconn* conn)
{
    PgError e;
    auto field = [res](int code) { return res ? QString::fromUtf8(PQresultErrorField(res, code)) : QString(); };
    e.sqlstate = field(PG_DIAG_SQLSTATE);
    e.message = field(PG_DIAG_MESSAGE_PRIMARY);
    e.detail = field(PG_DIAG_MESSAGE_DETAIL);
    e.hint = field(PG_DIAG_MESSAGE_HINT);
    e.position = field(PG_DIAG_STATEMENT_POSITION).toInt();
    if (e.message.isEmpty())
        e.message = QString::fromUtf8(PQerrorMessage(conn)).trimmed();
    if (e.sqlstate.isEmpty() && PQstatus(conn) != CONNECTION_OK)
        e.sqlstate = QStringLiteral("08006"); // connection_failure
    return e;
}
} // namespace

std::unique_ptr<Connection> Connection::open(const QString& conninfo)
{
    const QByteArray info = conninfo.toUtf8();
    // expand_dbname lets `conninfo` be a URI or key=value string; we only add a fallback application_name.
    const char* keys[] = {"dbname", "fallback_application_name", nullptr};
    const char* values[] = {info.constData(), "lockstep", nullptr};
    PGconn* conn = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
    if (!conn || PQstatus(conn) != CONNECTION_OK) {
        PgError e;
        e.sqlstate = QStringLiteral("08001");
        e.message = conn ? QString::fromUtf8(PQerrorMessage(conn)).trimmed() : QStringLiteral("out of memory");
        if (conn)
            PQfinish(conn);
        throw PgException(e);
    }
    return std::unique_ptr<Connection>(new Connection(conn));
}

Connection::Connection(PGconn* conn) : m_conn(conn)
{
    m_cancel = PQgetCancel(m_conn);
    PQsetNoticeReceiver(m_conn, &Connection::noticeReceiver, this);
    PQsetClientEncoding(m_conn, "UTF8");
}

Connection::~Connection()
{
    {
        std::lock_guard<std::mutex> lock(m_cancelMutex);
        if (m_cancel)
            PQfreeCancel(m_cancel);
        m_cancel = nullptr;
    }
    PQfinish(m_conn);
}

void Connection::noticeReceiver(void* self, const PGresult* res)
{
    auto* c = static_cast<Connection*>(self);
    c->m_notices << QString::fromUtf8(PQresultErrorMessage(res)).trimmed();
}

Result Connection::check(PGresult* res)
{
    const auto status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY)
        return Result(res);
    PgError e = errorFromResult(res, m_conn);
    if (res)
        PQclear(res);
    throw PgException(e);
}

Result Connection::exec(const QString& sql, const QVariantList& params)
{
    std::vector<QByteArray> storage;
    std::vector<const char*> values;
    storage.reserve(params.size());
    values.reserve(params.size());
    for (const QVariant& p : params) {
        if (p.isNull()) {
            storage.emplace_back();
            values.push_back(nullptr);
        } else {
            storage.push_back(p.toString().toUtf8());
            values.push_back(storage.back().constData());
        }
    }
    const QByteArray query = sql.toUtf8();
    return check(PQexecParams(m_conn, query.constData(), int(values.size()), nullptr,
                              values.empty() ? nullptr : values.data(), nullptr, nullptr, 0));
}

Result Connection::execScript(const QString& sql)
{
    const QByteArray query = sql.toUtf8();
    // PQexec returns only the last result; earlier errors still abort and surface here.
    return check(PQexec(m_conn, query.constData()));
}

QString Connection::quoteIdent(const QString& name) const
{
    const QByteArray raw = name.toUtf8();
    char* q = PQescapeIdentifier(m_conn, raw.constData(), size_t(raw.size()));
    if (!q)
        throw PgException(PgError{QStringLiteral("22021"), QString::fromUtf8(PQerrorMessage(m_conn)).trimmed(), {}, {}, 0});
    QString out = QString::fromUtf8(q);
    PQfreemem(q);
    return out;
}

QString Connection::quoteLiteral(const QString& value) const
{
    const QByteArray raw = value.toUtf8();
    char* q = PQescapeLiteral(m_conn, raw.constData(), size_t(raw.size()));
    if (!q)
        throw PgException(PgError{QStringLiteral("22021"), QString::fromUtf8(PQerrorMessage(m_conn)).trimmed(), {}, {}, 0});
    QString out = QString::fromUtf8(q);
    PQfreemem(q);
    return out;
}

int Connection::serverVersionNum() const { return PQserverVersion(m_conn); }

QString Connection::serverVersion() const
{
    return QString::fromUtf8(PQparameterStatus(m_conn, "server_version")).section(QLatin1Char(' '), 0, 0);
}

int Connection::backendPid() const { return PQbackendPID(m_conn); }
bool Connection::isOk() const { return PQstatus(m_conn) == CONNECTION_OK; }
bool Connection::inTransaction() const { return PQtransactionStatus(m_conn) != PQTRANS_IDLE; }

void Connection::requestCancel()
{
    std::lock_guard<std::mutex> lock(m_cancelMutex);
    if (!m_cancel)
        return;
    char err[256];
    PQcancel(m_cancel, err, sizeof err);
}

QStringList Connection::takeNotices()
{
    QStringList out;
    out.swap(m_notices);
    return out;
}

QString sqlResource(const QString& name)
{
    QFile f(QStringLiteral(":/sql/%1.sql").arg(name));
    if (!f.open(QIODevice::ReadOnly))
        throw std::runtime_error("missing SQL resource: " + name.toStdString());
    // The files open with comments saying what the query is for; dropping them makes a server log
    // (log_statement=all) show each query's first keyword, which tests read.
    QStringList lines = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'));
    while (!lines.isEmpty() && (lines.first().trimmed().startsWith(QLatin1String("--")) || lines.first().trimmed().isEmpty()))
        lines.removeFirst();
    return lines.join(QLatin1Char('\n'));
}

} // namespace lockstep::pg
