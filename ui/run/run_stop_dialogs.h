// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>

class QWidget;

namespace lockstep::ui {

// What the operator chose when the window was closed during a run.
enum class CloseChoice {
    StopAtSafePoint,   // the running statement finishes, then the run stops (the default)
    StopNow,           // the running statement is cancelled now; the run stops
    KeepOpen,          // nothing happens: the window stays, the run goes on
};

// Asks what closing the window during a run should do; `run` says which run and where it is. Nothing
// closes silently: Escape keeps the window open. The buttons are named closeSafePoint, closeNow, closeKeep.
CloseChoice askCloseDuringRun(QWidget* parent, const QString& run);

// Asks before Abort cancels the running statement; true to abort. The buttons: abortConfirm, abortKeep.
bool confirmAbort(QWidget* parent, const QString& run);

// The operator as the journal names them: the login user of this process.
QString operatorName();

} // namespace lockstep::ui
