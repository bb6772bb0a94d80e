// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/run/lock_wait_ladder.h"

#include "core/run/retry_policy.h"

#include <QRandomGenerator>
#include <QtGlobal>

namespace lockstep::run {

namespace {
constexpr int kAttemptsPerRung = 3;   // failures at one wait before it doubles
}

LockWaitLadder::LockWaitLadder(const RunOptions& options)
    : m_options(options), m_startMs(qBound(1, options.lockWaitStartMs, qMax(1, options.lockTimeoutMs)))
{
}

int LockWaitLadder::timeoutMs(int attempt) const
{
    const int rung = qBound(0, (attempt - 1) / kAttemptsPerRung, 20);
    return int(qMin<qint64>(qMax(1, m_options.lockTimeoutMs), qint64(m_startMs) << rung));
}

int LockWaitLadder::delayMs(int attempt) const
{
    const int wait = timeoutMs(attempt);
    if (wait * 4 < qMax(1, m_options.lockTimeoutMs)) {
        // 1-3 times the wait, at least 10 ms: other transactions get through between two attempts.
        const int base = qMax(10, wait);
        return base + int(QRandomGenerator::global()->bounded(2 * base + 1));
    }
    return backoffDelayMs(attempt, m_options.backoffBaseMs, m_options.backoffCapMs);
}

} // namespace lockstep::run
