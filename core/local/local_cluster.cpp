// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/local/local_cluster.h"

#include "core/local/cluster_reaper.h"
#include "core/local/server_tools.h"
#include "core/pg/connection.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QThread>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace lockstep {

namespace {
constexpr int kStartTimeoutMs = 60000;
constexpr int kStopTimeoutMs = 60000;

[[noreturn]] void fail(const QString& message)
{
    throw std::runtime_error(message.toStdString());
}

QString confValue(const QString& value)
{
    return QLatin1Char('\'') + QString(value).replace(QLatin1Char('\''), QStringLiteral("''")) + QLatin1Char('\'');
}
} // namespace

LocalCluster::LocalCluster(LocalClusterOptions options)
    : m_options(std::move(options)), m_binDir(local::resolveBinDir(m_options.binDir))
{
    for (const QString& s : m_options.settings)
        if (s.indexOf(QLatin1Char('=')) <= 0 || s.contains(QLatin1Char('\n')))
            throw std::invalid_argument("LocalCluster: a setting must read name=value (one line): " + s.toStdString());
}

LocalCluster::~LocalCluster()
{
    try {
        stop();
    } catch (...) {
    }
    removeEverything();
}

void LocalCluster::removeEverything()
{
    if (m_root.isEmpty())
        return;
    // A server that refused a fast shutdown (or is half started) must not outlive its directory.
    if (m_options.withReplica)
        local::signalPostmasterAndWait(replicaDataDir(), SIGQUIT, 10000);
    local::signalPostmasterAndWait(dataDir(), SIGQUIT, 10000);
    QDir(m_root).removeRecursively();
    local::untrackCluster(m_reaperHandle);
    m_reaperHandle = -1;
    m_root.clear();
    m_port = m_replicaPort = 0;
    m_created = false;
}

QString LocalCluster::dataDir() const { return m_root.isEmpty() ? QString() : m_root + QStringLiteral("/primary"); }
QString LocalCluster::logFilePath() const { return m_root.isEmpty() ? QString() : m_root + QStringLiteral("/primary.log"); }

QString LocalCluster::replicaDataDir() const
{
    return m_root.isEmpty() || !m_options.withReplica ? QString() : m_root + QStringLiteral("/replica");
}

QString LocalCluster::replicaLogFilePath() const
{
    return m_root.isEmpty() || !m_options.withReplica ? QString() : m_root + QStringLiteral("/replica.log");
}

QString LocalCluster::tool(const char* name) const { return m_binDir + QLatin1Char('/') + QLatin1String(name); }

qint64 LocalCluster::postmasterPid() const
{
    const qint64 pid = m_root.isEmpty() ? 0 : local::postmasterPid(dataDir());
    return local::processAlive(pid) ? pid : 0;
}

bool LocalCluster::isRunning() const { return postmasterPid() != 0; }

QString LocalCluster::conninfo(const QString& dbname) const
{
    return QStringLiteral("host=%1 port=%2 user=postgres dbname=%3")
        .arg(local::conninfoValue(m_root)).arg(m_port).arg(local::conninfoValue(dbname));
}

QString LocalCluster::failoverConninfo(const QString& dbname) const
{
    if (!m_options.withReplica)
        fail(QStringLiteral("LocalCluster: this cluster was made without a replica"));
    const QString dir = local::conninfoValue(m_root);
    return QStringLiteral("host=%1,%1 port=%2,%3 user=postgres dbname=%4 target_session_attrs=read-write")
        .arg(dir).arg(m_port).arg(m_replicaPort).arg(local::conninfoValue(dbname));
}

QString LocalCluster::replicaConninfo(const QString& dbname) const
{
    if (!m_options.withReplica)
        fail(QStringLiteral("LocalCluster: this cluster was made without a replica"));
    return QStringLiteral("host=%1 port=%2 user=postgres dbname=%3")
        .arg(local::conninfoValue(m_root)).arg(m_replicaPort).arg(local::conninfoValue(dbname));
}

void LocalCluster::start()
{
    if (!m_created) {
        if (m_binDir.isEmpty())
            fail(QStringLiteral("LocalCluster: no PostgreSQL server binaries (pg_ctl) found; looked in %1 "
                                "(install postgresql-15, or set binDir)")
                     .arg(m_options.binDir.isEmpty() ? QStringLiteral("/usr/lib/postgresql/15/bin and `pg_config --bindir`")
                                                     : m_options.binDir));
        try {
            createDirectory();
            initPrimary();
            startServer(dataDir(), logFilePath());
            if (m_options.withReplica) {
                createReplica();
                startServer(replicaDataDir(), replicaLogFilePath());
                waitForStreaming();
            }
        } catch (...) {
            removeEverything();   // the exception carries the log's tail; a later start() begins afresh
            throw;
        }
        m_created = true;
        return;
    }
    if (!isRunning())
        startServer(dataDir(), logFilePath());
    if (m_options.withReplica) {
        if (!local::processAlive(local::postmasterPid(replicaDataDir())))
            startServer(replicaDataDir(), replicaLogFilePath());
        waitForStreaming();
    }
}

void LocalCluster::stop()
{
    if (m_root.isEmpty())
        return;
    // SIGINT is what `pg_ctl stop -m fast` sends; signalling directly also works from exit handlers and
    // destructors of statics, after QCoreApplication (which QProcess wants) is gone.
    if (m_options.withReplica && !local::signalPostmasterAndWait(replicaDataDir(), SIGINT, kStopTimeoutMs))
        failWithLog(QStringLiteral("LocalCluster: the replica did not stop within 60 s"), replicaLogFilePath());
    if (!local::signalPostmasterAndWait(dataDir(), SIGINT, kStopTimeoutMs))
        failWithLog(QStringLiteral("LocalCluster: the server did not stop within 60 s"), logFilePath());
}

void LocalCluster::restartFast()
{
    restartAfter(SIGINT, "restartFast");
}

void LocalCluster::restartImmediate()
{
    // SIGQUIT: the postmaster kills every backend and exits without a checkpoint; the start replays the WAL.
    restartAfter(SIGQUIT, "restartImmediate");
}

void LocalCluster::restartAfter(int stopSignal, const char* caller)
{
    if (!m_created)
        fail(QStringLiteral("LocalCluster: %1() before start()").arg(QLatin1String(caller)));
    if (!local::signalPostmasterAndWait(dataDir(), stopSignal, kStopTimeoutMs))
        failWithLog(QStringLiteral("LocalCluster: the server did not stop within 60 s"), logFilePath());
    startServer(dataDir(), logFilePath());
}

void LocalCluster::failover()
{
    if (!m_created || !m_options.withReplica)
        fail(QStringLiteral("LocalCluster: failover() needs a started cluster with a replica"));
    if (!local::signalPostmasterAndWait(dataDir(), SIGQUIT, kStopTimeoutMs))
        failWithLog(QStringLiteral("LocalCluster: the primary did not die within 60 s"), logFilePath());
    const local::ToolRun run = local::runServerTool(tool("pg_ctl"), {QStringLiteral("promote"), QStringLiteral("-w"),
                                                                     QStringLiteral("-D"), replicaDataDir()},
                                                    kStartTimeoutMs, m_root, true);
    if (run.exitCode != 0)
        failWithLog(QStringLiteral("LocalCluster: pg_ctl promote failed (exit code %1)\n%2")
                        .arg(run.exitCode).arg(QString::fromUtf8(run.output)), replicaLogFilePath());
}

QString LocalCluster::createDatabase(const QString& name)
{
    auto conn = pg::Connection::open(conninfo());
    conn->exec(QStringLiteral("CREATE DATABASE ") + conn->quoteIdent(name));
    return conninfo(name);
}

void LocalCluster::createDirectory()
{
    QByteArray pattern = QByteArrayLiteral("/tmp/lockstep-pg-XXXXXX");
    if (!::mkdtemp(pattern.data()))
        fail(QStringLiteral("LocalCluster: cannot create a directory under /tmp: %1")
                 .arg(QString::fromLocal8Bit(strerror(errno))));
    m_root = QFile::decodeName(pattern);
    m_reaperHandle = local::trackCluster(m_root, {dataDir(), m_root + QStringLiteral("/replica")});
    local::startWatchdog(m_root, {dataDir(), m_root + QStringLiteral("/replica")});
    local::giveToServerUser(m_root);
}

QStringList LocalCluster::serverSettings() const
{
    QStringList s{
        QStringLiteral("port=%1").arg(m_port),
        QStringLiteral("listen_addresses="),             // the unix socket only
        QStringLiteral("unix_socket_directories=") + m_root,
        QStringLiteral("fsync=") + (m_options.fsync ? QStringLiteral("on") : QStringLiteral("off")),
        QStringLiteral("full_page_writes=") + (m_options.fsync ? QStringLiteral("on") : QStringLiteral("off")),
        QStringLiteral("synchronous_commit=") + (m_options.fsync ? QStringLiteral("on") : QStringLiteral("off")),
        QStringLiteral("shared_buffers=128MB"),
        QStringLiteral("max_connections=100"),
        QStringLiteral("wal_level=replica"),
        QStringLiteral("max_wal_senders=5"),
        QStringLiteral("hot_standby=on"),
        QStringLiteral("logging_collector=off"),          // pg_ctl -l writes the log
    };
    return s + m_options.settings;                       // later lines win: the caller's settings last
}

void LocalCluster::appendSettings(const QString& dir, const QStringList& settings) const
{
    QFile conf(dir + QStringLiteral("/postgresql.conf"));
    if (!conf.open(QIODevice::Append | QIODevice::Text))
        fail(QStringLiteral("LocalCluster: cannot write %1: %2").arg(conf.fileName(), conf.errorString()));
    QByteArray text = "\n# LocalCluster\n";
    for (const QString& setting : settings) {
        const int eq = setting.indexOf(QLatin1Char('='));
        text += (setting.left(eq).trimmed() + QStringLiteral(" = ") + confValue(setting.mid(eq + 1).trimmed()) + QLatin1Char('\n')).toUtf8();
    }
    conf.write(text);
}

void LocalCluster::initPrimary()
{
    m_port = local::findFreePort(m_root);
    QStringList args{QStringLiteral("-D"), dataDir(), QStringLiteral("--auth=trust"), QStringLiteral("--username=postgres"),
                     QStringLiteral("-E"), QStringLiteral("UTF8"), QStringLiteral("--locale=C"), QStringLiteral("--no-instructions")};
    if (!m_options.fsync)
        args << QStringLiteral("--no-sync");
    local::runServerTool(tool("initdb"), args, kStartTimeoutMs, m_root);
    appendSettings(dataDir(), serverSettings());
}

void LocalCluster::createReplica()
{
    m_replicaPort = local::findFreePort(m_root, {m_port});
    QStringList args{QStringLiteral("-h"), m_root, QStringLiteral("-p"), QString::number(m_port),
                     QStringLiteral("-U"), QStringLiteral("postgres"), QStringLiteral("-D"), replicaDataDir(),
                     QStringLiteral("-R"), QStringLiteral("-X"), QStringLiteral("stream"), QStringLiteral("-c"), QStringLiteral("fast")};
    if (!m_options.fsync)
        args << QStringLiteral("--no-sync");
    try {
        local::runServerTool(tool("pg_basebackup"), args, kStartTimeoutMs, m_root);
    } catch (const std::exception& e) {
        failWithLog(QString::fromUtf8(e.what()), logFilePath());
    }
    // The copied postgresql.conf carries the primary's port; the last line wins.
    appendSettings(replicaDataDir(), {QStringLiteral("port=%1").arg(m_replicaPort)});
}

void LocalCluster::startServer(const QString& dir, const QString& logFile)
{
    const QStringList args{QStringLiteral("-D"), dir, QStringLiteral("-l"), logFile, QStringLiteral("-w"),
                           QStringLiteral("-t"), QString::number(kStartTimeoutMs / 1000), QStringLiteral("start")};
    const local::ToolRun run = local::runServerTool(tool("pg_ctl"), args, kStartTimeoutMs + 10000, m_root, true);
    if (run.exitCode != 0)
        failWithLog(QStringLiteral("LocalCluster: `pg_ctl %1` failed (exit code %2)\n%3")
                        .arg(args.join(QLatin1Char(' '))).arg(run.exitCode).arg(QString::fromLocal8Bit(run.output).trimmed()),
                    logFile);
}

void LocalCluster::waitForStreaming()
{
    QElapsedTimer t;
    t.start();
    auto conn = pg::Connection::open(conninfo());
    // Counted from the primary's side: the standby is connected and past catch-up.
    while (conn->exec(pg::sqlResource(QStringLiteral("streaming_replica_count"))).value(0, 0).toInt() < 1) {
        if (t.elapsed() > kStartTimeoutMs)
            failWithLog(QStringLiteral("LocalCluster: the replica did not start streaming within 60 s"),
                        replicaLogFilePath());
        QThread::msleep(50);
    }
}

void LocalCluster::failWithLog(const QString& what, const QString& logFile) const
{
    fail(QStringLiteral("%1\n--- %2 (last lines) ---\n%3").arg(what, logFile, local::fileTail(logFile)));
}

} // namespace lockstep
