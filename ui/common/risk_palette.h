// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QColor>
#include <QString>

namespace lockstep::ui {

// One calm-to-hot scale for lock risk 0..100, shared by the map, the table list and the detail pane, so a
// colour means the same thing everywhere. Colour never stands alone: callers show the number and reasons.
QColor riskColor(int score);
// Near-black or white, whichever reads better on `background` (ui/palette_tools.h's readableTextOn).
QColor textColorOn(const QColor& background);
// "calm", "moderate", "high", "hot": the word that goes beside the number.
QString riskWord(int score);

} // namespace lockstep::ui
