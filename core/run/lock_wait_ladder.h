// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// How long each attempt of a brief-lock statement (ADD COLUMN, a trigger, CHECK NOT VALID, SET NOT NULL,
// a drop) may wait for its lock. While it waits, every later transaction on the table queues behind it
// (PostgreSQL grants locks in order), so the wait is what the application pays: under pgbench's TPC-B at
// 200 tx/s a 1,000 ms lock_timeout needed 12 attempts and put p99 at 962 ms. So attempts start short
// (RunOptions::lockWaitStartMs, the application's latency budget), retry fast with jitter, and the wait
// doubles only every few failures, up to the run's lock_timeout. (Starting from the age of the
// transactions then on the table was tried: one long reader made the first wait long -- bench_brief_locks
// saw 91 ms queues -- so the start is the budget alone.)
#include "core/run/run_types.h"

namespace lockstep::run {

class LockWaitLadder {
public:
    explicit LockWaitLadder(const RunOptions& options);

    // lock_timeout of attempt `attempt` (1, 2, ...), never above RunOptions::lockTimeoutMs.
    int timeoutMs(int attempt) const;
    // The pause before attempt `attempt` + 1: short and jittered while the waits are short (a free moment
    // comes soon under steady traffic), the usual exponential backoff once they are long.
    int delayMs(int attempt) const;
    int startMs() const { return m_startMs; }

private:
    RunOptions m_options;
    int m_startMs;
};

} // namespace lockstep::run
