// SPDX-License-Identifier: GPL-3.0-or-later
// Lock risk of a table: simple, monotone, explainable rules. Each factor adds points and, when it adds
// any, one reason in words with its figure; the sum is clamped to 0..100. Growth is logarithmic where a
// figure spans orders of magnitude, so ten times more always adds the same few points.
//
//   factor                                  points                               why it matters
//   size (total bytes, indexes and TOAST)   12.5 per tenfold above 10 MB,        scans, rewrites and the backfill
//                                           max 40 (1 GB = 25)                   last longer, so locks are held longer
//   writes/s (rows inserted+updated+       10 per tenfold above 1/s,            every write queues behind a
//     deleted)                              max 30 (100/s = 20)                  waiting ACCESS EXCLUSIVE lock
//   a long transaction holds a lock on it   20 at 10 s, +10 per tenfold age,     our ALTER waits for it, and all
//                                           max 40                               traffic queues behind our ALTER
//   long transactions elsewhere             5 at 30 s, +5 per tenfold age,       VALIDATE and CONCURRENTLY wait
//                                           max 15                               for every older snapshot
//   replica replay lag (the furthest)       5 at 1 s, +10 per tenfold, max 25    the backfill's WAL adds to it
//   no primary key                          10                                   the backfill walks ctid pages
#include "core/plan/lock_risk.h"

#include <QtMath>
#include <algorithm>
#include <utility>
#include <vector>

namespace lockstep {

namespace {

constexpr double kMegabyte = 1024.0 * 1024.0;

double clampPoints(double points, double low, double high) { return std::clamp(points, low, high); }

// Points for a figure that counts from `start` on, `perTenfold` points for each tenfold, up to `cap`.
double logPoints(double value, double start, double perTenfold, double cap)
{
    if (value <= start)
        return 0;
    return clampPoints(perTenfold * std::log10(value / start), 0, cap);
}

QString trimmedNumber(double value)
{
    if (value < 9.95) {
        QString s = QString::number(value, 'f', 1);
        if (s.endsWith(QLatin1String(".0")))
            s.chop(2);
        return s;
    }
    return QString::number(qRound64(value));
}

struct Factor {
    double points;
    QString reason;
};

} // namespace

QString humanBytes(qint64 bytes)
{
    static const char* const units[] = {"kB", "MB", "GB", "TB", "PB"};
    if (bytes < 1024)
        return QStringLiteral("%1 bytes").arg(bytes);
    double value = bytes / 1024.0;
    int unit = 0;
    while (value >= 1024.0 && unit < 4) {
        value /= 1024.0;
        ++unit;
    }
    return QStringLiteral("%1 %2").arg(trimmedNumber(value), QLatin1String(units[unit]));
}

QString humanDuration(double seconds)
{
    seconds = std::max(0.0, seconds);
    if (seconds < 59.5)
        return QStringLiteral("%1 s").arg(trimmedNumber(seconds));
    if (seconds < 3570)
        return QStringLiteral("%1 min").arg(qRound64(seconds / 60));
    if (seconds < 86400)
        return QStringLiteral("%1 h").arg(trimmedNumber(seconds / 3600));
    return QStringLiteral("%1 d").arg(trimmedNumber(seconds / 86400));
}

QString groupedCount(qint64 n)
{
    QString digits = QString::number(n);
    for (int i = digits.size() - 3; i > (n < 0 ? 1 : 0); i -= 3)
        digits.insert(i, QLatin1Char(','));
    return digits;
}

QString humanRate(double perSecond)
{
    return trimmedNumber(std::max(0.0, perSecond));
}

LockRisk scoreLockRisk(const pg::TableStats& table, const pg::ServerInfo& server)
{
    std::vector<Factor> factors;

    const double sizePoints = logPoints(double(table.totalBytes), 10 * kMegabyte, 12.5, 40);
    if (sizePoints >= 0.5)
        factors.push_back({sizePoints, humanBytes(table.totalBytes)});

    const double writePoints = logPoints(table.writesPerSecond, 1.0, 10, 30);
    if (writePoints >= 0.5)
        factors.push_back({writePoints, QStringLiteral("%1 writes/s").arg(humanRate(table.writesPerSecond))});

    // Long transactions: those holding a lock on this table, and the oldest of the others.
    const QString qualified = table.qualifiedName();
    const pg::LongTransaction* oldestHolder = nullptr;
    const pg::LongTransaction* oldestOther = nullptr;
    int holders = 0;
    for (const pg::LongTransaction& t : server.longTransactions) {
        if (t.lockedTables.contains(qualified)) {
            ++holders;
            if (!oldestHolder || t.ageSeconds > oldestHolder->ageSeconds)
                oldestHolder = &t;
        } else if (!oldestOther || t.ageSeconds > oldestOther->ageSeconds) {
            oldestOther = &t;
        }
    }
    if (const QString claim = server.runClaims.value(qualified); !claim.isEmpty())
        factors.push_back({10, QStringLiteral("a Lockstep run is working on it: %1").arg(claim)});
    if (server.hiddenLockedTables.contains(qualified))
        factors.push_back({20, QStringLiteral("a session of another role holds a lock on it, for how long this role cannot "
                                              "see (needs pg_monitor)")});
    if (oldestHolder) {
        const double age = std::max(oldestHolder->ageSeconds, 1.0);
        const double points = clampPoints(20 + 10 * std::log10(age / 10.0), 20, 40);
        const QString reason = holders == 1
            ? QStringLiteral("a transaction open %1 holds a lock on it (pid %2)")
                  .arg(humanDuration(oldestHolder->ageSeconds)).arg(oldestHolder->pid)
            : QStringLiteral("%1 transactions hold locks on it, the oldest open %2 (pid %3)")
                  .arg(holders).arg(humanDuration(oldestHolder->ageSeconds)).arg(oldestHolder->pid);
        factors.push_back({points, reason});
    }
    if (oldestOther) {
        const double age = std::max(oldestOther->ageSeconds, 1.0);
        const double points = clampPoints(5 + 5 * std::log10(age / 30.0), 5, 15);
        factors.push_back({points, QStringLiteral("a transaction open %1 elsewhere (pid %2): VALIDATE and "
                                                  "CONCURRENTLY wait for it")
                                       .arg(humanDuration(oldestOther->ageSeconds)).arg(oldestOther->pid)});
    }

    double maxLag = 0;
    for (const pg::ReplicaInfo& r : server.replicas)
        maxLag = std::max(maxLag, r.replayLagSeconds);
    if (maxLag >= 1.0) {
        const double points = clampPoints(5 + 10 * std::log10(maxLag), 5, 25);
        const QString reason = server.replicas.size() == 1
            ? QStringLiteral("1 replica %1 behind").arg(humanDuration(maxLag))
            : QStringLiteral("%1 replicas, the furthest %2 behind").arg(server.replicas.size()).arg(humanDuration(maxLag));
        factors.push_back({points, reason});
    }

    if (!table.hasPrimaryKey)
        factors.push_back({10, QStringLiteral("no primary key (the backfill walks ctid pages)")});

    std::stable_sort(factors.begin(), factors.end(), [](const Factor& a, const Factor& b) { return a.points > b.points; });
    LockRisk risk;
    double total = 0;
    for (const Factor& f : factors) {
        total += f.points;
        risk.reasons.append(f.reason);
    }
    risk.score = int(clampPoints(std::round(total), 0, 100));
    return risk;
}

} // namespace lockstep
