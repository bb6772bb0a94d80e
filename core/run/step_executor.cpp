// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/run/step_executor.h"

#include "core/run/blocking_sessions.h"
#include "core/run/free_moment.h"
#include "core/run/lock_wait_ladder.h"
#include "core/run/owner_marks.h"
#include "core/run/retry_policy.h"
#include "core/run/statement_facts.h"
#include "core/run/statement_splitter.h"
#include "core/run/step_effects.h"

#include <QElapsedTimer>

namespace lockstep::run {

StepExecutor::StepExecutor(pg::Connection& conn, QString table, const RunOptions& options,
                           const RunControl& control, Callbacks callbacks)
    : m_conn(conn), m_table(std::move(table)), m_options(options), m_control(control),
      m_callbacks(std::move(callbacks))
{
}

void StepExecutor::applySessionSettings()
{
    m_conn.exec(QStringLiteral("SELECT set_config('lock_timeout', $1, false), set_config('statement_timeout', '0', false)"),
                {QStringLiteral("%1ms").arg(m_options.lockTimeoutMs)});
}

StepExecutor::Outcome StepExecutor::runForward(const Step& step)
{
    return runForwardTogether({step}).first();
}

QVector<StepExecutor::Outcome> StepExecutor::runForwardTogether(const QVector<Step>& steps)
{
    applySessionSettings();
    QVector<Outcome> outcomes;
    QStringList statements;
    bool transactional = true;
    for (const Step& step : steps) {
        const StepEffectState state = stepEffectState(m_conn, m_table, step, m_identity.uid);
        if (!state.conflict.isEmpty())
            throw StepError(state.conflict.toStdString());
        if (state.done) {
            if (m_callbacks.event)
                m_callbacks.event(QStringLiteral("step-already-done"), QStringLiteral("%1: %2").arg(step.id, state.note));
            outcomes << Outcome::AlreadyDone;
            continue;
        }
        if (!state.invalidIndexes.isEmpty())
            dropInvalidIndexes(state.invalidIndexes);
        const QStringList own = stepStatements(step.statements, step.sql);
        statements << own;
        if (!m_identity.uid.isEmpty())   // the mark, in the same transaction (after the build, for CONCURRENTLY)
            statements << markStatements(m_conn, m_table, own, m_identity.mark());
        transactional = transactional && step.transactional;
        outcomes << Outcome::Ran;
    }
    if (statements.isEmpty())
        return outcomes;
    try {
        runWithRetry(statements, transactional);
    } catch (const pg::PgException& e) {
        // A failed CREATE INDEX CONCURRENTLY leaves an INVALID index behind: do not leave it to the user.
        if (!transactional && !isConnectionLost(e, &m_conn)) {
            for (const Step& step : steps)
                dropInvalidLeftovers(step);
        }
        throw;
    }
    return outcomes;
}

void StepExecutor::runRollback(const Step& step)
{
    applySessionSettings();
    const QStringList statements = stepStatements(step.rollbackStatements, step.rollbackSql);
    if (!statements.isEmpty())
        runWithRetry(statements, step.transactional);
}

void StepExecutor::runWithRetry(const QStringList& planned, bool transactional)
{
    const LockWaitLadder ladder(m_options);
    const QVector<int> timeouts = plannedLockTimeouts(planned);
    auto withWait = [&](int waitMs) {
        QStringList statements = planned;
        for (int i : timeouts)
            statements[i] = QStringLiteral("SET lock_timeout = '%1ms'").arg(waitMs);
        return statements;
    };
    int first = 1;   // the first attempt that waits in line
    if (transactional && !timeouts.isEmpty() && m_options.freeMomentMs > 0) {
        if (const auto mode = strongestLockOn(planned, m_table)) {
            if (m_callbacks.attemptStarted)
                m_callbacks.attemptStarted(1);
            if (runAtFreeMoment(withWait(ladder.timeoutMs(1)), *mode))
                return;
            first = 2;
        }
    }
    for (int attempt = first;; ++attempt) {
        m_control.throwIfAborted();
        if (m_callbacks.attemptStarted)
            m_callbacks.attemptStarted(attempt);
        const int waitMs = ladder.timeoutMs(attempt - first + 1);
        const QStringList statements = withWait(waitMs);
        // Only brief-lock attempts are watched: what queues behind them is what the application pays.
        LockQueueWatch* watch = timeouts.isEmpty() ? nullptr : m_watch;
        if (watch)
            watch->begin(m_conn.backendPid());
        try {
            runOnce(statements, transactional);
            if (watch) {
                const AttemptCost cost = watch->end();
                if (cost.known && m_callbacks.event)
                    m_callbacks.event(QStringLiteral("lock-cost"), QStringLiteral("took its lock on attempt %1 (lock_timeout %2 ms); %3")
                                                                       .arg(attempt).arg(waitMs).arg(cost.sentence()));
            }
            return;
        } catch (const Aborted&) {
            if (watch)
                watch->end();
            rollbackQuietly();
            throw;
        } catch (const pg::PgException& e) {
            const AttemptCost cost = watch ? watch->end() : AttemptCost{};
            rollbackQuietly();
            if (isConnectionLost(e, &m_conn) || !isLockContention(e) || attempt >= m_options.maxAttempts)
                throw;
            if (m_callbacks.lockWait) {
                // What the attempt cost: sessions that queued behind the request waited at most its lock_timeout.
                pg::PgError error = e.error();
                if (error.sqlstate == QLatin1String("55P03") && !timeouts.isEmpty())
                    error.message = QStringLiteral("%1 (waited %2 ms, this attempt's lock_timeout: the application's "
                                                   "statements that queued behind it waited at most that%3)")
                                        .arg(error.message.trimmed()).arg(waitMs)
                                        .arg(cost.known ? QStringLiteral("; ") + cost.sentence() : QString());
                m_callbacks.lockWait(attempt, blockingSessions(), error);
            }
            if (!transactional) {
                // CONCURRENTLY that lost a deadlock leaves an INVALID index: drop it before trying again.
                QStringList leftovers;
                for (const QString& s : statements) {
                    for (const StatementFact& f : statementFacts(s)) {
                        if (f.kind == StatementFact::Kind::CreateIndex) {
                            auto r = m_conn.exec(pg::sqlResource(QStringLiteral("run_index_state")), {m_table, f.name});
                            if (r.rows() > 0 && r.value(0, "valid") != QLatin1String("t"))
                                leftovers << m_conn.quoteIdent(r.value(0, "schema")) + QLatin1Char('.') + m_conn.quoteIdent(f.name);
                        }
                    }
                }
                dropInvalidIndexes(leftovers);
            }
            m_control.sleepMs(ladder.delayMs(attempt - first + 1));
        }
    }
}

bool StepExecutor::runAtFreeMoment(const QStringList& statements, LockMode mode)
{
    const QString lock = lockNowaitStatement(m_table, mode);
    QElapsedTimer clock;
    clock.start();
    for (int tries = 1;; ++tries) {
        m_control.throwIfAborted();
        m_conn.exec(QStringLiteral("BEGIN"));
        try {
            m_conn.exec(lock);
        } catch (const pg::PgException& e) {
            rollbackQuietly();
            if (isConnectionLost(e, &m_conn))
                throw;
            if (e.error().sqlstate != QLatin1String("55P03")) {
                // e.g. a role that may run the DDL but not LOCK TABLE: the ladder still works.
                if (m_callbacks.event)
                    m_callbacks.event(QStringLiteral("free-moment"), QStringLiteral("%1 was refused (%2): waiting in line instead")
                                                                         .arg(lock, e.error().message.trimmed()));
                return false;
            }
            if (clock.elapsed() < m_options.freeMomentMs) {
                m_control.sleepMs(freeMomentPauseMs());
                continue;
            }
            if (m_callbacks.lockWait) {
                pg::PgError error = e.error();
                error.message = QStringLiteral("no free moment in %1 ms (%2 tries of LOCK ... NOWAIT, which never makes the "
                                               "application wait): waiting in line now, lock_timeout %3 ms first")
                                    .arg(m_options.freeMomentMs).arg(tries).arg(LockWaitLadder(m_options).timeoutMs(1));
                m_callbacks.lockWait(1, blockingSessions(), error);
            }
            return false;
        }
        // Held: from here what queues behind us waits for our own statements only.
        QElapsedTimer held;
        held.start();
        if (m_watch)
            m_watch->begin(m_conn.backendPid());
        try {
            // The commit's WAL flush would happen under the lock: flush after it instead (below).
            m_conn.exec(QStringLiteral("SET LOCAL synchronous_commit = off"));
            for (const QString& s : statements) {
                m_control.throwIfAborted();
                m_conn.exec(s);
            }
            m_conn.exec(QStringLiteral("COMMIT"));
        } catch (const Aborted&) {
            if (m_watch)
                m_watch->end();
            rollbackQuietly();
            throw;
        } catch (const pg::PgException& e) {
            if (m_watch)
                m_watch->end();
            rollbackQuietly();
            if (isConnectionLost(e, &m_conn) || !isLockContention(e))
                throw;
            if (m_callbacks.lockWait)   // another object's lock (e.g. a referenced table): the ladder goes on
                m_callbacks.lockWait(1, blockingSessions(), e.error());
            return false;
        }
        const qint64 heldMs = held.elapsed();
        const AttemptCost cost = m_watch ? m_watch->end() : AttemptCost{};
        flushCommits();
        if (m_callbacks.event)
            m_callbacks.event(QStringLiteral("lock-cost"), QStringLiteral("took its lock at a free moment (LOCK ... NOWAIT, try %1 "
                                                                          "after %2 ms: nothing queued behind a waiting request) and "
                                                                          "held it %3 ms%4")
                                                               .arg(tries).arg(clock.elapsed() - held.elapsed()).arg(heldMs)
                                                               .arg(cost.known ? QStringLiteral("; ") + cost.sentence() : QString()));
        return true;
    }
}

void StepExecutor::runOnce(const QStringList& statements, bool transactional)
{
    if (transactional)
        m_conn.exec(QStringLiteral("BEGIN"));
    for (const QString& s : statements) {
        m_control.throwIfAborted();
        m_conn.exec(s);
    }
    if (transactional)
        m_conn.exec(QStringLiteral("COMMIT"));
}

QVector<int> StepExecutor::plannedLockTimeouts(const QStringList& statements)
{
    // The plan says SET lock_timeout = '<planned>'; the run's ladder wins. A planned 0 stays 0: it marks
    // statements that wait without blocking traffic (VALIDATE, CONCURRENTLY).
    QVector<int> out;
    for (int i = 0; i < statements.size(); ++i) {
        const QVector<StatementFact> facts = statementFacts(statements[i]);
        if (facts.size() == 1 && facts.first().kind == StatementFact::Kind::SetLockTimeout
            && facts.first().detail != QLatin1String("0"))
            out << i;
    }
    return out;
}

void StepExecutor::dropInvalidIndexes(const QStringList& qualifiedNames)
{
    for (const QString& name : qualifiedNames) {
        if (m_callbacks.event)
            m_callbacks.event(QStringLiteral("invalid-index-dropped"),
                              QStringLiteral("dropping %1, left INVALID by a failed concurrent build").arg(name));
        m_conn.exec(QStringLiteral("SET lock_timeout = 0"));
        m_conn.exec(QStringLiteral("DROP INDEX CONCURRENTLY IF EXISTS %1").arg(name));
        applySessionSettings();
    }
}

void StepExecutor::dropInvalidLeftovers(const Step& step)
{
    try {
        const StepEffectState state = stepEffectState(m_conn, m_table, step);
        dropInvalidIndexes(state.invalidIndexes);
    } catch (const pg::PgException&) {
        // The original error matters more than this cleanup; the next attempt checks again.
    }
}

void StepExecutor::rollbackQuietly()
{
    if (!m_conn.isOk() || !m_conn.inTransaction())
        return;
    try {
        m_conn.exec(QStringLiteral("ROLLBACK"));
    } catch (const pg::PgException&) {
    }
}

void StepExecutor::flushCommits()
{
    // A transaction that gets an xid commits synchronously: WAL is flushed (and a synchronous standby has
    // confirmed it) up to its commit, so up to our earlier asynchronous one too. Only then is a step done.
    m_conn.exec(QStringLiteral("SELECT txid_current()"));
}

QVector<BlockingSession> StepExecutor::blockingSessions() { return run::blockingSessions(m_conn, m_table); }

} // namespace lockstep::run
