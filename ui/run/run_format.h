// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QColor>
#include <QString>

namespace lockstep::ui {

// Durations as the run view writes them (UI.md): "0.4 s", "12 s", "2 min 10 s", "1 h 5 min".
QString durationText(double seconds);

// A step state as stored in the journal ("waiting-for-lock") in words ("waiting for a lock").
QString stepStateWord(const QString& state);
// The colour of a state's marker: grey pending, blue running, amber waiting/throttled, green done,
// red failed, violet rolled back. Always shown beside the word, never alone.
QColor stepStateColor(const QString& state);
// done, failed, rolled-back, skipped: the step's clock has stopped.
bool isEndedStepState(const QString& state);

} // namespace lockstep::ui
