// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/pg/connection.h"
#include "core/plan/lock_mode.h"
#include "core/plan/plan.h"

#include <QString>
#include <QStringList>
#include <QVector>
#include <optional>

namespace lockstep::preview {

// One lock a step's backend held on a relation, as pg_locks shows it.
struct ObservedLock {
    QString relation;   // "schema.name" (regclass text)
    LockMode mode = LockMode::AccessShare;
    bool granted = true;        // false: the request waited for another session's lock and was never granted
    bool fromProbe = false;     // seen only when the step's statements were tried alone from a clean start
};

// What a transactional step actually did when tried inside BEGIN ... ROLLBACK on the connected server.
struct StepObservation {
    QString stepId;
    bool observed = false;              // false: not tried (see skippedReason)
    QString skippedReason;              // e.g. "runs outside a transaction (CONCURRENTLY)"
    std::optional<LockMode> predictedLock;
    std::optional<LockMode> observedLock;   // strongest lock the step took on the changed table
    QVector<ObservedLock> locks;        // every lock the step took (new since the step began)
    bool predictedRewrite = false;
    std::optional<bool> observedRewrite;    // relfilenode changed; unknown when the step failed
    QString error;                      // the server's message when the step failed (locks still observed)
    QString sqlstate;
    // The step failed after an earlier step could not be replayed (a backfill skipped on a big table, a replay
    // that failed): the failure is that step's missing effect, not the step's own -- "needs the backfill".
    // Empty when the step ran after a full replay, or did not fail. Such a step counts as not tried.
    QString needs;
    bool matches = true;                // observedLock == predictedLock and observedRewrite (when known) == predictedRewrite
    // What happened to the earlier steps replayed before this one (a replay that failed and was rolled back to
    // its savepoint, a backfill skipped on a big table, ...): the reason when this step then fails.
    QStringList notes;
    qint64 elapsedMs = 0;               // the step's own statements, lock waits included
    // The strongest mode the replayed earlier steps already held on the table when the step ran (none for
    // the first step). The step's own request of that mode cannot show in pg_locks after them, which is why
    // its statements are also tried alone first (see observeLocks).
    std::optional<LockMode> heldByReplay;
};

struct PreviewOptions {
    int lockTimeoutMs = 500;            // SET LOCAL in every preview transaction (at least 1 ms: 0 would wait forever)
    int statementTimeoutMs = 5000;
    // An earlier backfill is replayed as one UPDATE only on tables estimated at most this big; on bigger ones it
    // is skipped (noted), and a later VALIDATE or SET NOT NULL of the new column may then fail.
    qint64 backfillReplayMaxRows = 100000;
    // How long a statement tried alone (the lock probe) waits on the preview's own blocking lock, so that
    // its request is read from pg_locks while it waits; at least 50 ms.
    int probeWaitMs = 200;
};

// Tries every transactional step of `plan` on `conn` inside BEGIN ... ROLLBACK (earlier steps replayed first
// in the same transaction so each step meets the state it expects); never commits. Throws PgException with
// a clear message on a server in recovery (SQLSTATE 25006), when `conn` is already inside a transaction
// (25001), and for server trouble. Opens a second connection with `conn`'s parameters (the observer) that
// reads pg_locks for `conn`'s backend. PostgreSQL shows one row per mode a transaction holds, so a mode
// the replayed steps already hold on a relation does not show up again when the step takes it; and a
// statement that fails releases its locks at once. So each step's statements are first tried alone from a
// clean start inside a savepoint that is rolled back (the probe), while the observer holds SHARE UPDATE
// EXCLUSIVE on the table for a moment (`probeWaitMs`): a request of that mode or stronger waits and is read
// while it waits, even when the statement then fails for want of what earlier steps make. The observer's
// lock blocks no reads or writes of other sessions. `locks` is what the probe saw plus what is new after
// the step ran after the replay. Blocks: call it off the GUI thread.
QVector<StepObservation> observeLocks(pg::Connection& conn, const Plan& plan,
                                      const PreviewOptions& options = {});

} // namespace lockstep::preview
