// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/run/statement_splitter.h"

#include <pg_query.h>

namespace lockstep::run {

QStringList splitStatements(const QString& sql)
{
    const QByteArray utf8 = sql.toUtf8();
    PgQuerySplitResult r = pg_query_split_with_parser(utf8.constData());
    if (r.error) {
        const std::string message = std::string("cannot split the SQL into statements: ") + r.error->message;
        pg_query_free_split_result(r);
        throw SplitError(message);
    }
    QStringList out;
    for (int i = 0; i < r.n_stmts; ++i) {
        // Locations are byte offsets into the UTF-8 text.
        const QByteArray part = utf8.mid(r.stmts[i]->stmt_location, r.stmts[i]->stmt_len);
        QString s = QString::fromUtf8(part).trimmed();
        while (s.endsWith(QLatin1Char(';')))
            s.chop(1);
        s = s.trimmed();
        if (!s.isEmpty())
            out << s;
    }
    pg_query_free_split_result(r);
    return out;
}

QStringList stepStatements(const QStringList& statements, const QString& sql)
{
    if (!statements.isEmpty())
        return statements;
    return sql.trimmed().isEmpty() ? QStringList{} : splitStatements(sql);
}

} // namespace lockstep::run
