// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/run/batch_sizer.h"

#include <QtGlobal>

namespace lockstep::run {

BatchSizer::BatchSizer(int start) : m_size(qBound(kMin, start, kMax)) {}

void BatchSizer::record(double elapsedMs, double targetMs)
{
    const double target = qMax(0.1, targetMs);
    const double elapsed = qMax(0.05, elapsedMs);   // an empty batch: do not divide by ~0
    const double ideal = double(m_size) * target / elapsed;
    double next;
    if (elapsed >= 5 * target)
        next = ideal;                                // far too slow: cut at once
    else if (ideal > m_size)
        // Bounded growth: 4x while a batch takes at most a quarter of the target (the next one should still
        // fit it), 1.5x near it. From 1,000 rows, 1.5x alone took 12 batches to reach 100,000 (bench_backfill).
        next = qMin(ideal, (4 * elapsed <= target ? 4.0 : 1.5) * m_size);
    else
        next = qMax(ideal, 0.5 * m_size);            // gentle shrink while near the target
    m_size = qBound(kMin, int(next), kMax);
}

void BatchSizer::limitTo(int rows)
{
    m_size = qBound(kMin, qMin(m_size, rows), kMax);
}

} // namespace lockstep::run
