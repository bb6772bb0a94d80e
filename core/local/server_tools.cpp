// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/local/server_tools.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QThread>

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <netinet/in.h>
#include <pwd.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace lockstep::local {

namespace {
[[noreturn]] void fail(const QString& message)
{
    throw std::runtime_error(message.toStdString());
}

QString findTool(const QString& name)
{
    // root's PATH may lack /usr/sbin (runuser) when started from a service or a minimal shell.
    QString path = QStandardPaths::findExecutable(name);
    if (path.isEmpty())
        path = QStandardPaths::findExecutable(name, {QStringLiteral("/usr/sbin"), QStringLiteral("/sbin"),
                                                     QStringLiteral("/usr/bin"), QStringLiteral("/bin")});
    return path;
}

QString shellJoin(const QString& program, const QStringList& args)
{
    QStringList parts{program};
    for (const QString& a : args)
        parts << (a.isEmpty() || a.contains(QLatin1Char(' ')) || a.contains(QLatin1Char('\''))
                      ? QLatin1Char('\'') + QString(a).replace(QLatin1Char('\''), QStringLiteral("'\\''")) + QLatin1Char('\'')
                      : a);
    return parts.join(QLatin1Char(' '));
}

bool tcpPortFree(int port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return false;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
}
} // namespace

bool runningAsRoot() { return ::geteuid() == 0; }

QString resolveBinDir(const QString& preferred)
{
    auto hasPgCtl = [](const QString& dir) { return !dir.isEmpty() && QFileInfo(dir + QStringLiteral("/pg_ctl")).isExecutable(); };
    if (!preferred.isEmpty())
        return hasPgCtl(preferred) ? preferred : QString();
    const QString debian = QStringLiteral("/usr/lib/postgresql/15/bin");
    if (hasPgCtl(debian))
        return debian;
    const QString pgConfig = findTool(QStringLiteral("pg_config"));
    if (pgConfig.isEmpty())
        return {};
    QProcess p;
    p.start(pgConfig, {QStringLiteral("--bindir")});
    if (!p.waitForFinished(10000) || p.exitCode() != 0)
        return {};
    const QString dir = QString::fromLocal8Bit(p.readAllStandardOutput()).trimmed();
    return hasPgCtl(dir) ? dir : QString();
}

void giveToServerUser(const QString& path)
{
    if (!runningAsRoot())
        return;
    const passwd* pw = ::getpwnam(kServerUser);
    if (!pw)
        fail(QStringLiteral("LocalCluster: running as root, but there is no '%1' user to run PostgreSQL as "
                            "(install postgresql-common, which creates it)").arg(QLatin1String(kServerUser)));
    if (::chown(QFile::encodeName(path).constData(), pw->pw_uid, pw->pw_gid) != 0)
        fail(QStringLiteral("LocalCluster: cannot give %1 to user '%2': %3")
                 .arg(path, QLatin1String(kServerUser), QString::fromLocal8Bit(strerror(errno))));
}

ToolRun runServerTool(const QString& program, const QStringList& args, int timeoutMs, const QString& workDir,
                      bool allowFailure)
{
    QString exe = program;
    QStringList argv = args;
    if (runningAsRoot()) {
        const QString runuser = findTool(QStringLiteral("runuser"));
        if (runuser.isEmpty())
            fail(QStringLiteral("LocalCluster: running as root but runuser (util-linux) is not installed"));
        argv = QStringList{QStringLiteral("-u"), QLatin1String(kServerUser), QStringLiteral("--"), program} + args;
        exe = runuser;
    }
    const QString shown = shellJoin(exe, argv);

    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString& key : env.keys())
        if (key.startsWith(QLatin1String("PG")))
            env.remove(key);
    QProcess p;
    p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.setStandardInputFile(QProcess::nullDevice());
    // The server user must be able to enter the working directory (root's cwd often is /root).
    p.setWorkingDirectory(workDir);
    p.start(exe, argv);
    if (!p.waitForStarted(10000))
        fail(QStringLiteral("LocalCluster: cannot start `%1`: %2").arg(shown, p.errorString()));
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        fail(QStringLiteral("LocalCluster: `%1` did not finish within %2 s\n%3")
                 .arg(shown).arg(timeoutMs / 1000).arg(QString::fromLocal8Bit(p.readAll())));
    }
    ToolRun run;
    run.output = p.readAll();
    run.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    if (run.exitCode != 0 && !allowFailure)
        fail(QStringLiteral("LocalCluster: `%1` failed (exit code %2)\n%3")
                 .arg(shown).arg(run.exitCode).arg(QString::fromLocal8Bit(run.output).trimmed()));
    return run;
}

int findFreePort(const QString& socketDir, const QSet<int>& avoid)
{
    const QStringList socketDirs{socketDir, QStringLiteral("/tmp"), QStringLiteral("/var/run/postgresql")};
    // A random start spreads parallel test executables apart; each then probes upwards.
    const int first = 20000 + static_cast<int>(QRandomGenerator::global()->bounded(40000));
    for (int i = 0; i < 500; ++i) {
        const int port = 20000 + (first - 20000 + i) % 40000;
        if (avoid.contains(port))
            continue;
        bool socketExists = false;
        for (const QString& dir : socketDirs)
            socketExists = socketExists || QFileInfo::exists(QStringLiteral("%1/.s.PGSQL.%2").arg(dir).arg(port));
        if (!socketExists && tcpPortFree(port))
            return port;
    }
    fail(QStringLiteral("LocalCluster: no free port found between 20000 and 60000"));
}

qint64 postmasterPid(const QString& dataDir)
{
    QFile f(dataDir + QStringLiteral("/postmaster.pid"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    return f.readLine().trimmed().toLongLong();
}

bool processAlive(qint64 pid)
{
    if (pid <= 0 || ::kill(static_cast<pid_t>(pid), 0) != 0)
        return false;
    // The state follows the last ')' of /proc/PID/stat (the command name may itself hold parentheses).
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return true;
    const QByteArray line = stat.readAll();
    const int close = line.lastIndexOf(')');
    const char state = close >= 0 && close + 2 < line.size() ? line.at(close + 2) : '?';
    return state != 'Z' && state != 'X';
}

bool signalPostmasterAndWait(const QString& dataDir, int signal, int timeoutMs)
{
    const QString pidFile = dataDir + QStringLiteral("/postmaster.pid");
    const qint64 pid = postmasterPid(dataDir);
    if (pid <= 0 || !processAlive(pid))
        return true;   // not running (a stale pid file after a crash does not count)
    ::kill(static_cast<pid_t>(pid), signal);
    QElapsedTimer t;
    t.start();
    // The postmaster removes postmaster.pid as its last act; that is what pg_ctl stop waits for too.
    while (QFileInfo::exists(pidFile) && processAlive(pid)) {
        if (t.elapsed() > timeoutMs)
            return false;
        QThread::msleep(20);
    }
    return true;
}

QString fileTail(const QString& path, qint64 maxBytes)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QStringLiteral("(no log at %1)").arg(path);
    const qint64 size = f.size();
    if (size > maxBytes) {
        f.seek(size - maxBytes);
        f.readLine();   // drop the partial first line
    }
    return QString::fromLocal8Bit(f.readAll()).trimmed();
}

QString conninfoValue(const QString& value)
{
    static const QString special = QStringLiteral(" '\\\t\n\r=");
    bool needsQuotes = value.isEmpty();
    for (const QChar c : value)
        needsQuotes = needsQuotes || special.contains(c);
    if (!needsQuotes)
        return value;
    QString v = value;
    v.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('\''), QStringLiteral("\\'"));
    return QLatin1Char('\'') + v + QLatin1Char('\'');
}

} // namespace lockstep::local
