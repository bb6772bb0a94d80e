// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/run/traffic_pacer.h"

namespace lockstep::run {

void TrafficPacer::sample(qint64 nowMs, quint64 nextXid, qint64 ownTransactions)
{
    if (!m_enabled)
        return;
    if (m_started && nextXid >= m_lastXid)
        m_others += qMax<qint64>(0, qint64(nextXid - m_lastXid) - ownTransactions);
    m_started = true;
    m_lastXid = nextXid;
    m_window.emplace_back(nowMs, m_others);
    while (m_window.size() > 2 && nowMs - m_window[1].first >= kMaxWindowMs)
        m_window.pop_front();
    const qint64 spanMs = nowMs - m_window.front().first;
    if (spanMs < kMinWindowMs)
        return;   // keep the previous verdict until the window says something
    m_decided = true;
    m_othersRate = double(m_others - m_window.front().second) * 1000.0 / double(spanMs);
    m_sharing = m_othersRate >= kBusyWritesPerSecond;
}

double TrafficPacer::targetBatchMs(int userTargetMs) const
{
    return yielding() ? qMin(double(userTargetMs), kSharingBatchMs) : double(userTargetMs);
}

double TrafficPacer::pauseAfterBatchMs(double batchMs) const
{
    return yielding() ? batchMs * kSharingPauseRatio : 0.0;
}

QString TrafficPacer::reason() const
{
    if (!m_sharing)
        return {};
    return QStringLiteral("sharing the server with %1 writes/s of other sessions: short batches, pauses between them")
        .arg(qRound(m_othersRate));
}

} // namespace lockstep::run
