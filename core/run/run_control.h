// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/run/run_types.h"

#include <atomic>
#include <functional>
#include <optional>

namespace lockstep::run {

// Thrown out of a step or a batch when the user aborted: the run stops where it is, resumable.
struct Aborted {};

// The knobs other threads turn while a run is going: every member is safe to use from any thread.
class RunControl {
public:
    explicit RunControl(const RunOptions& options)
        : m_targetBatchMs(options.targetBatchMs), m_maxRowsPerSecond(options.maxRowsPerSecond) {}

    void pause() { m_paused = true; }
    void resume() { m_paused = false; }
    bool isPaused() const { return m_paused; }
    void abort() { m_aborted = true; }
    bool isAborted() const { return m_aborted; }
    void clearAbort() { m_aborted = false; }
    // Stop at the next safe point: the running statement finishes, the run stops between batches or steps
    // (or in any wait) as after abort(), without cancelling anything.
    void stopAtSafePoint() { m_stopRequested = true; }
    bool isStopRequested() const { return m_stopRequested; }

    void setTargetBatchMs(int ms) { m_targetBatchMs = qBound(10, ms, 600000); }
    int targetBatchMs() const { return m_targetBatchMs; }
    void setMaxRowsPerSecond(int rows) { m_maxRowsPerSecond = qMax(0, rows); }
    int maxRowsPerSecond() const { return m_maxRowsPerSecond; }

    // Sleeps `ms` in short slices; throws Aborted as soon as abort() is called.
    void sleepMs(int ms) const;
    void sleepUs(qint64 us) const;   // the same to the microsecond (the pacer's sub-millisecond pauses)
    void throwIfAborted() const
    {
        if (m_aborted || m_stopRequested)
            throw Aborted{};
    }

    // Set before the run starts (not thread-safe to change later): a reason to hold the backfill, e.g.
    // replica lag from the Monitor. Called between batches.
    std::function<std::optional<QString>()> throttleHook;

private:
    std::atomic<bool> m_paused{false};
    std::atomic<bool> m_aborted{false};
    std::atomic<bool> m_stopRequested{false};
    std::atomic<int> m_targetBatchMs;
    std::atomic<int> m_maxRowsPerSecond;
};

} // namespace lockstep::run
