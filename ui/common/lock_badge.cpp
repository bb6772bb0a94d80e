// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/common/lock_badge.h"

#include "ui/common/risk_palette.h"

#include <QLabel>

namespace lockstep::ui {

LockSeverity lockSeverity(std::optional<LockMode> mode)
{
    if (!mode)
        return LockSeverity::None;
    const QStringList blocks = lockBlocks(*mode);
    if (blocks.contains(QLatin1String("reads")))
        return LockSeverity::ReadsAndWrites;
    if (blocks.contains(QLatin1String("writes")))
        return LockSeverity::Writes;
    return LockSeverity::None;
}

QColor dangerColor() { return QColor(0xc8, 0x37, 0x2d); }
QColor warningColor() { return QColor(0xe0, 0xa5, 0x26); }
QColor okColor() { return QColor(0x34, 0x82, 0x62); }   // dark enough for white badge text (4.6:1)

QColor lockColor(LockSeverity severity)
{
    switch (severity) {
    case LockSeverity::ReadsAndWrites: return dangerColor();
    case LockSeverity::Writes: return warningColor();
    case LockSeverity::None: break;
    }
    return okColor();
}

QString lockBadgeText(std::optional<LockMode> mode)
{
    return mode ? lockModeName(*mode) : QStringLiteral("no table lock");
}

QString lockBlocksSentence(std::optional<LockMode> mode)
{
    switch (lockSeverity(mode)) {
    case LockSeverity::ReadsAndWrites: return QStringLiteral("Blocks reads and writes of the table while held");
    case LockSeverity::Writes: return QStringLiteral("Blocks writes to the table while held; reads continue");
    case LockSeverity::None: break;
    }
    return mode ? QStringLiteral("Blocks no ordinary reads or writes (only other schema changes and VACUUM wait)")
                : QStringLiteral("Takes no lock on the table");
}

void styleLockBadge(QLabel* label, std::optional<LockMode> mode)
{
    const QColor fill = lockColor(lockSeverity(mode));
    label->setText(lockBadgeText(mode));
    label->setStyleSheet(QStringLiteral("QLabel { background: %1; color: %2; border-radius: 4px; padding: 2px 6px; "
                                        "font-weight: bold; }")
                             .arg(fill.name(), textColorOn(fill).name()));
}

} // namespace lockstep::ui
