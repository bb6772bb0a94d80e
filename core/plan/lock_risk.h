// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/pg/catalog.h"

#include <QString>
#include <QStringList>

namespace lockstep {

// How risky it is to take locks on a table now (ALTER TABLE, VALIDATE, CREATE INDEX CONCURRENTLY, a
// backfill): a score 0..100 and every contributing factor in words with its figure, most weighty first,
// e.g. {"a transaction open 14 min holds a lock on it (pid 812)", "1.2 GB", "450 writes/s"}.
// The reasons are the explanation: a UI never shows the score without them.
struct LockRisk {
    int score = 0;
    QStringList reasons;
};

// The rules are documented in lock_risk.cpp. Pure: no server access.
LockRisk scoreLockRisk(const pg::TableStats& table, const pg::ServerInfo& server);

// "512 bytes", "12 kB", "800 MB", "1.2 GB" (powers of 1024, as pg_size_pretty).
QString humanBytes(qint64 bytes);
// "45 s", "3.2 s", "14 min", "2.5 h", "3 d".
QString humanDuration(double seconds);
// "450", "2.5", "0.3" (one decimal under 10).
QString humanRate(double perSecond);
// "10,000": thousands grouped whatever the locale (the C locale prints 10000), as the window shows numbers.
QString groupedCount(qint64 n);

} // namespace lockstep
