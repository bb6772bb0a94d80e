// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>
#include <QtGlobal>
#include <deque>
#include <utility>

namespace lockstep::run {

// Decides how hard the backfill may push, from the writing transactions of other sessions. Alone on the
// server it runs at the user's batch target (throughput close to one UPDATE). When others write, every
// batch hurts them twice: their UPDATE of a row inside our open batch waits for our commit, and their
// commit must flush all the WAL our batch wrote before it. So while others write at least kBusyWritesPerSecond,
// the pacer caps the batch time at kSharingBatchMs (short row-lock holds) and pauses after each batch for
// kSharingPauseRatio times its duration (WAL, CPU and disk left to them).
// Fed the server's next transaction id between batches (run_next_xid.sql); our own batches each use one.
class TrafficPacer {
public:
    static constexpr double kBusyWritesPerSecond = 10;
    // Measured with bench_traffic (400 tx/s on 1M rows): 25 ms batches gave the workload 1.9x its p99,
    // 10 ms batches with a half-as-long pause 1.0-1.3x, at about 85 % of the speed of 1000-row batches.
    static constexpr int kSharingBatchMs = 10;
    static constexpr double kSharingPauseRatio = 0.5;
    static constexpr qint64 kMinWindowMs = 250;    // shorter than this, a rate is noise
    static constexpr qint64 kMaxWindowMs = 3000;   // older samples no longer describe the traffic

    explicit TrafficPacer(bool enabled = true) : m_enabled(enabled) {}

    // A sample at monotonic time `nowMs`: the next xid, and how many transaction ids our own statements
    // used since the previous sample (the batches' UPDATEs).
    void sample(qint64 nowMs, quint64 nextXid, qint64 ownTransactions);

    bool sharing() const { return m_sharing; }
    double othersWritesPerSecond() const { return m_othersRate; }
    // The batch time to aim at given the user's target.
    int targetBatchMs(int userTargetMs) const;
    // How long to leave the server to others after a batch that took `batchMs`.
    int pauseAfterBatchMs(qint64 batchMs) const;
    // Why the backfill goes slower than it could; empty when it does not.
    QString reason() const;

private:
    bool m_enabled;
    bool m_sharing = false;
    double m_othersRate = 0;
    std::deque<std::pair<qint64, qint64>> m_window;   // (time ms, others' transactions so far)
    quint64 m_lastXid = 0;
    qint64 m_others = 0;
    bool m_started = false;
};

} // namespace lockstep::run
