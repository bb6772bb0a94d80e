// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The application's traffic on a rehearsal's copy, at the production table's measured rates: inserts of
// new keys (the new column left to the sync trigger, as code that does not know it yet), updates of a
// column by key, deletes and key lookups, spread over a few connections on their own threads and paced
// open-loop (each statement has a scheduled start; its latency counts from there, so a statement held up
// behind a lock shows the whole wait). Needs a one-column integer key to pick rows by.
#include <QString>
#include <QStringList>
#include <QVector>

#include <atomic>
#include <memory>
#include <thread>

namespace lockstep::rehearse {

struct TrafficRates {
    double insertsPerSecond = 0, updatesPerSecond = 0, deletesPerSecond = 0, readsPerSecond = 0;
    double total() const { return insertsPerSecond + updatesPerSecond + deletesPerSecond + readsPerSecond; }
};

struct TrafficShape {
    QString table;         // quoted, qualified
    QString key;           // quoted one-column integer key
    QString updated;       // quoted column the updates set to itself (empty: no updates)
    QStringList columns;   // quoted columns an insert copies from an existing row (the key excluded)
    qint64 firstKey = 1, lastKey = 1;
};

struct TrafficOp {
    qint64 scheduledUs = 0;    // when it was due (epoch microseconds)
    qint64 endUs = 0;
    char kind = 'r';           // i u d r
    bool failed = false;
};

struct LatencySummary {
    int statements = 0;
    int failed = 0;
    double p50Ms = 0, p99Ms = 0, maxMs = 0;
};

class TrafficReplay {
public:
    TrafficReplay(QString conninfo, TrafficShape shape, TrafficRates rates, int connections = 4);
    ~TrafficReplay();   // stops
    void start();
    void stop();
    QVector<TrafficOp> ops() const { return m_ops; }   // after stop()
    QString firstError() const { return m_firstError; }
    static qint64 nowUs();
    // Over the statements that overlap [fromUs, toUs].
    static LatencySummary summary(const QVector<TrafficOp>& ops, qint64 fromUs, qint64 toUs);

private:
    void loop(int index);

    QString m_conninfo;
    TrafficShape m_shape;
    TrafficRates m_rates;
    int m_connections;
    std::atomic<bool> m_stop{false};
    std::atomic<qint64> m_nextKey{0};
    std::vector<std::thread> m_threads;
    std::vector<QVector<TrafficOp>> m_perThread;
    QVector<TrafficOp> m_ops;
    QString m_firstError;
    std::vector<QString> m_errors;
};

} // namespace lockstep::rehearse
