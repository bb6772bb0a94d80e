// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/pg/monitor_sample.h"

#include <QJsonArray>

#include <algorithm>

namespace lockstep::pg {

namespace {
QJsonObject replicaToJson(const ReplicaLag& r)
{
    return QJsonObject{
        {QStringLiteral("name"), r.name},
        {QStringLiteral("state"), r.state},
        {QStringLiteral("write_lag_bytes"), r.writeLagBytes},
        {QStringLiteral("flush_lag_bytes"), r.flushLagBytes},
        {QStringLiteral("replay_lag_bytes"), r.replayLagBytes},
        {QStringLiteral("write_lag_s"), r.writeLagSeconds},
        {QStringLiteral("flush_lag_s"), r.flushLagSeconds},
        {QStringLiteral("replay_lag_s"), r.replayLagSeconds},
    };
}

ReplicaLag replicaFromJson(const QJsonObject& o)
{
    ReplicaLag r;
    r.name = o.value(QLatin1String("name")).toString();
    r.state = o.value(QLatin1String("state")).toString();
    r.writeLagBytes = o.value(QLatin1String("write_lag_bytes")).toInteger();
    r.flushLagBytes = o.value(QLatin1String("flush_lag_bytes")).toInteger();
    r.replayLagBytes = o.value(QLatin1String("replay_lag_bytes")).toInteger();
    r.writeLagSeconds = o.value(QLatin1String("write_lag_s")).toDouble();
    r.flushLagSeconds = o.value(QLatin1String("flush_lag_s")).toDouble();
    r.replayLagSeconds = o.value(QLatin1String("replay_lag_s")).toDouble();
    return r;
}
} // namespace

QJsonObject MonitorSample::toJson() const
{
    QJsonArray replicaArray;
    for (const ReplicaLag& r : replicas)
        replicaArray.append(replicaToJson(r));
    QJsonArray pids;
    for (int pid : blockedPids)
        pids.append(pid);
    return QJsonObject{
        {QStringLiteral("interval_s"), intervalSeconds},
        {QStringLiteral("replicas"), replicaArray},
        {QStringLiteral("max_replay_lag_s"), maxReplayLagSeconds()},
        {QStringLiteral("waiting_locks"), waitingLocks},
        {QStringLiteral("longest_lock_wait_s"), longestLockWaitSeconds},
        {QStringLiteral("blocked_by_runner"), blockedByRunner},
        {QStringLiteral("blocked_pids"), pids},
        {QStringLiteral("table_writes_per_s"), tableWritesPerSecond},
        {QStringLiteral("tps"), transactionsPerSecond},
    };
}

MonitorSample MonitorSample::fromJson(const QDateTime& at, const QJsonObject& json)
{
    MonitorSample s;
    s.at = at;
    s.intervalSeconds = json.value(QLatin1String("interval_s")).toDouble();
    for (const QJsonValue& v : json.value(QLatin1String("replicas")).toArray())
        s.replicas.append(replicaFromJson(v.toObject()));
    s.waitingLocks = json.value(QLatin1String("waiting_locks")).toInt();
    s.longestLockWaitSeconds = json.value(QLatin1String("longest_lock_wait_s")).toDouble();
    s.blockedByRunner = json.value(QLatin1String("blocked_by_runner")).toInt();
    for (const QJsonValue& v : json.value(QLatin1String("blocked_pids")).toArray())
        s.blockedPids.append(v.toInt());
    s.tableWritesPerSecond = json.value(QLatin1String("table_writes_per_s")).toDouble();
    s.transactionsPerSecond = json.value(QLatin1String("tps")).toDouble();
    return s;
}

double MonitorSample::maxReplayLagSeconds() const
{
    double worst = 0;
    for (const ReplicaLag& r : replicas)
        worst = std::max(worst, r.replayLagSeconds);
    return worst;
}

qint64 MonitorSample::maxReplayLagBytes() const
{
    qint64 worst = 0;
    for (const ReplicaLag& r : replicas)
        worst = std::max(worst, r.replayLagBytes);
    return worst;
}

} // namespace lockstep::pg
