// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/change/result_type_probe.h"

#include <libpq-fe.h>

namespace lockstep {

ResultType probeResultType(pg::Connection& conn, const QString& sql)
{
    // pg::Result does not expose column descriptions, so this one statement talks to libpq directly.
    const QByteArray query = sql.toUtf8();
    PGresult* res = PQexecParams(conn.raw(), query.constData(), 0, nullptr, nullptr, nullptr, nullptr, 0);
    if (!res || PQresultStatus(res) != PGRES_TUPLES_OK) {
        pg::PgError e;
        auto field = [res](int code) { return res ? QString::fromUtf8(PQresultErrorField(res, code)) : QString(); };
        e.sqlstate = field(PG_DIAG_SQLSTATE);
        e.message = field(PG_DIAG_MESSAGE_PRIMARY);
        e.detail = field(PG_DIAG_MESSAGE_DETAIL);
        e.hint = field(PG_DIAG_MESSAGE_HINT);
        if (e.message.isEmpty())
            e.message = QString::fromUtf8(PQerrorMessage(conn.raw())).trimmed();
        if (e.sqlstate.isEmpty() && !conn.isOk())
            e.sqlstate = QStringLiteral("08006");
        if (res)
            PQclear(res);
        throw pg::PgException(e);
    }
    ResultType t;
    if (PQnfields(res) > 0) {
        t.oid = PQftype(res, 0);
        t.typmod = PQfmod(res, 0);
    }
    PQclear(res);
    return t;
}

} // namespace lockstep
