// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/pg/connection.h"
#include "core/plan/step.h"
#include "core/run/lock_queue_watch.h"
#include "core/run/run_control.h"
#include "core/run/run_identity.h"
#include "core/run/run_types.h"

#include <QStringList>
#include <functional>
#include <stdexcept>

namespace lockstep::run {

// A step that cannot run as planned for a reason other than the server's error (e.g. the column exists
// with another type).
struct StepError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Runs the DDL of one step on one connection. Transactional steps run all their statements in one
// BEGIN ... COMMIT; non-transactional ones (CONCURRENTLY) one statement at a time. Every lock-taking
// statement runs under the run's lock_timeout: on lock_timeout or deadlock the attempt is rolled back,
// the sessions in the way are reported, and the step is retried, up to RunOptions::maxAttempts. Each
// attempt's lock_timeout and the pause before the next come from a LockWaitLadder: short waits first
// (what queues behind a waiting lock request is what the application pays), longer ones only after
// repeated failures. Before the ladder, a transactional brief-lock step looks for a free moment with
// LOCK TABLE ... NOWAIT (free_moment.h), which makes no one wait. Throws pg::PgException (the last error), StepError or Aborted.
class StepExecutor {
public:
    struct Callbacks {
        std::function<void(int attempt)> attemptStarted;        // 1, 2, ...
        // After a failed attempt on a lock: who is in the way, and the error.
        std::function<void(int attempt, const QVector<BlockingSession>&, const pg::PgError&)> lockWait;
        std::function<void(const QString& kind, const QString& message)> event;
    };

    StepExecutor(pg::Connection& conn, QString table, const RunOptions& options, const RunControl& control,
                 Callbacks callbacks);

    enum class Outcome { Ran, AlreadyDone };
    // Forward SQL, unless the catalog shows the step's effect already there.
    Outcome runForward(const Step& step);
    // Several brief catalog-only steps (lock_groups.h) in one transaction: one lock request, one ladder of
    // attempts. Steps whose effect is already in the catalog are left out. One outcome per step.
    QVector<Outcome> runForwardTogether(const QVector<Step>& steps);
    // Rollback SQL (re-runnable by construction: IF EXISTS).
    void runRollback(const Step& step);

    // Samples what queues behind each brief-lock attempt (its figures go into the attempt's events).
    void setQueueWatch(LockQueueWatch* watch) { m_watch = watch; }
    // The run this executor works for: objects it creates carry its mark, and only objects with its mark
    // (or none) are adopted as "already done" (owner_marks.h).
    void setIdentity(const RunIdentity& identity) { m_identity = identity; }

    // Sessions holding a lock on the table, or blocking our backend.
    QVector<BlockingSession> blockingSessions();
    // Session defaults for DDL: our lock_timeout, no statement_timeout.
    void applySessionSettings();

private:
    void runWithRetry(const QStringList& statements, bool transactional);
    void runOnce(const QStringList& statements, bool transactional);
    // Tries LOCK TABLE ... NOWAIT in `mode` for RunOptions::freeMomentMs (free_moment.h), then runs
    // `statements` under it. False: no free moment came (or the lock was refused); nothing is left open.
    bool runAtFreeMoment(const QStringList& statements, LockMode mode);
    // Waits until every commit of this session is durable (runAtFreeMoment commits asynchronously so that
    // the WAL flush does not happen under the lock).
    void flushCommits();
    // Where `statements` set the plan's lock_timeout, which each attempt replaces by its rung of the
    // LockWaitLadder (parsed once per step, not per attempt).
    static QVector<int> plannedLockTimeouts(const QStringList& statements);
    void dropInvalidIndexes(const QStringList& qualifiedNames);
    void dropInvalidLeftovers(const Step& step);
    void rollbackQuietly();

    pg::Connection& m_conn;
    QString m_table;
    const RunOptions& m_options;
    const RunControl& m_control;
    Callbacks m_callbacks;
    LockQueueWatch* m_watch = nullptr;
    RunIdentity m_identity;
};

} // namespace lockstep::run
