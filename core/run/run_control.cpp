// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/run/run_control.h"

#include <QElapsedTimer>
#include <QThread>

namespace lockstep::run {

void RunControl::sleepMs(int ms) const
{
    sleepUs(qint64(ms) * 1000);
}

void RunControl::sleepUs(qint64 us) const
{
    QElapsedTimer t;
    t.start();
    while (true) {
        throwIfAborted();
        const qint64 left = us - t.nsecsElapsed() / 1000;
        if (left <= 0)
            return;
        QThread::usleep(static_cast<unsigned long>(qMin<qint64>(left, 20000)));   // wakes for an abort every 20 ms
    }
}

} // namespace lockstep::run
