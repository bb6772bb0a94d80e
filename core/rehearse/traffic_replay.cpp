// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/rehearse/traffic_replay.h"

#include "core/pg/connection.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <algorithm>
#include <chrono>

namespace lockstep::rehearse {

TrafficReplay::TrafficReplay(QString conninfo, TrafficShape shape, TrafficRates rates, int connections)
    : m_conninfo(std::move(conninfo)), m_shape(std::move(shape)), m_rates(rates), m_connections(qMax(1, connections))
{
    m_nextKey = m_shape.lastKey + 1;
}

TrafficReplay::~TrafficReplay() { stop(); }

qint64 TrafficReplay::nowUs()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

void TrafficReplay::start()
{
    if (m_rates.total() <= 0 || !m_threads.empty())
        return;
    m_perThread.assign(size_t(m_connections), {});
    m_errors.assign(size_t(m_connections), {});
    for (int i = 0; i < m_connections; ++i)
        m_threads.emplace_back([this, i] { loop(i); });
}

void TrafficReplay::stop()
{
    m_stop = true;
    for (std::thread& t : m_threads)
        if (t.joinable())
            t.join();
    if (m_threads.empty())
        return;
    m_threads.clear();
    for (const QVector<TrafficOp>& ops : m_perThread)
        m_ops += ops;
    for (const QString& e : m_errors)
        if (m_firstError.isEmpty() && !e.isEmpty())
            m_firstError = e;
}

void TrafficReplay::loop(int index)
{
    std::unique_ptr<pg::Connection> conn;
    try {
        conn = pg::Connection::open(m_conninfo);
    } catch (const pg::PgException& e) {
        m_errors[size_t(index)] = e.error().message;
        return;
    }
    const TrafficShape& s = m_shape;
    const QString insert = QStringLiteral("INSERT INTO %1 (%2, %3) SELECT $1::bigint, %3 FROM %1 WHERE %2 >= $2::bigint ORDER BY %2 LIMIT 1")
                               .arg(s.table, s.key, s.columns.join(QStringLiteral(", ")));
    const QString update = QStringLiteral("UPDATE %1 SET %2 = %2 WHERE %3 = $1::bigint").arg(s.table, s.updated, s.key);
    const QString remove = QStringLiteral("DELETE FROM %1 WHERE %2 = $1::bigint").arg(s.table, s.key);
    const QString read = QStringLiteral("SELECT * FROM %1 WHERE %2 = $1::bigint").arg(s.table, s.key);
    const double perSecond = m_rates.total() / m_connections;
    const double intervalUs = 1e6 / perSecond;
    QRandomGenerator random(quint32(index * 7919 + 17));
    double due = double(nowUs()) + random.bounded(intervalUs);
    QVector<TrafficOp>& ops = m_perThread[size_t(index)];
    while (!m_stop) {
        const qint64 wait = qint64(due) - nowUs();
        if (wait > 0)
            std::this_thread::sleep_for(std::chrono::microseconds(qMin<qint64>(wait, 100000)));
        if (qint64(due) > nowUs())
            continue;
        TrafficOp op;
        op.scheduledUs = qint64(due);
        const double pick = random.generateDouble() * m_rates.total();
        const qint64 key = s.firstKey + qint64(random.bounded(double(qMax<qint64>(1, s.lastKey - s.firstKey + 1))));
        try {
            if (pick < m_rates.insertsPerSecond && !s.columns.isEmpty()) {
                op.kind = 'i';
                conn->exec(insert, {m_nextKey++, key});
            } else if (pick < m_rates.insertsPerSecond + m_rates.updatesPerSecond && !s.updated.isEmpty()) {
                op.kind = 'u';
                conn->exec(update, {key});
            } else if (pick < m_rates.insertsPerSecond + m_rates.updatesPerSecond + m_rates.deletesPerSecond) {
                op.kind = 'd';
                conn->exec(remove, {key});
            } else {
                op.kind = 'r';
                conn->exec(read, {key});
            }
        } catch (const pg::PgException& e) {
            op.failed = true;
            if (m_errors[size_t(index)].isEmpty())
                m_errors[size_t(index)] = e.error().message.trimmed();
            if (!conn->isOk())
                break;
        }
        op.endUs = nowUs();
        ops << op;
        due += intervalUs;
    }
}

LatencySummary TrafficReplay::summary(const QVector<TrafficOp>& ops, qint64 fromUs, qint64 toUs)
{
    LatencySummary out;
    QVector<double> ms;
    for (const TrafficOp& op : ops) {
        if (op.scheduledUs > toUs || op.endUs < fromUs)
            continue;
        ++out.statements;
        out.failed += op.failed;
        ms << (op.endUs - op.scheduledUs) / 1000.0;
    }
    if (ms.isEmpty())
        return out;
    std::sort(ms.begin(), ms.end());
    auto at = [&ms](double q) { return ms[qMin(int(ms.size()) - 1, int(q * ms.size()))]; };
    out.p50Ms = at(0.50);
    out.p99Ms = at(0.99);
    out.maxMs = ms.last();
    return out;
}

} // namespace lockstep::rehearse
