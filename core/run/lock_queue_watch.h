// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What one brief-lock attempt cost the application: while our statement waits for its lock (and while it
// holds it), every later statement on the table queues behind it. A second connection, on its own thread,
// samples pg_locks every few milliseconds during the attempt and counts the sessions queued behind our
// backend and the longest wait among them -- the figures each attempt's event reports.
#include <QString>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

namespace lockstep::run {

struct AttemptCost {
    bool known = false;         // false: the watch could not connect or sample
    int queued = 0;             // distinct sessions seen queued behind us
    double longestWaitMs = 0;   // the longest wait among them, as last sampled
    QString sentence() const;   // "3 transactions queued behind it, the longest 18 ms"; empty when unknown
};

class LockQueueWatch {
public:
    // Connects on its own thread; `table` is the qualified table name as SQL text.
    LockQueueWatch(QString conninfo, QString table, int intervalMs = 2);
    ~LockQueueWatch();
    LockQueueWatch(const LockQueueWatch&) = delete;
    LockQueueWatch& operator=(const LockQueueWatch&) = delete;

    // Starts sampling what queues behind backend `ourPid`; end() stops and returns what was seen.
    void begin(int ourPid);
    AttemptCost end();

private:
    void loop();

    const QString m_conninfo;
    const QString m_table;
    const int m_intervalMs;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    bool m_active = false;
    bool m_sampling = false;       // a sample is in flight: end() waits for it
    bool m_connected = false;
    bool m_failed = false;
    int m_pid = 0;
    std::set<int> m_queued;
    double m_longestMs = 0;
    std::thread m_thread;
};

} // namespace lockstep::run
