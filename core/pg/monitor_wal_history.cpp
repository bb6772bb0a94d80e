// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/pg/monitor_wal_history.h"

#include <algorithm>

namespace lockstep::pg {

std::optional<quint64> WalPositionHistory::parseLsn(const QString& text)
{
    const int slash = text.indexOf(QLatin1Char('/'));
    if (slash <= 0 || slash == text.size() - 1)
        return std::nullopt;
    bool okHigh = false;
    bool okLow = false;
    const quint64 high = text.left(slash).toULongLong(&okHigh, 16);
    const quint64 low = text.mid(slash + 1).toULongLong(&okLow, 16);
    if (!okHigh || !okLow || high > 0xFFFFFFFFull || low > 0xFFFFFFFFull)
        return std::nullopt;
    return (high << 32) | low;
}

void WalPositionHistory::add(qint64 ms, quint64 lsn)
{
    if (!m_entries.empty() && lsn < m_entries.back().lsn)
        m_entries.clear();
    // While the position stands still only the first tick at it (the end of the previous write) and the
    // latest one (the last moment nothing newer existed) matter: keep a quiet hour in two entries.
    const size_t n = m_entries.size();
    if (n >= 2 && m_entries[n - 1].lsn == lsn && m_entries[n - 2].lsn == lsn) {
        m_entries.back().ms = ms;
        return;
    }
    m_entries.push_back(Entry{ms, lsn});
    while (static_cast<int>(m_entries.size()) > m_maxEntries)
        m_entries.pop_front();
}

double WalPositionHistory::secondsBehind(quint64 lsn, qint64 nowMs, bool* beyondHistory) const
{
    if (beyondHistory)
        *beyondHistory = false;
    if (m_entries.empty() || lsn >= m_entries.back().lsn)
        return 0;
    // b: the first tick at which the primary was past `lsn`.
    const auto b = std::upper_bound(m_entries.begin(), m_entries.end(), lsn,
                                    [](quint64 value, const Entry& e) { return value < e.lsn; });
    double writtenAtMs = 0;
    if (b == m_entries.begin()) {
        if (beyondHistory)
            *beyondHistory = true;
        writtenAtMs = static_cast<double>(b->ms);
    } else {
        const auto a = b - 1;   // the last tick at which the primary was at or before `lsn`
        const double fraction = static_cast<double>(lsn - a->lsn) / static_cast<double>(b->lsn - a->lsn);
        writtenAtMs = static_cast<double>(a->ms) + fraction * static_cast<double>(b->ms - a->ms);
    }
    return std::max(0.0, (static_cast<double>(nowMs) - writtenAtMs) / 1000.0);
}

} // namespace lockstep::pg
