// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/pg/monitor.h"

#include <QStringList>
#include <QThread>
#include <QTimer>

#include <algorithm>

namespace lockstep::pg {

namespace {
// The runner pids as an int[] literal for a bound parameter: "{812,815}" or "{}".
QString intArrayParam(const QVector<int>& values)
{
    QStringList parts;
    for (int v : values)
        parts << QString::number(v);
    return QLatin1Char('{') + parts.join(QLatin1Char(',')) + QLatin1Char('}');
}

// Seconds of lag for one replica LSN column: 0 when the replica holds everything; else the age of the
// oldest WAL it lacks (WalPositionHistory). The server's own figure only helps where our history cannot
// tell (the replica is behind everything we have seen, e.g. on the first tick).
double lagSeconds(const WalPositionHistory& history, qint64 lagBytes, const QString& lsnText, qint64 nowMs,
                  const Result& r, int row, const char* reportedColumn)
{
    if (lagBytes <= 0)
        return 0;
    const double reported = r.isNull(row, reportedColumn) ? 0.0 : r.value(row, reportedColumn).toDouble();
    const std::optional<quint64> lsn = WalPositionHistory::parseLsn(lsnText);
    if (!lsn)
        return reported;
    bool beyondHistory = false;
    const double estimate = history.secondsBehind(*lsn, nowMs, &beyondHistory);
    return beyondHistory ? std::max(estimate, reported) : estimate;
}

std::optional<qint64> counterValue(const Result& r, const char* column)
{
    if (r.rows() < 1 || r.isNull(0, column))
        return std::nullopt;
    bool ok = false;
    const qint64 v = r.value(0, column).toLongLong(&ok);
    return ok ? std::optional<qint64>(v) : std::nullopt;
}

// Per second over `seconds`; a counter that went backwards (stats reset, server restart) counts as 0.
double ratePerSecond(std::optional<qint64> previous, std::optional<qint64> current, double seconds)
{
    if (!previous || !current || seconds <= 0)
        return 0;
    return static_cast<double>(std::max<qint64>(0, *current - *previous)) / seconds;
}
} // namespace

Monitor::Monitor(QString conninfo, quint32 tableOid, QObject* parent)
    : QObject(parent),
      m_conninfo(std::move(conninfo)),
      m_tableOid(tableOid),
      m_countersSql(sqlResource(QStringLiteral("monitor_counters"))),
      m_replicasSql(sqlResource(QStringLiteral("monitor_replicas"))),
      m_lockWaitsSql(sqlResource(QStringLiteral("monitor_lock_waits"))),
      m_lockWaitsPre14Sql(sqlResource(QStringLiteral("monitor_lock_waits_pre14")))
{
    qRegisterMetaType<lockstep::pg::MonitorSample>("lockstep::pg::MonitorSample");
    m_clock.start();
}

Monitor::~Monitor()
{
    if (m_timer && m_timer->thread() == QThread::currentThread())
        m_timer->stop();
}

void Monitor::setRunnerPids(QVector<int> pids)
{
    std::lock_guard<std::mutex> lock(m_stateMutex);
    m_runnerPids = std::move(pids);
}

QVector<int> Monitor::runnerPids() const
{
    std::lock_guard<std::mutex> lock(m_stateMutex);
    return m_runnerPids;
}

void Monitor::start()
{
    if (!m_timer) {
        m_timer = new QTimer(this);
        m_timer->setInterval(kTickMs);
        m_timer->setTimerType(Qt::PreciseTimer);
        connect(m_timer, &QTimer::timeout, this, &Monitor::tick);
    }
    m_inOutage = false;
    m_failures = 0;
    m_timer->start();
    tick();   // the baseline for the rates, and a first picture without waiting a tick
}

void Monitor::stop()
{
    if (m_timer)
        m_timer->stop();
    std::lock_guard<std::mutex> lock(m_sampleMutex);
    dropConnection();
}

void Monitor::tick()
{
    if (m_inOutage && m_clock.elapsed() < m_nextAttemptMs)
        return;
    try {
        const MonitorSample sample = sampleOnce();
        if (m_inOutage) {
            m_inOutage = false;
            m_failures = 0;
            emit recovered();
        }
        emit sampled(sample);
    } catch (const std::exception& e) {
        if (!m_inOutage) {
            m_inOutage = true;
            emit failed(QString::fromUtf8(e.what()));
        }
        // 0.5, 1, 2, 4, 8, 10, 10 ... seconds between attempts while the server stays away.
        const qint64 delay = std::min<qint64>(10000, qint64(kTickMs) << std::min(m_failures, 5));
        ++m_failures;
        m_nextAttemptMs = m_clock.elapsed() + delay;
    } catch (...) {
        if (!m_inOutage) {
            m_inOutage = true;
            emit failed(QStringLiteral("monitor: unknown error"));
        }
        ++m_failures;
        m_nextAttemptMs = m_clock.elapsed() + 10000;
    }
}

void Monitor::ensureConnected()
{
    if (m_conn && m_conn->isOk())
        return;
    dropConnection();
    auto conn = Connection::open(m_conninfo);
    // Named so that it is easy to tell apart in pg_stat_activity; never waits long on anything.
    conn->exec(QStringLiteral("SELECT set_config('application_name', $1, false), "
                              "set_config('statement_timeout', $2, false), set_config('lock_timeout', $3, false)"),
               {QStringLiteral("lockstep monitor"), QStringLiteral("5s"), QStringLiteral("1s")});
    m_hasWaitStart = conn->serverVersionNum() >= 140000;
    m_conn = std::move(conn);
}

void Monitor::dropConnection()
{
    m_conn.reset();
    m_prevTransactions.reset();
    m_prevTableWrites.reset();
}

MonitorSample Monitor::sampleOnce()
{
    const QVector<int> pids = runnerPids();
    std::lock_guard<std::mutex> lock(m_sampleMutex);
    try {
        ensureConnected();
        MonitorSample sample;
        // One read-only transaction per tick: the Monitor adds one commit per tick to the database's rate.
        m_conn->exec(QStringLiteral("BEGIN READ ONLY"));
        const Result counters = m_conn->exec(m_countersSql, {QVariant(m_tableOid)});
        const qint64 nowMs = m_clock.elapsed();
        sample.at = QDateTime::currentDateTimeUtc();
        const QString walLsn = counters.rows() > 0 ? counters.value(0, "wal_lsn") : QString();
        if (const std::optional<quint64> lsn = WalPositionHistory::parseLsn(walLsn))
            m_walHistory.add(nowMs, *lsn);
        sample.replicas = readReplicas(walLsn, nowMs);
        readLockWaits(sample, pids);
        m_conn->exec(QStringLiteral("COMMIT"));

        sample.intervalSeconds = m_prevSampleMs < 0 ? 0.0 : (nowMs - m_prevSampleMs) / 1000.0;
        const std::optional<qint64> transactions = counterValue(counters, "transactions");
        const std::optional<qint64> tableWrites = counterValue(counters, "table_writes");
        sample.transactionsPerSecond = ratePerSecond(m_prevTransactions, transactions, sample.intervalSeconds);
        sample.tableWritesPerSecond = ratePerSecond(m_prevTableWrites, tableWrites, sample.intervalSeconds);
        m_prevTransactions = transactions;
        m_prevTableWrites = tableWrites;
        m_prevSampleMs = nowMs;
        remember(sample, nowMs);
        return sample;
    } catch (...) {
        dropConnection();
        throw;
    }
}

QVector<ReplicaLag> Monitor::readReplicas(const QString& walLsn, qint64 nowMs)
{
    const Result r = m_conn->exec(m_replicasSql, {walLsn.isEmpty() ? QVariant() : QVariant(walLsn)});
    QVector<ReplicaLag> replicas;
    for (int i = 0; i < r.rows(); ++i) {
        ReplicaLag lag;
        lag.name = r.value(i, "name");
        lag.state = r.value(i, "state");
        lag.writeLagBytes = r.value(i, "write_lag_bytes").toLongLong();
        lag.flushLagBytes = r.value(i, "flush_lag_bytes").toLongLong();
        lag.replayLagBytes = r.value(i, "replay_lag_bytes").toLongLong();
        lag.writeLagSeconds = lagSeconds(m_walHistory, lag.writeLagBytes, r.value(i, "write_lsn"), nowMs, r, i,
                                         "write_lag_seconds");
        lag.flushLagSeconds = lagSeconds(m_walHistory, lag.flushLagBytes, r.value(i, "flush_lsn"), nowMs, r, i,
                                         "flush_lag_seconds");
        lag.replayLagSeconds = lagSeconds(m_walHistory, lag.replayLagBytes, r.value(i, "replay_lsn"), nowMs, r, i,
                                          "replay_lag_seconds");
        replicas.append(lag);
    }
    return replicas;
}

void Monitor::readLockWaits(MonitorSample& sample, const QVector<int>& runnerPids)
{
    const Result r = m_conn->exec(m_hasWaitStart ? m_lockWaitsSql : m_lockWaitsPre14Sql,
                                  {intArrayParam(runnerPids)});
    if (r.rows() < 1)
        return;
    sample.waitingLocks = r.value(0, "waiting").toInt();
    sample.longestLockWaitSeconds = r.value(0, "longest_seconds").toDouble();
    const QString blocked = r.value(0, "blocked_by_runner");
    for (const QString& pid : blocked.split(QLatin1Char(','), Qt::SkipEmptyParts))
        sample.blockedPids.append(pid.toInt());
    sample.blockedByRunner = sample.blockedPids.size();
}

void Monitor::remember(const MonitorSample& sample, qint64 nowMs)
{
    std::lock_guard<std::mutex> lock(m_stateMutex);
    m_history.push_back(sample);
    while (static_cast<int>(m_history.size()) > kHistorySamples)
        m_history.pop_front();
    m_latestMs = nowMs;
}

std::optional<MonitorSample> Monitor::latest() const
{
    std::lock_guard<std::mutex> lock(m_stateMutex);
    if (m_history.empty())
        return std::nullopt;
    return m_history.back();
}

QVector<MonitorSample> Monitor::history() const
{
    std::lock_guard<std::mutex> lock(m_stateMutex);
    return QVector<MonitorSample>(m_history.begin(), m_history.end());
}

std::optional<QString> Monitor::throttleReason(double maxLagSeconds) const
{
    std::lock_guard<std::mutex> lock(m_stateMutex);
    if (m_history.empty() || m_clock.elapsed() - m_latestMs > kFreshSampleMs)
        return std::nullopt;
    const MonitorSample& s = m_history.back();
    QStringList reasons;
    if (maxLagSeconds > 0) {
        const ReplicaLag* worst = nullptr;
        for (const ReplicaLag& r : s.replicas) {
            if (!worst || r.replayLagSeconds > worst->replayLagSeconds)
                worst = &r;
        }
        if (worst && worst->replayLagSeconds > maxLagSeconds)
            reasons << QStringLiteral("replica lag %1 s > %2 s (%3)")
                           .arg(worst->replayLagSeconds, 0, 'f', 1)
                           .arg(maxLagSeconds, 0, 'f', 1)
                           .arg(worst->name);
    }
    if (s.blockedByRunner > 0) {
        QStringList pids;
        for (int pid : s.blockedPids)
            pids << QString::number(pid);
        reasons << (s.blockedByRunner == 1
                        ? QStringLiteral("1 session waits on our locks (pid %1)").arg(pids.join(QStringLiteral(", ")))
                        : QStringLiteral("%1 sessions wait on our locks (pids %2)")
                              .arg(s.blockedByRunner)
                              .arg(pids.join(QStringLiteral(", "))));
    }
    if (reasons.isEmpty())
        return std::nullopt;
    return reasons.join(QStringLiteral("; "));
}

} // namespace lockstep::pg
