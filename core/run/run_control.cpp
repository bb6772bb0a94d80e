// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/run/run_control.h"

#include <QElapsedTimer>
#include <QThread>

namespace lockstep::run {

void RunControl::sleepMs(int ms) const
{
    QElapsedTimer t;
    t.start();
    while (true) {
        throwIfAborted();
        const qint64 left = ms - t.elapsed();
        if (left <= 0)
            return;
        QThread::msleep(static_cast<unsigned long>(qMin<qint64>(left, 20)));
    }
}

} // namespace lockstep::run
