// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/pg/connection.h"
#include "core/pg/monitor_sample.h"
#include "core/pg/monitor_wal_history.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QVector>

#include <deque>
#include <memory>
#include <mutex>
#include <optional>

class QTimer;

namespace lockstep::pg {

// Watches the server while a run goes on: replica lag, lock waits (and those caused by the runner),
// the watched table's write rate and the database's transaction rate, one MonitorSample per 500 ms tick.
// A worker QObject to move to its own QThread: it opens its own connection there on start(), samples on a
// QTimer, emits sampled() (queued to other threads), keeps the last 10 minutes of samples, and on a lost
// connection emits failed() once per outage, then retries with a growing delay (0.5 s up to 10 s) and
// emits recovered() when a sample succeeds again. A tick never throws.
// Call stop() in the Monitor's thread (queued) before quitting that thread.
// Thread-safe from any thread: setRunnerPids, throttleReason, latest, history, sampleOnce (serialised).
class Monitor : public QObject {
    Q_OBJECT
public:
    static constexpr int kTickMs = 500;
    static constexpr int kHistorySamples = 1200;        // 10 minutes of ticks
    static constexpr int kFreshSampleMs = 5000;         // older samples say nothing to throttleReason

    Monitor(QString conninfo, quint32 tableOid /* 0: none */, QObject* parent = nullptr);
    ~Monitor() override;

    // The backends whose locks count as the runner's ("ours") for blockedByRunner and throttleReason.
    void setRunnerPids(QVector<int> pids);
    QVector<int> runnerPids() const;

    // Takes one sample now, connecting first if needed (blocking). Throws PgException (or
    // std::runtime_error) on failure, after dropping the connection so the next call reconnects.
    // Rates are 0 on the first sample of a connection. The sample also enters history().
    MonitorSample sampleOnce();

    // Why the backfill should hold now, from the latest sample if it is fresh (under 5 s old), e.g.
    // "replica lag 3.2 s > 1.0 s (walreceiver)" or "2 sessions wait on our locks (pids 812, 815)"
    // (both joined by "; "); nullopt when neither holds or nothing fresh is known. maxLagSeconds <= 0
    // turns the replica check off. Meant for Runner::setThrottleHook.
    std::optional<QString> throttleReason(double maxLagSeconds) const;

    std::optional<MonitorSample> latest() const;
    QVector<MonitorSample> history() const;             // oldest first, at most kHistorySamples

public slots:
    void start();
    void stop();

signals:
    void sampled(lockstep::pg::MonitorSample sample);
    void failed(QString message);
    void recovered();

private:
    void tick();
    void ensureConnected();
    void dropConnection();
    QVector<ReplicaLag> readReplicas(const QString& walLsn, qint64 nowMs);
    void readLockWaits(MonitorSample& sample, const QVector<int>& runnerPids);
    void remember(const MonitorSample& sample, qint64 nowMs);

    const QString m_conninfo;
    const quint32 m_tableOid;
    const QString m_countersSql;
    const QString m_replicasSql;
    const QString m_lockWaitsSql;
    const QString m_lockWaitsPre14Sql;
    QElapsedTimer m_clock;                  // monotonic; all *Ms members are on it

    // Sampling state, guarded by m_sampleMutex.
    std::mutex m_sampleMutex;
    std::unique_ptr<Connection> m_conn;
    bool m_hasWaitStart = true;             // pg_locks.waitstart (PostgreSQL 14+)
    qint64 m_prevSampleMs = -1;
    std::optional<qint64> m_prevTransactions;
    std::optional<qint64> m_prevTableWrites;
    WalPositionHistory m_walHistory{kHistorySamples};

    // Shared with other threads, guarded by m_stateMutex.
    mutable std::mutex m_stateMutex;
    QVector<int> m_runnerPids;
    std::deque<MonitorSample> m_history;
    qint64 m_latestMs = -1;

    // The worker thread's own: the timer and the outage state.
    QTimer* m_timer = nullptr;
    bool m_inOutage = false;
    int m_failures = 0;
    qint64 m_nextAttemptMs = 0;
};

} // namespace lockstep::pg
