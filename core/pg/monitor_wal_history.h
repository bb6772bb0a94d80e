// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>
#include <QtGlobal>

#include <deque>
#include <optional>

namespace lockstep::pg {

// The primary's WAL position over time, one entry per Monitor tick, used to turn a replica's LSN into
// seconds of lag. Why not pg_stat_replication's *_lag columns: they are NULL or stale while idle and do
// not grow while replay is paused and no new WAL arrives, so a paused replica looks healthy.
//
// The method: a replica at LSN R holds everything up to R, and lacks the WAL written after it. We look up
// the last tick at which the primary was still at or before R (a) and the first one past R (b); the WAL
// right after R was written between them, at a time interpolated linearly between a and b by position.
// The lag is now minus that time: the age of the oldest WAL the replica lacks. It keeps growing while the
// replica stands still, however quiet the primary is, and it is 0 when the replica holds everything.
// Its resolution is one tick (it can be up to one tick high after a burst following an idle period,
// which errs towards throttling). If R is older than the whole history, the result is the history's age,
// a lower bound, and `beyondHistory` says so.
class WalPositionHistory {
public:
    explicit WalPositionHistory(int maxEntries = 1200) : m_maxEntries(maxEntries) {}

    // "16/B374D848" → its 64-bit position; nullopt if it is not an LSN.
    static std::optional<quint64> parseLsn(const QString& text);

    // The primary was at `lsn` at `ms` (a monotonic clock, milliseconds). A position going backwards
    // (another server, a promoted standby) starts the history over.
    void add(qint64 ms, quint64 lsn);
    void clear() { m_entries.clear(); }
    int size() const { return static_cast<int>(m_entries.size()); }

    // Seconds since the primary first went past `lsn`, as of `nowMs`; 0 when `lsn` is at or past the
    // latest position recorded (or nothing is recorded).
    double secondsBehind(quint64 lsn, qint64 nowMs, bool* beyondHistory = nullptr) const;

private:
    struct Entry {
        qint64 ms;
        quint64 lsn;
    };
    std::deque<Entry> m_entries;    // lsn never decreases along the deque
    int m_maxEntries;
};

} // namespace lockstep::pg
