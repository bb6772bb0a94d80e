// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace lockstep::run {

// Steers the backfill's batch size toward a target batch time: grows at most 4x per batch while a batch
// takes at most a quarter of the target, 1.5x nearer to it (a batch that suddenly hits a slow region must
// not have been made huge), shrinks proportionally, and at once when a batch took 5x the target or more.
// Bounds 100..100,000 rows, start 1000.
class BatchSizer {
public:
    static constexpr int kMin = 100;
    static constexpr int kMax = 100000;
    static constexpr int kStart = 1000;

    explicit BatchSizer(int start = kStart);
    int size() const { return m_size; }
    // A batch of `size()` keys took `elapsedMs`; the next size aims at `targetMs`.
    void record(double elapsedMs, double targetMs);
    // No bigger than `rows` (not below kMin): under a rate cap a batch holds at most what the cap allows in
    // one target batch time, so the rows go out evenly instead of one huge batch and a long sleep.
    void limitTo(int rows);

private:
    int m_size;
};

} // namespace lockstep::run
