// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/pg/connection.h"
#include "core/plan/step.h"
#include "core/run/batch_sizer.h"
#include "core/run/run_control.h"
#include "core/run/run_types.h"
#include "core/run/traffic_pacer.h"
#include "core/store/journal.h"

#include <QElapsedTimer>
#include <QPair>
#include <QVector>
#include <deque>
#include <optional>
#include <functional>

namespace lockstep::run {

// Executes a BackfillSpec: find the next batch's upper key (boundary query), UPDATE the rows up to it that
// still match the spec's filter, commit, checkpoint (last key, rows done, batches) in the journal, repeat.
// Starts from the journal's checkpoint, so a new Backfill on the same run and step resumes. One
// transaction per batch; a batch that hits lock_timeout or a deadlock is retried with backoff. The batch
// size adapts toward RunControl::targetBatchMs, or toward TrafficPacer's shorter target (with pauses) while
// other sessions write. Alone on the server, batches commit without waiting for their WAL to reach disk
// (synchronous_commit off; the session's own setting while others write, and after the walk): a batch's checkpoint is journaled
// once the server's flushed WAL has passed it, so after a server crash the walk resumes at a batch that is
// on disk and redoes the few after it (the filter makes that harmless). Throws pg::PgException
// (connection lost, or retries exhausted) and Aborted.
class Backfill {
public:
    struct Callbacks {
        std::function<void(const Progress&)> progress;
        // Non-empty reason: the backfill holds (paused, rate cap, the throttle hook); empty: running again.
        std::function<void(const QString& reason)> throttled;
        std::function<void(int attempt, const QVector<BlockingSession>&, const pg::PgError&)> lockWait;
        std::function<void(const QString& kind, const QString& message)> event;   // for the run's journal
    };

    Backfill(pg::Connection& conn, store::Journal& journal, qint64 runId, int stepIndex, BackfillSpec spec,
             QString table, const RunOptions& options, const RunControl& control, Callbacks callbacks);

    void run();
    const Progress& progress() const { return m_progress; }

private:
    void walk();
    // session_replication_role = replica for the walk when the plan's spec says so (on), back after (off).
    void silenceTriggers(bool on);
    void loadCheckpoint();
    void estimateTotal();
    void waitWhileThrottled();
    // One batch, retried on lock contention; returns false when the walk is complete.
    bool keyedBatch();
    bool pageBatch();
    // `safeSql`: the same batch through the value function, run when `sql` fails on a value (empty: none).
    qint64 executeBatch(const QString& sql, const QString& safeSql, const QVariantList& params);
    void finishBatch(qint64 rows, double elapsedMs);
    // Journals the newest checkpoint whose batch's WAL is on disk (below `flushed`).
    void journalDurableCheckpoints(qint64 flushed);
    // Asynchronous commits alone on the server, the session's own mode while sharing it.
    void applyCommitMode();
    // Commits are synchronous again and everything before is on disk: journals the last checkpoint.
    void endAsyncCommits();
    std::optional<qint64> steppedUpper(int size) const;
    void limitBatchToRateCap();
    void applyRateCap(qint64 rows, double elapsedMs);
    void samplePacer(quint64 nextXid);
    void yieldToOthers(double elapsedMs);
    // `pacedMs`: a rate-cap sleep about to start; no rows are written during it, so the rate is measured to
    // its end (else the rows/s shown before each sleep is the burst's, above the cap).
    void emitProgress(double pacedMs = 0);
    // Reads the rows recorded as failing (at most once a second unless `now`); a new count is journaled.
    void checkFailedRows(bool now = false);

    pg::Connection& m_conn;
    store::Journal& m_journal;
    qint64 m_runId;
    int m_stepIndex;
    BackfillSpec m_spec;
    QString m_table;
    const RunOptions& m_options;
    const RunControl& m_control;
    Callbacks m_callbacks;

    BatchSizer m_sizer;
    TrafficPacer m_pacer;
    qint64 m_ownXids = 0;           // transaction ids our UPDATEs used since the pacer's last sample
    QStringList m_lastKey;          // keyed: last key done; pages: the next page to do
    qint64 m_pages = -1;            // pages: the walk's end
    std::optional<qint64> m_maxKey; // one integer key: its largest value when the walk started
    bool m_stepKeys = false;        // the last batch was dense: the next one steps the key by its size
    Progress m_progress;
    QElapsedTimer m_clock;
    qint64 m_failedCheckedAt = -1;   // m_clock ms of the last failed-rows check
    std::deque<QPair<qint64, qint64>> m_window;   // (ms, rows done) over the last 10 s
    QString m_throttle;
    QString m_sessionSyncCommit;                                  // the session's synchronous_commit before the walk
    QString m_commitMode;                                         // the one set now
    std::deque<std::pair<qint64, store::Checkpoint>> m_unflushed;   // (WAL position after the batch, its checkpoint)
};

} // namespace lockstep::run
