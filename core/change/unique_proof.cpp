// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/change/unique_proof.h"

namespace lockstep {

UniqueProof proveUnique(pg::Connection& conn, const TableSnapshot& table, const ResolvedChange& change, qint64 wholeTableRows,
                        qint64 sampleRows, int budgetMs)
{
    UniqueProof out;
    if (!change.change.unique || !change.backfillExpr || change.backfillVolatile)
        return out;
    const QString tableSql = conn.quoteIdent(table.schema) + QLatin1Char('.') + conn.quoteIdent(table.name);
    const double rows = qMax(1.0, table.rowEstimate);
    out.wholeTable = rows <= wholeTableRows;
    const QString sample = out.wholeTable ? QString()
                                          : QStringLiteral(" TABLESAMPLE SYSTEM (%1)").arg(qMin(100.0, 100.0 * sampleRows / rows), 0, 'f', 4);
    const QString sql = QStringLiteral("SELECT v::text AS value, count(*) AS times FROM (SELECT (%1)::%2 AS v FROM %3 AS %4%5) AS s "
                                       "WHERE v IS NOT NULL GROUP BY v HAVING count(*) > 1 ORDER BY count(*) DESC LIMIT 1")
                            .arg(*change.backfillExpr, change.type, tableSql, conn.quoteIdent(table.name), sample);
    const QString before = conn.exec(QStringLiteral("SELECT current_setting('statement_timeout')")).value(0, 0);
    conn.exec(QStringLiteral("SAVEPOINT lockstep_unique_proof"));
    try {
        conn.exec(QStringLiteral("SET LOCAL statement_timeout = %1").arg(qMax(100, budgetMs)));
        const auto r = conn.exec(sql);
        conn.exec(QStringLiteral("RELEASE SAVEPOINT lockstep_unique_proof"));
        conn.exec(QStringLiteral("SELECT set_config('statement_timeout', $1, true)"), {before});
        out.checked = true;
        if (r.rows() > 0) {
            out.repeated = r.value(0, "value");
            out.times = r.value(0, "times").toLongLong();
        }
    } catch (const pg::PgException& e) {
        if (e.error().isConnectionError() || !conn.isOk())
            throw;
        // Too slow for the budget, or a value the proof of the expression already reports: not checked.
        conn.exec(QStringLiteral("ROLLBACK TO SAVEPOINT lockstep_unique_proof"));   // the timeout goes with it
        out.note = e.error().sqlstate == QLatin1String("57014") ? QStringLiteral("not checked for repeats: over the %1 ms budget").arg(budgetMs)
                                                                 : QStringLiteral("not checked for repeats: %1").arg(e.error().message.trimmed());
    }
    return out;
}

} // namespace lockstep
