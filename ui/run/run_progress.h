// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/run/run_types.h"

#include <QWidget>

class QLabel;
class QProgressBar;
class QTimer;

namespace lockstep::ui {

// The backfill's progress: a bar with rows done / estimated, %, rows/s and ETA. The bar never passes
// 100 %. While the backfill is held (replica lag, sessions waiting on our locks, the rate cap, a pause) the
// reason is shown and the ETA stays, computed at the last rate seen before the hold.
class RunProgress : public QWidget {
    Q_OBJECT
public:
    explicit RunProgress(QWidget* parent = nullptr);

    void setProgress(const lockstep::run::Progress& progress);
    // The backfill step ended: the bar shows 100 % of what was done.
    // The run stopped or failed before the backfill finished: the last figures stay, but no speed or ETA
    // is shown as if it still ran. The next progress (resumed) clears it.
    void setHalted(const QString& why);
    void setFinished();
    // Before a backfill has reported anything: `text` says why the bar is empty.
    void setIdle(const QString& text);

    // For the view and tests.
    int barValue() const;                  // 0..1000 (tenths of a percent)
    QString rowsText() const;
    QString rateText() const;
    QString etaText() const;
    QString throttleText() const;          // empty when not held
    QString paceText() const;              // the line under the bar: throttled, gentle or full speed
    QString failedText() const;            // rows whose value failed (empty when none)
    const lockstep::run::Progress& last() const { return m_last; }

private:
    void refresh();
    void setHeldStyle(bool held);

    QProgressBar* m_bar;
    QLabel* m_rows;
    QLabel* m_rate;
    QLabel* m_eta;
    QLabel* m_throttle;
    QLabel* m_failed;         // rows the expression could not compute: shown at once, red, until the run ends
    QTimer* m_throttleHold;   // keeps a reason on screen between the per-batch rate-cap pauses
    lockstep::run::Progress m_last;
    QString m_reason;
    double m_lastGoodRate = 0;
    bool m_finished = false;
    QString m_halted;   // why no row is being written now (stopped, failed): no live speed or ETA then
    bool m_heldStyle = false;
    bool m_have = false;
};

} // namespace lockstep::ui
