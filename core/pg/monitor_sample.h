// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QDateTime>
#include <QJsonObject>
#include <QMetaType>
#include <QString>
#include <QVector>

namespace lockstep::pg {

// How far one replica is behind the primary's current WAL position. Bytes come from the server
// (pg_wal_lsn_diff); seconds are the Monitor's estimate (see WalPositionHistory): the age of the oldest
// WAL the replica has not yet written / flushed / replayed. 0 when the replica holds everything.
struct ReplicaLag {
    QString name;                 // application_name, else client_addr, else "pid N" of the walsender
    qint64 writeLagBytes = 0;
    qint64 flushLagBytes = 0;
    qint64 replayLagBytes = 0;
    double writeLagSeconds = 0;
    double flushLagSeconds = 0;
    double replayLagSeconds = 0;
    QString state;                // pg_stat_replication.state: streaming, catchup, ...
};

// One Monitor tick. Rates are deltas of cumulative counters divided by intervalSeconds (the real time
// since the previous sample); the first sample after start or after a reconnect has rates 0.
struct MonitorSample {
    QDateTime at;                      // UTC
    double intervalSeconds = 0;
    QVector<ReplicaLag> replicas;      // empty: no replicas (or the server is itself a standby)
    int waitingLocks = 0;              // sessions waiting for any lock, server-wide
    double longestLockWaitSeconds = 0; // the longest of those waits, server-wide
    int blockedByRunner = 0;           // waiting sessions whose blockers include a runner pid
    QVector<int> blockedPids;          // their pids (blockedByRunner == blockedPids.size())
    double tableWritesPerSecond = 0;   // watched table: n_tup_ins + n_tup_upd + n_tup_del per second
    double transactionsPerSecond = 0;  // database: xact_commit + xact_rollback per second (the Monitor's
                                       // own one transaction per tick included)

    // For Journal::addSample (the time goes beside it, not inside). Keys are snake_case with units.
    QJsonObject toJson() const;
    static MonitorSample fromJson(const QDateTime& at, const QJsonObject& json);
    double maxReplayLagSeconds() const;   // 0 without replicas
    qint64 maxReplayLagBytes() const;     // 0 without replicas
};

} // namespace lockstep::pg

Q_DECLARE_METATYPE(lockstep::pg::MonitorSample)
