// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/run/backfill.h"

#include "core/plan/lock_risk.h"
#include "core/run/blocking_sessions.h"
#include "core/run/retry_policy.h"
#include "core/run/switch_verification.h"

#include <cmath>
#include <optional>

namespace lockstep::run {

namespace {
// Above this many rows a count(*) of the remaining rows at start costs too much: use the statistics
// (bench_backfill: the count was 165 ms of a 5.5 s backfill of 1M rows, 3 % of the runner's time).
constexpr qint64 kExactCountRows = 200000;
constexpr qint64 kRateWindowMs = 10000;

QVariantList toParams(const QStringList& values)
{
    QVariantList out;
    for (const QString& v : values)
        out << v;
    return out;
}
} // namespace

Backfill::Backfill(pg::Connection& conn, store::Journal& journal, qint64 runId, int stepIndex, BackfillSpec spec,
                   QString table, const RunOptions& options, const RunControl& control, Callbacks callbacks)
    : m_conn(conn), m_journal(journal), m_runId(runId), m_stepIndex(stepIndex), m_spec(std::move(spec)),
      m_table(m_spec.table.isEmpty() ? std::move(table) : m_spec.table), m_options(options), m_control(control), m_callbacks(std::move(callbacks)),
      m_pacer(options.yieldToTraffic)
{
    m_progress.stepIndex = stepIndex;
}

void Backfill::run()
{
    m_clock.start();
    loadCheckpoint();
    estimateTotal();
    // Alone on the server, waiting for every batch's commit to reach disk cost 6-14 ms a batch (the WAL the
    // walwriter had not flushed yet), about 3 % of the walk: batches commit asynchronously (applyCommitMode).
    m_sessionSyncCommit = m_conn.exec(QStringLiteral("SELECT current_setting('synchronous_commit')")).value(0, 0);
    m_commitMode = m_sessionSyncCommit;
    silenceTriggers(true);
    try {
        walk();
    } catch (...) {
        try {
            silenceTriggers(false);
        } catch (const pg::PgException&) {
        }
        // Stopped by the user or a lock: the server still answers, so the last batch is made durable and
        // journaled. Connection or server lost: this fails too, and the unjournaled batches are redone on resume.
        try {
            endAsyncCommits();
        } catch (const pg::PgException&) {
        }
        throw;
    }
    endAsyncCommits();
    silenceTriggers(false);
    checkFailedRows(true);
    m_progress.rowsTotal = m_progress.rowsDone;   // the walk is complete: whatever was done is 100 %
    m_progress.etaSeconds = 0;
    emitProgress();
}

void Backfill::silenceTriggers(bool on)
{
    // The plan says so when the table has triggers an UPDATE of the new column fires and the planning role
    // could keep them quiet; a role that may not (another one runs the plan) fails here, before any batch.
    if (!m_spec.silenceTriggers)
        return;
    if (!on) {
        m_conn.exec(QStringLiteral("RESET session_replication_role"));
        return;
    }
    try {
        m_conn.exec(QStringLiteral("SET session_replication_role = replica"));
    } catch (const pg::PgException& e) {
        pg::PgError error = e.error();
        error.message = QStringLiteral("the plan keeps the table's triggers (%1) from firing on the backfill's updates, "
                                       "but this role may not SET session_replication_role: %2")
                            .arg(m_spec.applicationTriggers.join(QStringLiteral(", ")), error.message);
        error.hint = QStringLiteral("Plan the change again as this role (the backfill then fires them), or GRANT SET ON "
                                    "PARAMETER session_replication_role to it (PostgreSQL 15+).");
        throw pg::PgException(error);
    }
}

void Backfill::walk()
{
    const bool pages = m_spec.keyKind == QLatin1String("ctid");
    if (pages)
        m_pages = m_conn.exec(m_spec.firstBoundarySql).value(0, 0).toLongLong();
    if (!pages && !m_spec.lastKeySql.isEmpty()) {
        bool ok = false;
        const qint64 last = m_conn.exec(m_spec.lastKeySql).value(0, 0).toLongLong(&ok);
        if (ok)
            m_maxKey = last;
    }
    m_window.push_back({0, m_progress.rowsDone});
    if (m_options.yieldToTraffic)
        samplePacer(m_conn.exec(pg::sqlResource(QStringLiteral("run_wal_positions"))).value(0, 2).toULongLong());
    applyCommitMode();
    emitProgress();
    while (true) {
        m_control.throwIfAborted();
        waitWhileThrottled();
        limitBatchToRateCap();   // the cap may have changed while paused or throttled
        if (!(pages ? pageBatch() : keyedBatch()))
            break;
    }
}

void Backfill::applyCommitMode()
{
    // Sharing the server, the flush wait is welcome: it is a pause of the batches that costs no CPU, and
    // our commits flush our WAL instead of leaving it to the application's commits (bench_traffic: with
    // asynchronous commits while yielding, the workload's p99 went from 3.8x to 4.6x its baseline).
    const QString mode = m_pacer.sharing() ? m_sessionSyncCommit : QStringLiteral("off");
    if (mode == m_commitMode)
        return;
    m_conn.exec(QStringLiteral("SELECT set_config('synchronous_commit', $1, false)"), {mode});
    m_commitMode = mode;
}

void Backfill::endAsyncCommits()
{
    if (m_commitMode != m_sessionSyncCommit)
        m_conn.exec(QStringLiteral("SELECT set_config('synchronous_commit', $1, false)"), {m_sessionSyncCommit});
    m_commitMode = m_sessionSyncCommit;
    // A transaction with an id commits with a flush, and the WAL before its commit record goes with it.
    m_conn.exec(QStringLiteral("SELECT txid_current()"));
    ++m_ownXids;
    if (!m_unflushed.empty()) {
        m_journal.saveCheckpoint(m_unflushed.back().second);
        m_unflushed.clear();
    }
}

void Backfill::journalDurableCheckpoints(qint64 flushed)
{
    std::optional<store::Checkpoint> durable;
    while (!m_unflushed.empty() && m_unflushed.front().first <= flushed) {
        durable = m_unflushed.front().second;
        m_unflushed.pop_front();
    }
    if (durable)
        m_journal.saveCheckpoint(*durable);
}

void Backfill::loadCheckpoint()
{
    if (const auto cp = m_journal.checkpoint(m_runId, m_stepIndex)) {
        m_lastKey = cp->lastKey;
        m_progress.rowsDone = cp->rowsDone;
        m_progress.batches = cp->batches;
    }
}

void Backfill::estimateTotal()
{
    const qint64 estimate = m_conn.exec(pg::sqlResource(QStringLiteral("run_row_estimate")), {m_table}).value(0, 0).toLongLong();
    qint64 remaining = estimate;
    if (estimate < kExactCountRows) {
        try {
            remaining = m_conn.exec(m_spec.remainingSql).value(0, 0).toLongLong();
        } catch (const pg::PgException& e) {
            if (!isValueError(e))   // a row the expression cannot compute: the walk deals with it; keep the estimate
                throw;
        }
    }
    m_progress.rowsTotal = m_progress.rowsDone + qMax<qint64>(0, remaining);
}

void Backfill::waitWhileThrottled()
{
    bool held = false;
    while (true) {
        m_control.throwIfAborted();
        std::optional<QString> reason;
        if (m_control.isPaused())
            reason = QStringLiteral("paused by the user");
        else if (m_control.throttleHook)
            reason = m_control.throttleHook();
        if (!reason)
            break;
        if (!held || m_throttle != *reason) {
            m_throttle = *reason;
            if (m_callbacks.throttled)
                m_callbacks.throttled(m_throttle);
            emitProgress();
        }
        held = true;
        m_control.sleepMs(100);
    }
    if (held) {
        m_throttle.clear();
        if (m_callbacks.throttled)
            m_callbacks.throttled({});
    }
}

std::optional<qint64> Backfill::steppedUpper(int size) const
{
    if (!m_stepKeys || !m_maxKey || m_lastKey.size() != 1)
        return std::nullopt;
    const qint64 lower = m_lastKey.first().toLongLong();
    if (lower >= *m_maxKey)
        return std::nullopt;   // rows inserted since the walk started: the boundary query finds them
    return lower + qMin<qint64>(size, *m_maxKey - lower);
}

bool Backfill::keyedBatch()
{
    const int size = m_sizer.size();
    QElapsedTimer t;
    t.start();
    const bool first = m_lastKey.isEmpty();
    // A unique integer key has at most `size` rows in (k, k + size]: in a dense run of keys the next upper
    // bound is plain arithmetic, and the boundary query's index scan (6-9 ms per 100,000 keys, 3 % of the
    // walk in bench_backfill) is saved. Where keys are sparse, the boundary query keeps batches full.
    const std::optional<qint64> stepped = steppedUpper(size);
    QStringList upper;
    if (stepped) {
        upper << QString::number(*stepped);
    } else {
        pg::Result bound = first ? m_conn.exec(m_spec.firstBoundarySql, {size})
                                 : m_conn.exec(m_spec.boundarySql, toParams(m_lastKey) << size);
        if (bound.rows() == 0)
            return false;
        for (int c = 0; c < bound.columns(); ++c)
            upper << bound.value(0, c);
    }
    const qint64 rows = first ? executeBatch(m_spec.firstBatchSql, m_spec.safeFirstBatchSql, toParams(upper))
                              : executeBatch(m_spec.batchSql, m_spec.safeBatchSql, toParams(m_lastKey) + toParams(upper));
    if (m_maxKey && !first) {
        // Keys per key unit: exactly `size` keys after a boundary query, at least the rows written after a step.
        const qint64 width = upper.first().toLongLong() - m_lastKey.first().toLongLong();
        m_stepKeys = width > 0 && 2 * (stepped ? rows : qint64(size)) >= width;
    }
    m_lastKey = upper;
    finishBatch(rows, double(t.nsecsElapsed()) / 1e6);
    return true;
}

bool Backfill::pageBatch()
{
    const qint64 from = m_lastKey.isEmpty() ? 0 : m_lastKey.first().toLongLong();
    if (from >= m_pages)
        return false;
    const double perPage = m_spec.rowsPerPage > 0 ? m_spec.rowsPerPage : 100.0;
    const qint64 span = qMax<qint64>(1, qint64(std::ceil(m_sizer.size() / perPage)));
    const qint64 to = qMin(m_pages, from + span);
    QElapsedTimer t;
    t.start();
    const qint64 rows = m_spec.batchSql.isEmpty() ? executeBatch(m_spec.firstBatchSql, m_spec.safeFirstBatchSql, {from, to})
                                                  : executeBatch(m_spec.batchSql, m_spec.safeBatchSql, {from, to});
    m_lastKey = QStringList{QString::number(to)};
    finishBatch(rows, double(t.nsecsElapsed()) / 1e6);
    return true;
}

qint64 Backfill::executeBatch(const QString& sql, const QString& safeSql, const QVariantList& params)
{
    // Autocommit: the UPDATE is its own transaction, so its row locks last one batch.
    for (int attempt = 1;; ++attempt) {
        ++m_ownXids;   // each attempt's UPDATE takes a transaction id (a failed one too, nearly always)
        try {
            return m_conn.exec(sql, params).affectedRows();
        } catch (const pg::PgException& e) {
            if (!safeSql.isEmpty() && isValueError(e)) {
                // A row the expression cannot compute (the plan-time proof sampled the table; this row was not
                // in the sample, or was written since): the batch again through the value function, which
                // leaves such rows NULL and records them for the failed-rows step before the constraints.
                if (m_callbacks.event)
                    m_callbacks.event(QStringLiteral("value-failed"),
                                      QStringLiteral("a batch met a row the expression cannot compute (%1); the batch "
                                                     "ran again leaving such rows NULL, recorded for the failed-rows step")
                                          .arg(e.error().message.trimmed()));
                return executeBatch(safeSql, QString(), params);
            }
            if (isConnectionLost(e, &m_conn) || !isLockContention(e) || attempt >= m_options.maxAttempts)
                throw;
            if (m_callbacks.lockWait)
                m_callbacks.lockWait(attempt, blockingSessions(m_conn, m_table), e.error());
            m_control.sleepMs(backoffDelayMs(attempt, m_options.backoffBaseMs, m_options.backoffCapMs));
        }
    }
}

void Backfill::finishBatch(qint64 rows, double elapsedMs)
{
    m_progress.rowsDone += rows;
    m_progress.batches += 1;
    m_progress.lastBatchMs = qMax(1, int(std::lround(elapsedMs)));   // 0 means "not measured" to the charts
    store::Checkpoint cp;
    cp.runId = m_runId;
    cp.stepIndex = m_stepIndex;
    cp.lastKey = m_lastKey;
    cp.rowsDone = m_progress.rowsDone;
    cp.batches = m_progress.batches;
    const pg::Result wal = m_conn.exec(pg::sqlResource(QStringLiteral("run_wal_positions")));
    m_unflushed.emplace_back(wal.value(0, 0).toLongLong(), cp);
    journalDurableCheckpoints(wal.value(0, 1).toLongLong());
    samplePacer(wal.value(0, 2).toULongLong());
    applyCommitMode();
    m_sizer.record(elapsedMs, m_pacer.targetBatchMs(m_control.targetBatchMs()));
    limitBatchToRateCap();
    applyRateCap(rows, elapsedMs);
    checkFailedRows();
    emitProgress();
    yieldToOthers(elapsedMs);
}

void Backfill::checkFailedRows(bool now)
{
    const qint64 at = m_clock.elapsed();
    if (m_spec.failedRowsSql.isEmpty() || (!now && m_failedCheckedAt >= 0 && at - m_failedCheckedAt < 1000))
        return;
    m_failedCheckedAt = at;
    QString sample;
    const qint64 failed = failedRows(m_conn, m_spec, &sample);
    if (failed != m_progress.rowsFailed && failed > 0 && m_callbacks.event)
        m_callbacks.event(QStringLiteral("value-failed"),
                          QStringLiteral("%1 row(s) could not compute %2, left NULL and recorded (the switch waits "
                                         "until they are fixed), e.g. %3").arg(failed).arg(m_spec.targetColumn, sample));
    m_progress.rowsFailed = failed;
    m_progress.failedSample = sample;
}

void Backfill::samplePacer(quint64 nextXid)
{
    if (!m_options.yieldToTraffic)
        return;
    m_pacer.sample(m_clock.elapsed(), nextXid, m_ownXids);
    m_ownXids = 0;
}

void Backfill::yieldToOthers(double elapsedMs)
{
    const double pause = m_pacer.pauseAfterBatchMs(elapsedMs);
    if (pause > 0)
        m_control.sleepUs(qint64(pause * 1000));
}

void Backfill::limitBatchToRateCap()
{
    // Under a cap a batch holds what the cap allows in one target batch time: the rows go out evenly and the
    // rate shown is the cap's, not a burst of one huge batch before a long sleep.
    if (const int cap = m_control.maxRowsPerSecond(); cap > 0)
        m_sizer.limitTo(int(qMin<qint64>(BatchSizer::kMax, qint64(cap) * qMax(1, m_control.targetBatchMs()) / 1000)));
}

void Backfill::applyRateCap(qint64 rows, double elapsedMs)
{
    const int cap = m_control.maxRowsPerSecond();
    if (cap <= 0 || rows <= 0)
        return;
    const double minMs = double(rows) * 1000.0 / cap;
    if (minMs <= elapsedMs)
        return;
    m_throttle = QStringLiteral("rate cap %1 rows/s").arg(groupedCount(cap));   // grouped, as every rate the window shows
    emitProgress(minMs - elapsedMs);
    m_control.sleepUs(qint64((minMs - elapsedMs) * 1000));
    m_throttle.clear();
}

void Backfill::emitProgress(double pacedMs)
{
    const qint64 now = m_clock.elapsed() + qint64(pacedMs);
    m_window.push_back({now, m_progress.rowsDone});
    // Keep one sample at or beyond the window's start as the baseline.
    while (m_window.size() > 2 && now - m_window[1].first >= kRateWindowMs)
        m_window.pop_front();
    const auto& oldest = m_window.front();
    const qint64 spanMs = now - oldest.first;
    m_progress.rowsPerSecond = spanMs > 0 ? double(m_progress.rowsDone - oldest.second) * 1000.0 / double(spanMs) : 0;
    m_progress.rowsTotal = qMax(m_progress.rowsTotal, m_progress.rowsDone);
    const qint64 left = m_progress.rowsTotal - m_progress.rowsDone;
    m_progress.etaSeconds = m_progress.rowsPerSecond > 0 ? double(left) / m_progress.rowsPerSecond : (left == 0 ? 0 : -1);
    m_progress.batchRows = m_sizer.size();
    m_progress.throttleReason = m_throttle;
    m_progress.pace = m_pacer.reason();
    if (m_callbacks.progress)
        m_callbacks.progress(m_progress);
}

} // namespace lockstep::run
