// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QMetaType>
#include <QString>
#include <QVector>

namespace lockstep::run {

struct RunOptions {
    int lockTimeoutMs = 1000;      // the longest lock_timeout of a DDL statement that takes a lock traffic waits behind
    int lockWaitStartMs = 20;      // the first attempts' lock_timeout (LockWaitLadder); >= lockTimeoutMs: fixed
    int freeMomentMs = 2000;       // brief-lock steps first try LOCK ... NOWAIT this long (free_moment.h); 0: wait in line at once
    int maxAttempts = 30;          // per step (and per backfill batch) on lock_timeout / deadlock
    int targetBatchMs = 300;       // the backfill's batch size adapts toward this batch time
    int maxRowsPerSecond = 0;      // backfill rate cap, 0 = none
    int reconnectSeconds = 60;     // how long a lost connection is retried before the run fails
    int backoffBaseMs = 100;       // retry delay: base * 2^attempt with jitter, capped
    int backoffCapMs = 5000;
    bool yieldToTraffic = true;    // short batches and pauses while other sessions write (TrafficPacer)
    bool combineBriefSteps = true; // neighbouring brief catalog-only steps under one lock request (lock_groups.h)
};

// A session holding (or waiting in front of) the lock one of our statements needs.
struct BlockingSession {
    int pid = 0;
    QString user;
    QString state;                 // pg_stat_activity.state: "idle in transaction", "active", ...
    QString query;                 // its current or last statement
    double ageSeconds = 0;         // since its transaction (or query) started
    QString lockModes;             // the locks it holds on the table, e.g. "AccessShareLock"
};

// The backfill's figures, emitted after every batch and while throttled.
struct Progress {
    int stepIndex = -1;
    qint64 rowsDone = 0;
    qint64 rowsTotal = 0;          // estimate; never below rowsDone
    double rowsPerSecond = 0;      // over the last 10 s
    double etaSeconds = -1;        // -1: unknown
    int batchRows = 0;             // the current batch size (keys per batch)
    int lastBatchMs = 0;
    qint64 batches = 0;
    QString throttleReason;        // empty while running at full speed
    QString pace;                  // non-empty while the backfill yields to other sessions' writes (still running)
    // Rows whose value the expression could not compute (an application write through the sync trigger, or a
    // row the walk met), left NULL and recorded; the switch waits until they are fixed. Sample: "key ...: error".
    qint64 rowsFailed = 0;
    QString failedSample;

    double percent() const { return rowsTotal > 0 ? qMin(100.0, 100.0 * double(rowsDone) / double(rowsTotal)) : 0.0; }
};

// Makes the types above usable in queued signal connections (call once, any thread; idempotent).
void registerRunMetaTypes();

} // namespace lockstep::run

Q_DECLARE_METATYPE(lockstep::run::BlockingSession)
Q_DECLARE_METATYPE(lockstep::run::Progress)
