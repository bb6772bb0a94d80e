// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/pg/monitor_sample.h"
#include "core/plan/plan.h"
#include "core/run/run_types.h"
#include "core/store/journal_types.h"
#include "ui/run/rollback_dialog.h"

#include <QObject>
#include <QVector>
#include <functional>
#include <memory>
#include <optional>

namespace lockstep::ui {

class RunSessionHost;

// What the run view drives, without widgets: one journaled run of a plan, started up to the switch gate
// (until = constrain), continued through switch (and contract) after the gate, rolled back, paused,
// throttled and aborted. Each start or rollback gets its own RunSession (Runner + Monitor on their own
// threads, the session itself on a third: RunSessionHost). Journal writes (creating and extending the run)
// and the queries the view asks for itself (cancel a blocker, the gate's verification) run on short-lived
// threads; the step states are followed from the runner's signals, so the GUI thread neither waits on the
// network nor on the journal's fsyncs while a run goes on. Every signal arrives in the controller's thread.
class RunController : public QObject {
    Q_OBJECT
public:
    explicit RunController(QObject* parent = nullptr);
    ~RunController() override;   // a running session is aborted (the run stays resumable)

    void setJournalPath(const QString& path);
    // A conninfo ready to connect with (it may hold the password): kept in memory only. The journal stores
    // it without the password.
    void setConnection(const QString& conninfo);
    void setOptions(const lockstep::run::RunOptions& options, double maxLagSeconds);
    // The full plan (every phase); forgets the previous run.
    void setPlan(const Plan& plan);
    // Takes over an existing run of the journal (History: resume or roll back). Its stored plan becomes the
    // plan unless setPlan gave a longer plan of the same steps. False with *error if it cannot be read.
    bool attachRun(qint64 runId, QString* error = nullptr);

    const Plan& plan() const { return m_plan; }
    qint64 runId() const { return m_runId; }
    Phase untilPhase() const { return m_until; }
    // From start()/continueThrough()/rollback() until finished() (or startFailed()).
    bool isRunning() const { return m_busy; }
    bool isRollingBack() const { return m_busy && m_rollingBack; }
    const lockstep::run::RunOptions& options() const { return m_options; }

    // Starts the run: creates it (until constrain) the first time, else resumes it. False with *error when
    // it cannot start at all; later trouble (the journal) comes as startFailed().
    bool start(QString* error = nullptr);
    // After the gate: the run goes on through `phase` (switch, then contract).
    bool continueThrough(Phase phase, QString* error = nullptr);
    bool rollback(QString* error = nullptr);
    void pause();
    void resume();
    void abort(const QString& why = {});
    // The running statement finishes, then the run stops (resumable); `why` goes to the journal.
    void stopAtSafePoint(const QString& why);
    void setTargetBatchMs(int ms);
    void setMaxRowsPerSecond(int rows);

    // As the runner last reported them (loaded from the journal by attachRun).
    QString stepState(int index) const;
    std::optional<store::RunState> runState() const { return m_runState; }
    // The run's steps with their times, read from the journal (for a run opened from the History).
    QVector<store::StepRecord> journalSteps() const;
    // Exactly what a rollback would undo, in the order it would (last first), with each step's SQL.
    QVector<RollbackItem> rollbackItems() const;
    // Empty when a rollback is possible now; else why not, in words.
    QString rollbackBlockedReason() const;

    // Off the GUI thread; the answers come as signals.
    void cancelBlocker(int pid);
    void verifySwitch();

signals:
    void runCreated(qint64 runId);
    void started(const QString& action);   // "start" or "rollback": the session is on its way
    void startFailed(const QString& message);
    void stepStateChanged(int index, const QString& state, const QString& message);
    void progress(const lockstep::run::Progress& progress);
    void waitingForLock(int index, const QVector<lockstep::run::BlockingSession>& blockers, int attempt);
    void sampled(const lockstep::pg::MonitorSample& sample);
    void monitorFailed(const QString& message);
    void finished(const QString& outcome, const QString& message);
    void blockerCancelResult(int pid, bool sent, const QString& error);
    // rowsDiffering is -1 when the verification could not run (error says why).
    void switchVerified(qint64 rowsDiffering, const QString& detail, const QString& error);

private:
    struct StepTrack {
        store::StepState state = store::StepState::Pending;
        bool started = false;
    };
    // Runs `prepare` (journal work) off the GUI thread, then the session; `prepare` returns an error or "".
    void launchAfter(std::function<QString()> prepare, bool rollback);
    void launch(bool rollback);
    void onStepState(int index, const QString& state);
    int lastStartedStep() const;

    QString m_journalPath;
    QString m_conninfo;
    Plan m_plan;
    void journalOptions();   // m_options and the lag limit into the run's journal row
    class QTimer* m_optionsTimer = nullptr;

    lockstep::run::RunOptions m_options;
    double m_maxLagSeconds = 5.0;
    qint64 m_runId = 0;
    Phase m_until = Phase::Constrain;
    QVector<StepTrack> m_steps;
    std::optional<store::RunState> m_runState;
    bool m_busy = false;
    bool m_rollingBack = false;
    bool m_abortPending = false;
    std::shared_ptr<qint64> m_pendingRunId;      // set by the background createRun
    std::unique_ptr<RunSessionHost> m_session;   // the current one; finished ones retire themselves
};

} // namespace lockstep::ui
