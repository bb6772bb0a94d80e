// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/run/runner.h"

#include "core/run/backfill.h"
#include "core/run/blocking_sessions.h"
#include "core/run/lock_groups.h"
#include "core/run/partition_drift.h"
#include "core/run/retry_policy.h"
#include "core/run/step_effects.h"
#include "core/run/step_executor.h"
#include "core/run/switch_verification.h"
#include "core/run/table_claim.h"

#include <QCoreApplication>
#include <QElapsedTimer>

namespace lockstep::run {

using store::RunState;
using store::StepState;

namespace {
// Raised when the run cannot go on for a reason of ours (not the server's error).
struct RunFailure {
    QString message;
};

// Thrown after a reconnect that landed on a new timeline: start() checks what was done and goes on.
struct ServerChanged {};

bool isStepFinished(StepState s) { return s == StepState::Done || s == StepState::Skipped; }
} // namespace

Runner::Runner(QString conninfo, QString journalPath, qint64 runId, RunOptions options, QObject* parent)
    : QObject(parent), m_conninfo(std::move(conninfo)), m_journalPath(std::move(journalPath)), m_runId(runId),
      m_options(options), m_control(options)
{
    registerRunMetaTypes();
}

Runner::~Runner() = default;

void Runner::pause() { m_control.pause(); }
void Runner::resumeRun() { m_control.resume(); }
void Runner::setTargetBatchMs(int ms) { m_control.setTargetBatchMs(ms); }
void Runner::setMaxRowsPerSecond(int rows) { m_control.setMaxRowsPerSecond(rows); }
void Runner::setThrottleHook(std::function<std::optional<QString>()> hook) { m_control.throttleHook = std::move(hook); }

void Runner::abort(const QString& why)
{
    m_control.abort();
    std::lock_guard<std::mutex> lock(m_connMutex);
    if (!why.isEmpty())
        m_stopReason = why;
    if (m_conn)
        m_conn->requestCancel();
}

QString Runner::stopReason()
{
    std::lock_guard<std::mutex> lock(m_connMutex);
    return m_stopReason;
}

void Runner::stopAtSafePoint(const QString& why)
{
    {
        std::lock_guard<std::mutex> lock(m_connMutex);
        m_stopReason = why;
    }
    m_control.stopAtSafePoint();
}

void Runner::openJournal()
{
    if (!m_journal)
        m_journal = std::make_unique<store::Journal>(m_journalPath);
}

void Runner::connectOrThrow()
{
    auto conn = pg::Connection::open(m_conninfo);
    conn->exec(QStringLiteral("SET application_name = 'lockstep runner'"));
    const int pid = conn->backendPid();
    {
        std::lock_guard<std::mutex> lock(m_connMutex);
        m_conn = std::move(conn);
    }
    reclaimAfterReconnect();    // a new session: the claim went with the old one
    noteTimeline();             // a promoted replica: what was done is checked again (runner_failover.cpp)
    emit backendChanged(pid);   // the Monitor counts sessions waiting on this backend's locks
}

void Runner::reconnect(const pg::PgException& cause)
{
    m_journal->addEvent(m_runId, QStringLiteral("connection-lost"), cause.error().toString());
    QElapsedTimer t;
    t.start();
    for (int attempt = 1;; ++attempt) {
        m_control.sleepMs(backoffDelayMs(attempt, 200, 5000));
        try {
            connectOrThrow();
            m_journal->addEvent(m_runId, QStringLiteral("reconnected"),
                                QStringLiteral("after %1 ms, attempt %2").arg(t.elapsed()).arg(attempt));
            return;
        } catch (const pg::PgException& e) {
            if (t.elapsed() > qint64(m_options.reconnectSeconds) * 1000)
                throw;
        }
    }
}

// Runs `body`; when the connection drops, reconnects and runs it again. Every body is safe to repeat:
// steps check the catalog first and the backfill continues from its checkpoint.
template <typename Body>
void Runner::withReconnect(Body&& body)
{
    while (true) {
        try {
            body();
            return;
        } catch (const pg::PgException& e) {
            if (m_control.isAborted() || !isConnectionLost(e, m_conn.get()))
                throw;
            reconnect(e);
            // A new primary: a forward run checks what was done before going on (start() catches this); a
            // rollback just goes on, its statements re-runnable (IF EXISTS).
            if (m_serverChanged && m_checkAfterFailover)
                throw ServerChanged{};
            m_serverChanged = false;
        }
    }
}

void Runner::setStep(int index, StepState state, const QString& message, const QString& sqlstate)
{
    m_journal->setStepState(m_runId, index, state, sqlstate, message);
    emit stepStateChanged(index, store::stepStateName(state), message);
}

void Runner::fail(int index, const QString& sqlstate, const QString& message)
{
    releaseClaim();
    try {
        if (index >= 0)
            setStep(index, StepState::Failed, message, sqlstate);
        m_journal->setRunState(m_runId, RunState::Failed, message);
    } catch (const std::exception&) {
        // The journal itself failed: the finished signal still tells the caller.
    }
    emit finished(QStringLiteral("failed"), message);
}

void Runner::waitWhilePaused()
{
    while (m_control.isPaused())
        m_control.sleepMs(100);
    m_control.throwIfAborted();
}

StepExecutor Runner::makeExecutor(int index)
{
    return makeExecutor(makeCallbacks(index));
}

StepExecutor Runner::makeExecutor(StepExecutor::Callbacks callbacks)
{
    StepExecutor executor(*m_conn, m_table, m_options, m_control, std::move(callbacks));
    executor.setQueueWatch(queueWatch());
    executor.setIdentity(m_identity);
    return executor;
}

LockQueueWatch* Runner::queueWatch()
{
    if (!m_queueWatch)
        m_queueWatch = std::make_unique<LockQueueWatch>(m_conninfo, m_table);
    return m_queueWatch.get();
}

StepExecutor::Callbacks Runner::makeCallbacks(int index)
{
    StepExecutor::Callbacks cb;
    cb.attemptStarted = [this, index](int attempt) {
        m_journal->addStepAttempt(m_runId, index);
        if (attempt > 1)
            setStep(index, StepState::Running, QStringLiteral("attempt %1").arg(attempt));
    };
    cb.lockWait = [this, index](int attempt, const QVector<BlockingSession>& blockers, const pg::PgError& error) {
        const QString message = QStringLiteral("%1; in the way: %2").arg(error.message.trimmed(), describeBlockers(blockers));
        m_journal->addEvent(m_runId, QStringLiteral("lock-wait"), QStringLiteral("step %1: %2").arg(index).arg(message));
        setStep(index, StepState::WaitingForLock, message, error.sqlstate);
        emit waitingForLock(index, blockers, attempt);
    };
    cb.event = [this, index](const QString& kind, const QString& message) {
        m_journal->addEvent(m_runId, kind, kind == QLatin1String("lock-cost") ? QStringLiteral("step %1: %2").arg(index).arg(message) : message);
    };
    return cb;
}

void Runner::verifyBeforeSwitch(const Plan& plan)
{
    // The same count as the window's switch gate: rows recorded as failing first, then rows still differing.
    const SwitchVerification v = verifySwitch(*m_conn, plan);
    if (v.rowsFailed > 0)
        throw RunFailure{QStringLiteral("the switch is refused: %1 (written by the application or met by the backfill; "
                                        "the new column is NULL there). Fix or delete those rows, then resume (they "
                                        "are computed again), or roll back.").arg(v.detail)};
    if (v.rowsDiffering > 0)
        throw RunFailure{QStringLiteral("verification failed: rows still differ from the backfill expression: %1").arg(v.detail)};
    if (v.hasBackfill)
        m_journal->addEvent(m_runId, QStringLiteral("verified"), QStringLiteral("no row differs from the backfill expression: %1").arg(v.detail));
}

void Runner::runBackfill(int index, const Step& step)
{
    Backfill::Callbacks cb;
    cb.progress = [this](const Progress& p) { emit progress(p); };
    cb.throttled = [this, index](const QString& reason) {
        setStep(index, reason.isEmpty() ? StepState::Running : StepState::Throttled, reason);
    };
    cb.lockWait = [this, index](int attempt, const QVector<BlockingSession>& blockers, const pg::PgError& error) {
        m_journal->addEvent(m_runId, QStringLiteral("lock-wait"),
                            QStringLiteral("step %1, batch retry %2: %3; in the way: %4")
                                .arg(index).arg(attempt).arg(error.message.trimmed(), describeBlockers(blockers)));
        emit waitingForLock(index, blockers, attempt);
    };
    cb.event = [this](const QString& kind, const QString& message) { m_journal->addEvent(m_runId, kind, message); };
    StepExecutor(*m_conn, m_table, m_options, m_control, {}).applySessionSettings();
    Backfill backfill(*m_conn, *m_journal, m_runId, index, *step.backfill, m_table, m_options, m_control, cb);
    backfill.run();
    m_journal->addEvent(m_runId, QStringLiteral("backfill-done"),
                        QStringLiteral("%1 rows in %2 batches").arg(backfill.progress().rowsDone).arg(backfill.progress().batches));
}

void Runner::runStep(int index, const Step& step)
{
    waitWhilePaused();
    setStepActivity(index, step);
    setStep(index, StepState::Running);
    if (step.phase == Phase::Switch) {
        const auto record = m_journal->run(m_runId);
        verifyBeforeSwitch(record->plan);
    }
    if (step.backfill) {
        runBackfill(index, step);
        setStep(index, StepState::Done);
        return;
    }
    const auto outcome = makeExecutor(index).runForward(step);
    setStep(index, StepState::Done, outcome == StepExecutor::Outcome::AlreadyDone
                                        ? QStringLiteral("already done (found in the catalog)") : QString());
}

void Runner::runLockGroup(const Plan& plan, int first, int last)
{
    waitWhilePaused();
    setStepActivity(first, plan.steps[first]);
    QVector<Step> group;
    for (int i = first; i <= last; ++i) {
        group << plan.steps[i];
        setStep(i, StepState::Running, i > first ? QStringLiteral("in one lock with step %1").arg(first + 1) : QString());
    }
    StepExecutor::Callbacks cb = makeCallbacks(first);
    const auto started = cb.attemptStarted;
    cb.attemptStarted = [this, first, last, started](int attempt) {
        started(attempt);
        for (int i = first + 1; i <= last; ++i)
            m_journal->addStepAttempt(m_runId, i);
    };
    m_journal->addEvent(m_runId, QStringLiteral("lock-group"),
                        QStringLiteral("steps %1-%2 in one transaction: one lock request for %3 brief steps")
                            .arg(first + 1).arg(last + 1).arg(last - first + 1));
    const QVector<StepExecutor::Outcome> outcomes = makeExecutor(cb).runForwardTogether(group);
    for (int i = first; i <= last; ++i) {
        const bool already = outcomes.value(i - first) == StepExecutor::Outcome::AlreadyDone;
        setStep(i, StepState::Done, already ? QStringLiteral("already done (found in the catalog)")
                                    : i > first ? QStringLiteral("done in one lock with step %1").arg(first + 1) : QString());
    }
}

std::optional<store::RunRecord> Runner::loadRun()
{
    openJournal();
    auto record = m_journal->run(m_runId);
    if (!record)
        emit finished(QStringLiteral("failed"), QStringLiteral("no run %1 in the journal").arg(m_runId));
    return record;
}

void Runner::start()
{
    int current = -1;
    try {
        const auto record = loadRun();
        if (!record)
            return;
        if (record->state == RunState::RolledBack || record->state == RunState::RollingBack) {
            emit finished(QStringLiteral("failed"),
                          QStringLiteral("run %1 was rolled back (or is rolling back): plan a new run instead").arg(m_runId));
            return;
        }
        const Plan& plan = record->plan;
        m_table = plan.table;
        m_stepCount = int(plan.steps.size());
        const Phase until = phaseFromName(record->untilPhase).value_or(Phase::Contract);
        withReconnect([this] { connectOrThrow(); });
        if (!claimTable(*record))
            return;
        if (!columnStillOurs(plan)) {
            releaseClaim();
            return;
        }
        takeOverObjects(plan);
        m_journal->setRunOwner(m_runId, QCoreApplication::applicationPid());
        m_journal->setRunState(m_runId, RunState::Running);
        for (bool again = true; again;) {
            again = false;
            try {
                m_checkAfterFailover = true;
                runSteps(plan, until, &current);
                m_checkAfterFailover = false;
            } catch (const ServerChanged&) {
                recheckAfterFailover(plan);   // then the loop again, from the journal's new states
                again = true;
            }
        }
        current = -1;
        m_journal->setRunState(m_runId, RunState::Done);
        releaseClaim();
        emit finished(QStringLiteral("done"), QStringLiteral("all steps through %1 done").arg(phaseName(until)));
    } catch (const Aborted&) {
        stopAborted(current);
    } catch (const pg::PgException& e) {
        if (m_control.isAborted() && isCanceled(e))   // abort() cancelled the running statement
            stopAborted(current);
        else
            fail(current, e.error().sqlstate, e.error().toString());
    } catch (const RunFailure& f) {
        fail(current, {}, f.message);
    } catch (const std::exception& e) {
        fail(current, {}, QString::fromUtf8(e.what()));
    }
}

void Runner::runSteps(const Plan& plan, Phase until, int* current)
{
    const QVector<store::StepRecord> steps = m_journal->steps(m_runId);
    QVector<bool> stepFinished(plan.steps.size(), false);
    for (int i = 0; i < steps.size() && i < stepFinished.size(); ++i)
        stepFinished[i] = isStepFinished(steps[i].state);
    // The last step that names partitions (a partition's walk, the partitioned index's attach): up to it the
    // planned partitions must still be the table's.
    int lastPartitionStep = -1;
    for (int i = 0; i < plan.steps.size(); ++i)
        if (plan.steps[i].id == QLatin1String("index_attach") || (plan.steps[i].backfill && !plan.steps[i].backfill->table.isEmpty()))
            lastPartitionStep = i;
    for (int i = 0; i < plan.steps.size(); ++i) {
        const Step& step = plan.steps[i];
        if (int(step.phase) > int(until))
            break;
        if (stepFinished[i])
            continue;
        *current = i;
        if (i <= lastPartitionStep) {   // after it, PostgreSQL gives a new partition the column, index... itself
            withReconnect([&] {
                const QString drift = partitionDrift(*m_conn, plan, m_runId);
                if (!drift.isEmpty())
                    throw RunFailure{drift};
            });
        }
        const int last = m_options.combineBriefSteps ? lockGroupEnd(plan, i, stepFinished) : i;
        if (last > i) {
            withReconnect([&] { runLockGroup(plan, i, last); });
            i = last;
        } else {
            withReconnect([&] { runStep(i, step); });
        }
    }
}

void Runner::stopAborted(int current)
{
    releaseClaim();
    const QString why = stopReason();
    const bool safePoint = m_control.isStopRequested() && !m_control.isAborted();
    const QString what = safePoint ? QStringLiteral("stopped at a safe point") : QStringLiteral("aborted");
    if (current >= 0)
        setStep(current, StepState::Pending, QStringLiteral("%1; a resume continues here").arg(what));
    const QString said = why.isEmpty() ? QStringLiteral("%1 by the user").arg(what) : QStringLiteral("%1: %2").arg(what, why);
    if (!why.isEmpty())
        m_journal->addEvent(m_runId, QStringLiteral("operator"), said);
    m_journal->setRunState(m_runId, RunState::Paused, said);
    emit finished(QStringLiteral("paused"), said + QStringLiteral("; resumable"));
}

void Runner::rollback()
{
    int current = -1;
    try {
        const auto record = loadRun();
        if (!record)
            return;
        const Plan& plan = record->plan;
        m_table = plan.table;
        const QVector<store::StepRecord> steps = m_journal->steps(m_runId);
        withReconnect([this] { connectOrThrow(); });
        if (!claimTable(*record))
            return;
        // Taken over by another run: its objects -- and the unmarked ones it shares by name, the sync
        // function and helper tables -- are that run's to undo.
        if (!columnStillOurs(plan)) {
            releaseClaim();
            return;
        }
        takeOverObjects(plan);

        int lastStarted = -1;
        for (int i = 0; i < steps.size() && i < plan.steps.size(); ++i) {
            if (steps[i].hasStarted())
                lastStarted = i;
        }
        // Past the point of no return (the old column dropped) there is nothing to roll back to.
        for (int i = 0; i <= lastStarted; ++i) {
            const Step& step = plan.steps[i];
            if (step.reversible && step.id != QLatin1String("contract_drop_old_column"))
                continue;
            bool gone = steps[i].state == StepState::Done;
            if (!gone)
                withReconnect([&] { gone = stepEffectState(*m_conn, m_table, step).done; });
            if (gone) {
                releaseClaim();
                emit finished(QStringLiteral("failed"),
                              QStringLiteral("cannot roll back: step \"%1\" (%2) is done and cannot be undone")
                                  .arg(step.id, step.title));
                return;
            }
        }

        m_journal->setRunState(m_runId, RunState::RollingBack);
        for (int i = lastStarted; i >= 0; --i) {
            if (steps[i].state == StepState::RolledBack)
                continue;
            current = i;
            const Step& step = plan.steps[i];
            m_control.throwIfAborted();
            setActivity(QStringLiteral("rollback %1/%2").arg(i + 1).arg(plan.steps.size()));
            // Never drop what another run made (e.g. this run stopped at a column another operator had added).
            QString foreign;
            withReconnect([&] { foreign = objectOwnedByAnotherRun(*m_conn, m_table, step, m_identity.uid); });
            if (!foreign.isEmpty()) {
                m_journal->addEvent(m_runId, QStringLiteral("rollback-skipped"), QStringLiteral("step %1: %2").arg(i).arg(foreign));
                setStep(i, StepState::RolledBack, QStringLiteral("nothing of this run's to undo: %1").arg(foreign));
                continue;
            }
            withReconnect([&] { makeExecutor(i).runRollback(step); });
            setStep(i, StepState::RolledBack);
        }
        current = -1;
        releaseClaim();
        m_journal->setRunState(m_runId, RunState::RolledBack);
        emit finished(QStringLiteral("rolled-back"), QStringLiteral("%1 step(s) rolled back").arg(lastStarted + 1));
    } catch (const Aborted&) {
        releaseClaim();
        if (const QString why = stopReason(); !why.isEmpty())
            m_journal->addEvent(m_runId, QStringLiteral("operator"), QStringLiteral("rollback stopped: %1").arg(why));
        m_journal->setRunState(m_runId, RunState::Paused, QStringLiteral("rollback aborted by the user"));
        emit finished(QStringLiteral("paused"), QStringLiteral("rollback aborted by the user; run it again to finish"));
    } catch (const pg::PgException& e) {
        fail(current, e.error().sqlstate, QStringLiteral("rollback: %1").arg(e.error().toString()));
    } catch (const std::exception& e) {
        fail(current, {}, QStringLiteral("rollback: %1").arg(QString::fromUtf8(e.what())));
    }
}

} // namespace lockstep::run
