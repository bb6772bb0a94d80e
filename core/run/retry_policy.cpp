// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/run/retry_policy.h"

#include <QRandomGenerator>
#include <QtGlobal>

namespace lockstep::run {

int backoffDelayMs(int attempt, int baseMs, int capMs)
{
    const int shift = qBound(0, attempt - 1, 20);
    const qint64 full = qMin<qint64>(capMs, qint64(baseMs) << shift);
    const qint64 half = full / 2;
    return int(half + QRandomGenerator::global()->bounded(half + 1));
}

bool isLockContention(const pg::PgException& e)
{
    const QString& s = e.error().sqlstate;
    return s == QLatin1String("55P03") || s == QLatin1String("40P01");
}

bool isValueError(const pg::PgException& e)
{
    const QString& s = e.error().sqlstate;
    return s.startsWith(QLatin1String("22")) || s.startsWith(QLatin1String("P0"));
}

bool isConnectionLost(const pg::PgException& e, const pg::Connection* conn)
{
    const QString& s = e.error().sqlstate;
    return e.error().isConnectionError() || s == QLatin1String("57P02") || s == QLatin1String("57P03")
        || (conn && !conn->isOk());
}

bool isCanceled(const pg::PgException& e) { return e.error().sqlstate == QLatin1String("57014"); }

} // namespace lockstep::run
