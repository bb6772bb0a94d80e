// SPDX-License-Identifier: GPL-3.0-or-later
#include "bench/support/pgbench_workload.h"

#include "bench/support/bench_support.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QTextStream>
#include <csignal>
#include <stdexcept>
#include <sys/time.h>

namespace lockstep::bench {

namespace {
LatencyStats statsOf(const QVector<double>& ms)
{
    LatencyStats s;
    s.transactions = ms.size();
    s.p50Ms = percentile(ms, 50);
    s.p99Ms = percentile(ms, 99);
    s.maxMs = percentile(ms, 100);
    return s;
}

void writeFile(const QString& path, const QString& text)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        throw std::runtime_error("cannot write " + path.toStdString());
    f.write(text.toUtf8());
}
} // namespace

PgbenchWorkload::PgbenchWorkload(QString binDir, QString conninfo) : m_binDir(std::move(binDir)), m_conninfo(std::move(conninfo)) {}

PgbenchWorkload::~PgbenchWorkload()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

qint64 PgbenchWorkload::nowUs()
{
    timeval tv{};
    gettimeofday(&tv, nullptr);
    return qint64(tv.tv_sec) * 1000000 + tv.tv_usec;
}

void PgbenchWorkload::start(const WorkloadOptions& o)
{
    m_transactions.clear();
    // The table name is a plain identifier chosen by the benchmark; pgbench scripts take no parameters
    // for identifiers, so it is quoted here as a SQL identifier.
    const QString table = QLatin1Char('"') + QString(o.table).replace(QLatin1Char('"'), QLatin1String("\"\"")) + QLatin1Char('"');
    const QString update = m_dir.filePath(QStringLiteral("update.sql"));
    const QString select = m_dir.filePath(QStringLiteral("select.sql"));
    writeFile(update, QStringLiteral("\\set id random(1, %1)\nUPDATE %2 SET qty = qty + 1 WHERE id = :id;\n").arg(o.rows).arg(table));
    writeFile(select, QStringLiteral("\\set id random(1, %1)\nSELECT qty, price, note FROM %2 WHERE id = :id;\n").arg(o.rows).arg(table));
    QStringList scripts{QStringLiteral("-f"), QStringLiteral("%1@%2").arg(update).arg(o.updateWeight),
                        QStringLiteral("-f"), QStringLiteral("%1@%2").arg(select).arg(o.selectWeight)};
    if (!o.builtin.isEmpty())
        scripts = QStringList{QStringLiteral("-b"), o.builtin};
    const QStringList args = QStringList{QStringLiteral("-n"), QStringLiteral("-M"), QStringLiteral("prepared")} + scripts
                             + QStringList{QStringLiteral("-c"), QString::number(o.clients), QStringLiteral("-j"), QStringLiteral("1"),
                           QStringLiteral("-R"), QString::number(o.ratePerSecond), QStringLiteral("-T"), QStringLiteral("3600"),
                           QStringLiteral("-l"), QStringLiteral("--log-prefix=%1").arg(m_dir.filePath(QStringLiteral("tx"))),
                           m_conninfo};
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process.setStandardOutputFile(QProcess::nullDevice());
    m_process.start(m_binDir + QStringLiteral("/pgbench"), args);
    if (!m_process.waitForStarted(5000))
        throw std::runtime_error("pgbench did not start: " + m_process.errorString().toStdString());
}

void PgbenchWorkload::stop()
{
    if (m_process.state() != QProcess::NotRunning) {
        ::kill(pid_t(m_process.processId()), SIGINT);
        if (!m_process.waitForFinished(10000)) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
    readLogs();
}

void PgbenchWorkload::readLogs()
{
    // client_id transaction_no time script_no time_epoch time_us [schedule_lag]; the time stamp is the end.
    const QStringList logs = QDir(m_dir.path()).entryList({QStringLiteral("tx.*")}, QDir::Files);
    for (const QString& name : logs) {
        QFile f(m_dir.filePath(name));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        while (!f.atEnd()) {
            const QList<QByteArray> fields = f.readLine().simplified().split(' ');
            if (fields.size() < 6)
                continue;   // a line cut short when pgbench was stopped
            const qint64 latency = fields[2].toLongLong();
            const qint64 end = fields[4].toLongLong() * 1000000 + fields[5].toLongLong();
            m_transactions.append({end - latency, end, fields[3].toInt()});
        }
    }
}

void PgbenchWorkload::initialize(int scale)
{
    QProcess init;
    init.setProcessChannelMode(QProcess::MergedChannels);
    init.start(m_binDir + QStringLiteral("/pgbench"), {QStringLiteral("-i"), QStringLiteral("-q"), QStringLiteral("-s"),
                                                       QString::number(scale), m_conninfo});
    if (!init.waitForFinished(300000) || init.exitCode() != 0)
        throw std::runtime_error("pgbench -i failed: " + init.readAll().toStdString());
}

LatencyStats PgbenchWorkload::duringAny(const QVector<QPair<qint64, qint64>>& windows) const
{
    QVector<double> ms;
    for (const Transaction& t : m_transactions)
        for (const auto& w : windows)
            if (t.startUs <= w.second && t.endUs >= w.first) {
                ms << (t.endUs - t.startUs) / 1000.0;
                break;
            }
    return statsOf(ms);
}

int PgbenchWorkload::slowerThan(const QVector<QPair<qint64, qint64>>& windows, double ms) const
{
    int n = 0;
    for (const Transaction& t : m_transactions)
        for (const auto& w : windows)
            if (t.startUs <= w.second && t.endUs >= w.first) {
                n += (t.endUs - t.startUs) / 1000.0 > ms;
                break;
            }
    return n;
}

LatencyStats PgbenchWorkload::during(qint64 fromUs, qint64 toUs, int script) const
{
    QVector<double> ms;
    for (const Transaction& t : m_transactions)
        if (t.startUs <= toUs && t.endUs >= fromUs && (script < 0 || t.script == script))
            ms << (t.endUs - t.startUs) / 1000.0;
    return statsOf(ms);
}

} // namespace lockstep::bench
