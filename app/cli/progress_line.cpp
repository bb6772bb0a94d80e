// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/progress_line.h"

#include "core/plan/plan_render.h"

#include <QLocale>

namespace lockstep::cli {

QString groupedNumber(qint64 n)
{
    static const QLocale english(QLocale::English);
    return english.toString(n);
}

QString progressLine(const run::Progress& p, bool bar)
{
    QString line;
    const double percent = p.percent();   // never above 100 %
    if (bar) {
        constexpr int width = 24;
        const int filled = int(percent / 100.0 * width);
        line += QLatin1Char('[') + QString(filled, QLatin1Char('#')) + QString(width - filled, QLatin1Char('.')) + QStringLiteral("] ");
    }
    line += QStringLiteral("%1 / %2 rows  %3 %  %4 rows/s")
                .arg(groupedNumber(p.rowsDone), groupedNumber(qMax(p.rowsTotal, p.rowsDone)))
                .arg(percent, 0, 'f', 1)
                .arg(groupedNumber(qint64(p.rowsPerSecond + 0.5)));
    // The ETA stays visible while throttled: it is the time left at the recent rate.
    line += p.etaSeconds >= 0 ? QStringLiteral("  ETA %1").arg(formatDuration(p.etaSeconds)) : QStringLiteral("  ETA ?");
    line += QStringLiteral("  batch %1").arg(groupedNumber(p.batchRows));
    if (!p.throttleReason.isEmpty())
        line += QStringLiteral("  [throttled: %1]").arg(p.throttleReason);
    else if (!p.pace.isEmpty())
        line += QStringLiteral("  [%1]").arg(p.pace);
    if (p.rowsFailed > 0)
        line += QStringLiteral("  [%1 row(s) could not compute the column, e.g. %2; the switch waits for them]")
                    .arg(groupedNumber(p.rowsFailed), p.failedSample);
    return line;
}

} // namespace lockstep::cli
