// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/measured_rates.h"

#include "core/pg/server_key.h"
#include "core/plan/lock_risk.h"

#include <QFileInfo>
#include <algorithm>

namespace lockstep::store {

namespace {
constexpr int kWalks = 5;
constexpr qint64 kMinimumRows = 1000;
constexpr qint64 kMinimumMs = 1000;
} // namespace

QString serverAddress(const QString& conninfo)
{
    const QString key = pg::serverKey(conninfo);   // user@host:port/db, or service=... user=... dbname=...
    if (key.startsWith(QLatin1String("service=")))
        return key.section(QLatin1Char(' '), 0, 0);
    // The host may be a socket directory (/tmp/x): cut the role before the first '@', the database after the last '/'.
    const QString hostPort = key.mid(key.indexOf(QLatin1Char('@')) + 1);
    return hostPort.left(hostPort.lastIndexOf(QLatin1Char('/')));
}

MeasuredRates measuredRates(const Journal& journal, const QString& conninfo)
{
    MeasuredRates rates;
    rates.server = serverAddress(conninfo);
    QVector<double> speeds;
    for (const RunRecord& run : journal.runs()) {   // newest first
        if (speeds.size() >= kWalks)
            break;
        if (serverAddress(run.conninfo) != rates.server)
            continue;
        for (const StepRecord& s : journal.steps(run.id)) {
            if (s.state != StepState::Done || s.index < 0 || s.index >= run.plan.steps.size()
                || !run.plan.steps.at(s.index).backfill || !s.startedAt.isValid() || !s.endedAt.isValid())
                continue;
            const qint64 ms = s.startedAt.msecsTo(s.endedAt);
            const auto cp = journal.checkpoint(run.id, s.index);
            if (!cp || cp->rowsDone < kMinimumRows || ms < kMinimumMs)
                continue;
            speeds << double(cp->rowsDone) * 1000.0 / double(ms);
        }
    }
    if (speeds.size() > kWalks)
        speeds.resize(kWalks);
    if (speeds.isEmpty())
        return rates;
    std::sort(speeds.begin(), speeds.end());
    rates.backfillRowsPerSecond = speeds.at(speeds.size() / 2);
    rates.walks = int(speeds.size());
    return rates;
}

PlannerOptions calibrated(PlannerOptions options, const MeasuredRates& rates)
{
    if (rates.backfillRowsPerSecond <= 0) {
        options.estimateSource = QStringLiteral("default model (backfill %1 rows/s); no earlier backfill on %2 in the journal")
                                     .arg(groupedCount(qint64(options.backfillRowsPerSecond)), rates.server);
        return options;
    }
    options.backfillRowsPerSecond = rates.backfillRowsPerSecond;
    options.estimateSource = QStringLiteral("backfill measured on this server (%1): %2 rows/s, the median of %3 earlier %4")
                                 .arg(rates.server, groupedCount(qint64(rates.backfillRowsPerSecond)))
                                 .arg(rates.walks)
                                 .arg(rates.walks == 1 ? QStringLiteral("backfill") : QStringLiteral("backfills"));
    return options;
}

PlannerOptions calibratedFromJournal(PlannerOptions options, const QString& journalPath, const QString& conninfo,
                                     QString* problem)
{
    if (QFileInfo::exists(journalPath)) {
        try {
            return calibrated(options, measuredRates(Journal(journalPath), conninfo));
        } catch (const JournalError& e) {
            if (problem)
                *problem = QString::fromUtf8(e.what());
        }
    }
    MeasuredRates none;   // nothing measured: the default model, which says on which server it found nothing
    none.server = serverAddress(conninfo);
    return calibrated(options, none);
}

} // namespace lockstep::store
