// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/run/batch_sizer.h"

#include <QtGlobal>

namespace lockstep::run {

BatchSizer::BatchSizer(int start) : m_size(qBound(kMin, start, kMax)) {}

void BatchSizer::record(double elapsedMs, int targetMs)
{
    const double target = qMax(1, targetMs);
    const double elapsed = qMax(0.5, elapsedMs);   // sub-millisecond batches: do not divide by ~0
    const double ideal = double(m_size) * target / elapsed;
    double next;
    if (elapsed >= 5 * target)
        next = ideal;                                // far too slow: cut at once
    else if (ideal > m_size)
        next = qMin(ideal, 1.5 * m_size);            // bounded growth
    else
        next = qMax(ideal, 0.5 * m_size);            // gentle shrink while near the target
    m_size = qBound(kMin, int(next), kMax);
}

} // namespace lockstep::run
