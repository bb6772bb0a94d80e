// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/pg/connection.h"
#include "core/plan/plan.h"
#include "core/run/run_control.h"
#include "core/run/run_identity.h"
#include "core/run/run_types.h"
#include "core/run/step_executor.h"
#include "core/store/journal.h"

#include <QObject>
#include <QString>
#include <QVector>
#include <memory>
#include <mutex>

namespace lockstep::run {


// Executes a journaled run: a worker QObject to move to its own QThread (it opens its own connection and
// its own Journal object there). start() runs the steps from the first one not done up to the run's
// "until" phase; every step is first checked against the catalog, so a run killed at any point resumes
// correctly with a new Runner on the same run id. rollback() undoes the started steps in reverse.
// pause/resumeRun/abort and the live knobs are safe from any thread. finished() is emitted exactly once
// per start() or rollback(); outcomes: "done", "paused" (aborted, resumable), "failed", "rolled-back",
// "refused" (another session holds the table's claim, table_claim.h: nothing was done).
class Runner : public QObject {
    Q_OBJECT
public:
    Runner(QString conninfo, QString journalPath, qint64 runId, RunOptions options = {}, QObject* parent = nullptr);
    ~Runner() override;

    // Holds the run at the next step boundary or backfill batch until resumeRun().
    void pause();
    void resumeRun();
    // Stops as soon as possible (cancels the running statement); the run stays resumable. `why` (who chose
    // it, and how) goes to the journal with the stop.
    void abort(const QString& why = {});
    // Stops at the next safe point: the running statement finishes, then the run stops between batches or
    // steps, resumable; `why` goes to the journal.
    void stopAtSafePoint(const QString& why);
    void setTargetBatchMs(int ms);
    void setMaxRowsPerSecond(int rows);
    // A reason to hold the backfill (e.g. replica lag); set before start(), called from the run's thread.
    void setThrottleHook(std::function<std::optional<QString>()> hook);

public slots:
    void start();
    void rollback();

signals:
    void stepStateChanged(int index, QString state, QString message);
    void progress(lockstep::run::Progress progress);
    void waitingForLock(int index, QVector<lockstep::run::BlockingSession> blockers, int attempt);
    void finished(QString outcome, QString message);
    // The server process of the runner's connection, after every (re)connect.
    void backendChanged(int pid);

private:
    void openJournal();
    // Opens the journal and reads this run; emits finished("failed") and returns nullopt if it is absent.
    std::optional<store::RunRecord> loadRun();
    void connectOrThrow();
    void reconnect(const pg::PgException& cause);
    template <typename Body>
    void withReconnect(Body&& body);
    void runStep(int index, const Step& step);
    // Every step not finished in the journal, up to `until`; *current is the one running.
    void runSteps(const Plan& plan, Phase until, int* current);
    // Steps first..last (lock_groups.h) in one transaction under one lock request.
    void runLockGroup(const Plan& plan, int first, int last);
    void runBackfill(int index, const Step& step);
    void verifyBeforeSwitch(const Plan& plan);
    void waitWhilePaused();
    // An executor on the run's connection and table, watched and marked as the run's (with step `index`'s
    // journal callbacks, or the given ones).
    StepExecutor makeExecutor(int index);
    StepExecutor makeExecutor(StepExecutor::Callbacks callbacks);
    StepExecutor::Callbacks makeCallbacks(int index);
    LockQueueWatch* queueWatch();   // made on first use, for m_table
    void setStep(int index, store::StepState state, const QString& message = {}, const QString& sqlstate = {});
    void fail(int index, const QString& sqlstate, const QString& message);
    // The run stops after abort(): the interrupted step goes back to pending, the run is resumable.
    void stopAborted(int current);
    QString stopReason();   // why abort() or stopAtSafePoint() was called (empty: not said)
    // The run's claim on its table and its identity on the server (runner_claim.cpp). claimTable() emits
    // finished("refused") and returns false when another session holds the claim.
    bool claimTable(const store::RunRecord& run);
    // A plan that takes over an abandoned run (Plan::takesOver): its objects re-marked as this run's.
    void takeOverObjects(const Plan& plan);
    // False (and refused) when another run took this one over: its column carries that run's mark.
    bool columnStillOurs(const Plan& plan);
    void refuse(const QString& message);      // journals it, ends a run that never started, emits "refused"
    void reclaimAfterReconnect();
    void releaseClaim();
    void setActivity(const QString& what);   // the session's application_name: what the run does now
    void setStepActivity(int index, const Step& step);   // "step 3/11 backfill"
    // Failover (runner_failover.cpp): the timeline after each connect; on a new one, every done step is
    // checked on the new primary and the row-writing steps walk again.
    void noteTimeline();
    void recheckAfterFailover(const Plan& plan);

    QString m_conninfo;
    std::unique_ptr<LockQueueWatch> m_queueWatch;
    QString m_journalPath;
    qint64 m_runId;
    RunOptions m_options;
    RunControl m_control;
    std::unique_ptr<store::Journal> m_journal;
    std::unique_ptr<pg::Connection> m_conn;
    int m_stepCount = 0;         // the run's plan's steps: the activity says "step 3/11 backfill"
    QString m_stopReason;        // under m_connMutex: why abort() or stopAtSafePoint() was called
    std::mutex m_connMutex;      // guards m_conn's replacement against abort()'s cancel
    QString m_table;
    RunIdentity m_identity;
    bool m_claimed = false;
    QString m_timeline;
    bool m_serverChanged = false;   // set by noteTimeline(), cleared by recheckAfterFailover()
    bool m_checkAfterFailover = false;   // in start()'s steps: a new timeline throws ServerChanged
};

} // namespace lockstep::run
