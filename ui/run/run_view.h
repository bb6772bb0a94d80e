// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/pg/monitor_sample.h"
#include "core/plan/plan.h"
#include "core/run/run_types.h"

#include <QDateTime>
#include <QPair>
#include <QPointer>
#include <QVector>
#include <QWidget>
#include <optional>

class QFrame;
class QLabel;
class QPushButton;
class QSplitter;
class QStackedWidget;
class QTimer;

namespace lockstep::ui {

class BlockerPanel;
class RollbackDialog;
class RunCharts;
class RunController;
class RunControls;
class RunProgress;
class RunStepList;
class SwitchGateDialog;

// The Run tab: one run of a plan, watched and steered. The steps with their live states and times; who
// blocks a step waiting for its lock (keep retrying, cancel the blocker, abort); the backfill's progress;
// the live charts; pause, resume, throttle, abort; the switch gate (the run stops after constrain until the
// user confirms, with a verification count of 0) and the rollback button (a confirmation listing the steps
// it undoes and their SQL; disabled past the contract, with the reason). Nothing here waits on the network.
class RunView : public QWidget {
    Q_OBJECT
public:
    explicit RunView(QWidget* parent = nullptr);
    ~RunView() override;

    void setJournalPath(const QString& path);
    // `conninfo` without or with a password; `password` (if any) is added in memory only, never written.
    void setConnection(const QString& conninfo, const QString& password = {});
    void setOptions(const lockstep::run::RunOptions& options, double maxLagSeconds = 5.0);
    // The full plan (every phase). Forgets any previous run; start() creates a new one.
    void setPlan(const Plan& plan);
    // The composer's current plan, shown as "New run" while the view holds no run (a run, even a finished
    // one, stays until another is started or opened); clearPlanToRun() goes back to "No plan to run".
    void showPlanToRun(const Plan& plan);
    void clearPlanToRun();
    // An existing run of the journal (History's "resume" / "rollback"): its steps and states are shown.
    bool openRun(qint64 runId);

    qint64 runId() const;
    // "idle", "running", "paused", "stopped" (aborted, resumable), "at-switch-gate", "done", "failed",
    // "rolling-back", "rolled-back".
    QString runState() const { return m_state; }

    // The parts, for the window's toolbar and for tests.
    RunController* controller() const { return m_controller; }
    RunStepList* stepList() const { return m_steps; }
    RunProgress* progressView() const { return m_progress; }
    BlockerPanel* blockerPanel() const { return m_blockers; }
    RunControls* controls() const { return m_controls; }
    RunCharts* charts() const { return m_charts; }
    SwitchGateDialog* gateDialog() const;         // while open, else null
    RollbackDialog* rollbackDialog() const;       // while open, else null
    QString bannerText() const;
    // "Run 7 on "public"."orders" (step 3 of 11: ...)": which run and where, for the stop dialogs.
    QString runSummary() const;
    bool isRunActive() const;   // a run (or rollback) of this view is going on, paused included
    // Stops the run, resumable; `why` (who chose it) goes to the journal. At a safe point: the running
    // statement finishes first. Now: it is cancelled.
    void stopAtSafePoint(const QString& why);
    void abortNow(const QString& why);

public slots:
    void start();
    void pause();
    void resume();
    void abort();   // asks first: the running statement is cancelled
    // Opens the rollback confirmation (when a rollback is possible).
    void requestRollback();
    // Opens the switch gate's confirmation (when the run waits at the gate).
    void openSwitchGate();

signals:
    // Start run pressed while the view shows a plan with no run yet: whoever starts runs (RunFlow) checks
    // and asks first. Not connected, the view starts it itself.
    void newRunRequested();
    void runCreated(qint64 runId);
    void runStateChanged(const QString& state);
    void runFinished(const QString& outcome, const QString& message);

protected:
    void showEvent(QShowEvent* event) override;   // the split's first sizes: 45 % steps, 55 % graphs

private:
    void wire();
    // What the run's done steps leave on the server and what it costs the application (for the banners).
    QString installedText() const;
    void setRunState(const QString& state);
    void onStepState(int index, const QString& state, const QString& message);
    void onFinished(const QString& outcome, const QString& message);
    void onVerified(qint64 rows, const QString& detail, const QString& error);
    void showBanner(const QString& text, const QString& kind);   // kind: info, ok, warn, error
    QString statusText(const QString& state) const;              // the quiet line for a state, or empty
    void showGate();
    void refreshHeader();
    void refreshRollback();
    void refreshStart();
    void loadStepsFromJournal();
    void continueThroughContract();
    void flushProgress();
    void flushCharts();
    void queueStepMark(const QString& label);

    RunController* m_controller;
    QLabel* m_title;
    QLabel* m_stateChip;
    RunControls* m_controls;
    QLabel* m_banner;
    QFrame* m_gate;
    QStackedWidget* m_status = nullptr;         // m_banner or m_gate, in one slot
    QSplitter* m_split = nullptr;               // progress and steps | the charts
    bool m_splitSized = false;                  // the split's first sizes are set once it has a width
    QLabel* m_gateText;
    QPushButton* m_gateButton;
    BlockerPanel* m_blockers;
    RunProgress* m_progress;
    RunStepList* m_steps;
    RunCharts* m_charts = nullptr;
    QPointer<SwitchGateDialog> m_gateDialog;
    QPointer<RollbackDialog> m_rollbackDialog;
    QString m_state = QStringLiteral("idle");
    qint64 m_gateRows = -1;
    QString m_gateDetail;
    int m_backfillIndex = -1;
    QTimer* m_frame;                                  // paces the widgets' and the charts' updates
    int m_frameTick = 0;
    std::optional<lockstep::run::Progress> m_pendingProgress;
    QVector<QPair<QDateTime, lockstep::run::Progress>> m_chartProgress;
    QVector<lockstep::pg::MonitorSample> m_chartSamples;
    QVector<QPair<QDateTime, QString>> m_chartMarks;
};

} // namespace lockstep::ui
