// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/common/display_format.h"

#include "core/plan/lock_risk.h"
#include "core/plan/plan_render.h"

#include <cmath>

namespace lockstep::ui {

QString sizeText(qint64 bytes)
{
    return bytes < 0 ? QStringLiteral("?") : humanBytes(bytes);
}

QString countText(double n)
{
    if (n < 0)
        return QStringLiteral("unknown");
    if (n < 1000)
        return QString::number(qint64(std::llround(n)));
    if (n < 1e6)
        return QStringLiteral("%1 k").arg(QString::number(n / 1e3, 'f', n < 1e4 ? 1 : 0));
    if (n < 1e9)
        return QStringLiteral("%1 M").arg(QString::number(n / 1e6, 'f', n < 1e7 ? 1 : 0));
    return QStringLiteral("%1 G").arg(QString::number(n / 1e9, 'f', 1));
}

QString groupedNumber(qint64 n)
{
    return groupedCount(n);
}

QString rateText(double perSecond, const QString& unit)
{
    const QString sep = unit.startsWith(QLatin1Char('/')) ? QString() : QStringLiteral(" ");
    if (perSecond > 0 && perSecond < 10)
        return QString::number(perSecond, 'f', 1) + sep + unit;
    return groupedNumber(qint64(std::llround(qMax(0.0, perSecond)))) + sep + unit;
}

QString counted(qint64 n, const QString& singular, const QString& plural)
{
    return groupedNumber(n) + QLatin1Char(' ') + (n == 1 ? singular : plural);
}

QString agoText(const QDateTime& when)
{
    if (!when.isValid())
        return QStringLiteral("never");
    const qint64 secs = when.secsTo(QDateTime::currentDateTime());
    return formatDuration(double(qMax<qint64>(secs, 0))) + QStringLiteral(" ago");
}

QString tableWritesText(double writesPerSecond, double ownWritesPerSecond)
{
    QString writes = rateText(writesPerSecond, QStringLiteral("writes/s"));
    if (ownWritesPerSecond > 0)
        writes += QStringLiteral(", about %1 of them by this run's backfill").arg(rateText(ownWritesPerSecond, QStringLiteral("rows/s")));
    return writes;
}

} // namespace lockstep::ui
