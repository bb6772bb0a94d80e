// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/plan/lock_mode.h"

#include <QColor>
#include <QString>
#include <optional>

class QLabel;

namespace lockstep::ui {

// The lock badge of UI.md, shared by every view that shows a table lock: coloured by what the lock blocks
// in ordinary traffic (lockBlocks), with the mode's name as its text and what it blocks in its tooltip.
enum class LockSeverity { None, Writes, ReadsAndWrites };

LockSeverity lockSeverity(std::optional<LockMode> mode);
QColor lockColor(LockSeverity severity);          // green, amber, red
QString lockBadgeText(std::optional<LockMode> mode);   // "ACCESS EXCLUSIVE", "no table lock"
// "Blocks reads and writes of the table while held", "Blocks writes; reads continue", ...
QString lockBlocksSentence(std::optional<LockMode> mode);
// Gives `label` the badge's look (rounded, coloured, bold) and text; the caller adds the tooltip.
void styleLockBadge(QLabel* label, std::optional<LockMode> mode);

// The accents the plan view uses beside the badges (same red and amber).
QColor warningColor();    // amber: scans, a brief lock under traffic
QColor dangerColor();     // red: rewrites, mismatches, the point of no return, errors
QColor okColor();         // green: matches

} // namespace lockstep::ui
