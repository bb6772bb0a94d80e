// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/run/lock_queue_watch.h"

#include "core/pg/connection.h"

#include <chrono>

namespace lockstep::run {

QString AttemptCost::sentence() const
{
    if (!known)
        return {};
    if (queued == 0)
        return QStringLiteral("no transaction queued behind it");
    return QStringLiteral("%1 transaction%2 queued behind it, the longest %3 ms")
        .arg(queued).arg(queued == 1 ? QString() : QStringLiteral("s")).arg(qRound(longestWaitMs));
}

LockQueueWatch::LockQueueWatch(QString conninfo, QString table, int intervalMs)
    : m_conninfo(std::move(conninfo)), m_table(std::move(table)), m_intervalMs(intervalMs)
{
    m_thread = std::thread([this] { loop(); });
}

LockQueueWatch::~LockQueueWatch()
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

void LockQueueWatch::begin(int ourPid)
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_pid = ourPid;
        m_queued.clear();
        m_longestMs = 0;
        m_failed = false;
        m_active = true;
    }
    m_wake.notify_all();
}

AttemptCost LockQueueWatch::end()
{
    std::unique_lock<std::mutex> lock(m_mutex);
    m_active = false;
    m_wake.wait(lock, [this] { return !m_sampling; });   // a sample taken during the attempt still counts
    AttemptCost cost;
    cost.known = m_connected && !m_failed;
    cost.queued = int(m_queued.size());
    cost.longestWaitMs = m_longestMs;
    return cost;
}

void LockQueueWatch::loop()
{
    std::unique_ptr<pg::Connection> conn;
    QString sql;
    try {
        conn = pg::Connection::open(m_conninfo);
        conn->exec(QStringLiteral("SET application_name = 'lockstep lock-queue watch'"));
        sql = pg::sqlResource(conn->serverVersionNum() >= 140000 ? QStringLiteral("run_lock_queue")
                                                                 : QStringLiteral("run_lock_queue_pre14"));
    } catch (const std::exception&) {
        conn.reset();
    }
    std::unique_lock<std::mutex> lock(m_mutex);
    m_connected = conn != nullptr;
    while (!m_stop) {
        if (!m_active || !conn) {
            m_wake.wait(lock, [this] { return m_stop || (m_active && m_connected); });
            continue;
        }
        const int pid = m_pid;
        m_sampling = true;
        lock.unlock();
        bool failed = false;
        std::set<int> seen;
        double longest = 0;
        try {
            const auto r = conn->exec(sql, {m_table, pid});
            for (int i = 0; i < r.rows(); ++i) {
                seen.insert(r.value(i, "pid").toInt());
                longest = std::max(longest, r.value(i, "waited_ms").toDouble());
            }
        } catch (const std::exception&) {
            failed = true;
        }
        lock.lock();
        m_sampling = false;
        m_failed = m_failed || failed;
        m_queued.insert(seen.begin(), seen.end());
        m_longestMs = std::max(m_longestMs, longest);
        m_wake.notify_all();
        m_wake.wait_for(lock, std::chrono::milliseconds(m_intervalMs), [this] { return m_stop || !m_active; });
    }
}

} // namespace lockstep::run
