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
// Fed the server's next transaction id after every batch (run_wal_positions.sql); our own batches each use one.
class TrafficPacer {
public:
    static constexpr double kBusyWritesPerSecond = 10;
    // Measured with bench_traffic (400 tx/s on 1M rows, medians of 3, one session on one machine): the
    // workload's p99 against its no-migration p99 with batch ms / pause ratio 10/0.5 8.0x, 2/0.5 2.6x,
    // 2/1.5 2.7x, 2/3 2.6x, 1/2 2.1x, 1/4 1.7x (the same p99 as 1/2 against a slower baseline). The
    // batch's length counts more than the duty cycle: an UPDATE of a row in our open batch waits for it,
    // and so does a commit behind our batch's WAL. Later, batches timed to the microsecond (before, a
    // "1 ms" batch was 1-2 ms and one under 1 ms got no pause), p99 in ms, 4 rounds side by side:
    // 3 ms/2 3.2-3.4, 1/2 1.59-3.25 (median 1.76), 0.5/2 1.15-1.91 (1.79), 0.3/2 1.40-2.02 (1.60),
    // 0.5/3 1.64-1.74, against 1.08-1.25 without a migration in the quiet rounds. 0.5/2 fills 1M rows
    // in 20-34 s under that workload (0.5/3 in 38-40 s).
    static constexpr double kSharingBatchMs = 0.5;
    static constexpr double kSharingPauseRatio = 2.0;
    // Until the first window gives a verdict the walk yields as if others wrote: a walk that starts under
    // traffic does not first grow long batches (20 ms ones took a 200,000-row walk's p99 to 3.0x its
    // baseline, 1.7x with this start; 200 ms ones gave max latencies of 110-160 ms). The first verdict
    // comes after kMinWindowMs: 400 writes/s show ~20 writes in 50 ms, and a window without any says
    // "alone" (wrong only below ~20 writes/s, re-judged as the window grows), so a walk alone loses ~35 ms.
    static constexpr qint64 kMinWindowMs = 50;     // shorter than this, a rate is noise
    static constexpr qint64 kMaxWindowMs = 3000;   // older samples no longer describe the traffic

    explicit TrafficPacer(bool enabled = true) : m_enabled(enabled) {}

    // A sample at monotonic time `nowMs`: the next xid, and how many transaction ids our own statements
    // used since the previous sample (the batches' UPDATEs).
    void sample(qint64 nowMs, quint64 nextXid, qint64 ownTransactions);

    bool sharing() const { return m_sharing; }
    // Short batches and pauses: others write, or no verdict yet.
    bool yielding() const { return m_enabled && (m_sharing || !m_decided); }
    double othersWritesPerSecond() const { return m_othersRate; }
    // The batch time to aim at given the user's target (short until the first verdict).
    double targetBatchMs(int userTargetMs) const;
    // How long to leave the server to others after a batch that took `batchMs` (both to the microsecond:
    // a batch is about a millisecond while sharing).
    double pauseAfterBatchMs(double batchMs) const;
    // Why the backfill goes slower than it could; empty when it does not.
    QString reason() const;

private:
    bool m_enabled;
    bool m_sharing = false;
    bool m_decided = false;          // a window of kMinWindowMs has been seen
    double m_othersRate = 0;
    std::deque<std::pair<qint64, qint64>> m_window;   // (time ms, others' transactions so far)
    quint64 m_lastXid = 0;
    qint64 m_others = 0;
    bool m_started = false;
};

} // namespace lockstep::run
