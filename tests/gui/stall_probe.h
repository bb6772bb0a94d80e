// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Measures how long the GUI thread stays away from its event loop (the "never stalls more than 50 ms"
// checks of the GUI tests).
#include <QElapsedTimer>
#include <QFile>
#include <QObject>
#include <QString>
#include <QTimer>

namespace lockstep::test {

// Time this thread spent waiting in the CPU run queue (runnable, but another process had the CPU), in ms:
// the second field of /proc/thread-self/schedstat. -1 where the kernel does not say.
inline double runQueueWaitMs()
{
    QFile f(QStringLiteral("/proc/thread-self/schedstat"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> fields = f.readAll().split(' ');
    return fields.size() >= 2 ? fields[1].toDouble() / 1e6 : -1;
}

// The longest gap between ticks of a 5 ms timer: how long the GUI thread was away from its event loop.
// Two figures: the wall-clock gap, and the gap less the time the thread waited for a CPU that other
// processes held (on a 2-core machine shared with a busy PostgreSQL and compilers that wait is not the
// view's doing; time spent working or blocked - on a lock, the disk, the network - is). Paused while
// screenshots are taken (grabbing a 1600x1000 window is the test's own cost, not the view's).
class StallProbe : public QObject {
public:
    StallProbe()
    {
        m_timer.setInterval(5);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 gap = m_clock.restart();
            const double wait = runQueueWaitMs();
            const double waited = (wait >= 0 && m_lastWait >= 0) ? wait - m_lastWait : 0;
            m_lastWait = wait;
            const double own = qMax(0.0, double(gap) - waited);
            if (gap > 30 && qEnvironmentVariableIsSet("LOCKSTEP_STALL_LOG"))
                qInfo("stall %lld ms (%.0f ms waiting for a CPU) during %s (at %lld ms)", gap, waited, qPrintable(m_label),
                      m_since.elapsed());
            if (gap > m_worstWall) {
                m_worstWall = gap;
                m_worstWallWait = waited;
                m_worstWallAt = m_label;
            }
            if (own > m_worstOwn) {
                m_worstOwn = own;
                m_worstOwnAt = m_label;
            }
        });
    }
    void start()
    {
        if (!m_since.isValid())
            m_since.start();
        m_lastWait = runQueueWaitMs();
        m_clock.start();
        m_timer.start();
    }
    void suspend() { m_timer.stop(); }
    void resume() { start(); }
    void setLabel(const QString& label) { m_label = label; }
    double worstOwn() const { return m_worstOwn; }
    QString worstOwnAt() const { return m_worstOwnAt; }
    qint64 worstWall() const { return m_worstWall; }
    double worstWallWait() const { return m_worstWallWait; }
    QString worstWallAt() const { return m_worstWallAt; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    QElapsedTimer m_since;
    double m_lastWait = -1;
    double m_worstOwn = 0;
    QString m_worstOwnAt;
    qint64 m_worstWall = 0;
    double m_worstWallWait = 0;
    QString m_worstWallAt;
    QString m_label;
};

} // namespace lockstep::test
