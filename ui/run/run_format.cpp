// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/run/run_format.h"

#include <cmath>

namespace lockstep::ui {

QString durationText(double seconds)
{
    if (seconds < 0)
        return QStringLiteral("unknown");
    if (seconds < 0.05)
        return QStringLiteral("< 0.1 s");
    if (seconds < 10)
        return QStringLiteral("%1 s").arg(seconds, 0, 'f', 1);
    const qint64 s = qint64(std::llround(seconds));
    if (s < 60)
        return QStringLiteral("%1 s").arg(s);
    if (s < 3600)
        return s % 60 ? QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60) : QStringLiteral("%1 min").arg(s / 60);
    const qint64 minutes = (s % 3600) / 60;
    return minutes ? QStringLiteral("%1 h %2 min").arg(s / 3600).arg(minutes) : QStringLiteral("%1 h").arg(s / 3600);
}

QString stepStateWord(const QString& state)
{
    if (state == QLatin1String("waiting-for-lock"))
        return QStringLiteral("waiting for a lock");
    if (state == QLatin1String("rolled-back"))
        return QStringLiteral("rolled back");
    return state;   // pending, running, throttled, done, failed, skipped read well as they are
}

QColor stepStateColor(const QString& state)
{
    if (state == QLatin1String("running"))
        return QColor(0x1f, 0x6f, 0xd1);
    if (state == QLatin1String("waiting-for-lock") || state == QLatin1String("throttled"))
        return QColor(0xc7, 0x7c, 0x02);
    if (state == QLatin1String("done") || state == QLatin1String("skipped"))
        return QColor(0x2e, 0x8b, 0x3e);
    if (state == QLatin1String("failed"))
        return QColor(0xc6, 0x28, 0x28);
    if (state == QLatin1String("rolled-back"))
        return QColor(0x7b, 0x4f, 0xb8);
    return QColor(0x8a, 0x8a, 0x8a);
}

bool isEndedStepState(const QString& state)
{
    return state == QLatin1String("done") || state == QLatin1String("failed") || state == QLatin1String("rolled-back")
        || state == QLatin1String("skipped");
}

} // namespace lockstep::ui
