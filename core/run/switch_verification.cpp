// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/run/switch_verification.h"

#include <QSet>

namespace lockstep::run {

SwitchVerification verifySwitch(pg::Connection& conn, const Plan& plan)
{
    SwitchVerification v;
    QStringList lines;
    QSet<QString> recordsRead;   // a partitioned table's walks share one record of failed rows: count it once
    for (const Step& s : plan.steps) {
        if (!s.backfill)
            continue;
        v.hasBackfill = true;
        // Failed rows, read once per record: where there are some, the expression raises on them and the
        // count below would too.
        bool failing = v.rowsFailed > 0;   // a record already read (a partition's walk shares the parent's)
        if (!recordsRead.contains(s.backfill->failedRowsSql)) {
            recordsRead.insert(s.backfill->failedRowsSql);
            QString sample;
            const qint64 failed = failedRows(conn, *s.backfill, &sample);
            v.rowsFailed += failed;
            failing = failed > 0;
            if (failing)
                lines << QStringLiteral("%1 row(s) where %2 could not be computed, e.g. %3").arg(failed).arg(s.backfill->targetColumn, sample);
        }
        if (failing)
            continue;
        const qint64 n = conn.exec(s.backfill->remainingSql).value(0, 0).toLongLong();
        v.rowsDiffering += n;
        lines << QStringLiteral("%1 row(s) where %2").arg(n).arg(s.backfill->filter);
    }
    v.detail = lines.join(QLatin1Char('\n'));
    return v;
}

qint64 failedRows(pg::Connection& conn, const BackfillSpec& spec, QString* sample)
{
    if (spec.failedRowsSql.isEmpty())
        return 0;
    pg::Result r;
    try {
        r = conn.exec(spec.failedRowsSql);
    } catch (const pg::PgException& e) {
        if (e.error().sqlstate == QLatin1String("42P01"))   // the record is gone with the triggers (contracted)
            return 0;
        throw;
    }
    const qint64 n = r.value(0, 0).toLongLong();
    if (sample && n > 0)
        *sample = QStringLiteral("key %1: %2").arg(r.value(0, 1), r.value(0, 2));
    return n;
}

bool cancelBackend(pg::Connection& conn, int pid)
{
    return conn.exec(QStringLiteral("SELECT pg_cancel_backend($1)"), {pid}).value(0, 0) == QLatin1String("t");
}

} // namespace lockstep::run
