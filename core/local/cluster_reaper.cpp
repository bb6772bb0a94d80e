// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/local/cluster_reaper.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <mutex>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace lockstep::local {

namespace {
// Everything the signal handler touches is preallocated here: a handler may only call
// async-signal-safe functions (open, read, kill, access, nanosleep, fork, execv, waitpid), never malloc.
constexpr int kSlots = 32;
constexpr int kPathMax = 512;
constexpr int kDataDirs = 2;

struct Slot {
    std::atomic<bool> used{false};
    char root[kPathMax];
    char pidFiles[kDataDirs][kPathMax];   // DATADIR/postmaster.pid, empty string if unused
};

Slot g_slots[kSlots];
std::mutex g_trackMutex;
pid_t g_owner = 0;
bool g_installed = false;
constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
struct sigaction g_previous[3];

void sleepMs(long ms)
{
    timespec ts{ms / 1000, (ms % 1000) * 1000000L};
    ::nanosleep(&ts, nullptr);
}

pid_t readPid(const char* pidFile)
{
    const int fd = ::open(pidFile, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    char buf[32];
    const ssize_t n = ::read(fd, buf, sizeof buf);
    ::close(fd);
    pid_t pid = 0;
    for (ssize_t i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; ++i)
        pid = pid * 10 + (buf[i] - '0');
    return pid;
}

// Immediate shutdown, then SIGKILL if the postmaster has not removed its pid file within 10 s.
void stopServer(const char* pidFile)
{
    const pid_t pid = readPid(pidFile);
    if (pid <= 0 || ::kill(pid, SIGQUIT) != 0)
        return;
    for (int i = 0; i < 500 && ::access(pidFile, F_OK) == 0; ++i)
        sleepMs(20);
    if (::access(pidFile, F_OK) == 0)
        ::kill(pid, SIGKILL);
}

void removeTree(const char* root)
{
    const pid_t child = ::fork();
    if (child == 0) {
        const char* argv[] = {"rm", "-rf", "--", root, nullptr};
        ::execv("/bin/rm", const_cast<char* const*>(argv));
        ::_exit(127);
    }
    if (child > 0) {
        int status = 0;
        while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
        }
    }
}

void reapAll()
{
    // A forked child (e.g. between fork and exec) must never tear down its parent's servers.
    if (::getpid() != g_owner)
        return;
    for (Slot& slot : g_slots) {
        if (!slot.used.exchange(false))
            continue;
        for (int d = kDataDirs - 1; d >= 0; --d)   // the replica first
            if (slot.pidFiles[d][0])
                stopServer(slot.pidFiles[d]);
        removeTree(slot.root);
    }
}

void onSignal(int sig)
{
    const int saved = errno;
    reapAll();
    for (int i = 0; i < 3; ++i)
        if (kSignals[i] == sig)
            ::sigaction(sig, &g_previous[i], nullptr);
    // Delivered once we return: to the previous handler, or the default action (termination).
    ::raise(sig);
    errno = saved;
}

void atExit() { reapAll(); }

void installOnce()
{
    if (g_installed)
        return;
    g_installed = true;
    g_owner = ::getpid();
    std::atexit(atExit);
    for (int i = 0; i < 3; ++i) {
        struct sigaction previous{};
        ::sigaction(kSignals[i], nullptr, &previous);
        g_previous[i] = previous;
        if (!(previous.sa_flags & SA_SIGINFO) && previous.sa_handler == SIG_IGN)
            continue;   // the process chose to ignore it: it will not die from it
        struct sigaction ours{};
        ours.sa_handler = onSignal;
        sigemptyset(&ours.sa_mask);
        ours.sa_flags = SA_RESTART;
        ::sigaction(kSignals[i], &ours, nullptr);
    }
}

void copyPath(char* out, const QString& path)
{
    const QByteArray bytes = QFile::encodeName(path);
    if (bytes.size() >= kPathMax)
        throw std::runtime_error("LocalCluster: path too long for the cleanup registry: " + bytes.toStdString());
    std::memcpy(out, bytes.constData(), static_cast<size_t>(bytes.size()) + 1);
}
} // namespace

int trackCluster(const QString& rootDir, const QStringList& dataDirs)
{
    std::lock_guard<std::mutex> lock(g_trackMutex);
    installOnce();
    for (int i = 0; i < kSlots; ++i) {
        Slot& slot = g_slots[i];
        if (slot.used.load())
            continue;
        copyPath(slot.root, rootDir);
        for (int d = 0; d < kDataDirs; ++d) {
            if (d < dataDirs.size())
                copyPath(slot.pidFiles[d], dataDirs.at(d) + QStringLiteral("/postmaster.pid"));
            else
                slot.pidFiles[d][0] = '\0';
        }
        slot.used.store(true);   // published last: the handler only reads complete slots
        return i;
    }
    throw std::runtime_error("LocalCluster: more than 32 clusters alive in one process");
}

void untrackCluster(int handle)
{
    if (handle >= 0 && handle < kSlots)
        g_slots[handle].used.store(false);
}

void startWatchdog(const QString& rootDir, const QStringList& dataDirs)
{
    // $1 owner pid, $2 root dir, then data dirs. The owner counts as gone once it is a zombie, too.
    static const QString script = QStringLiteral(R"SH(
owner=$1; root=$2; shift 2
alive() {
  s=$(sed -n 's/^.*) \(.\).*$/\1/p' "/proc/$owner/stat" 2>/dev/null)
  [ -n "$s" ] && [ "$s" != Z ] && [ "$s" != X ]
}
while [ -d "$root" ] && alive; do sleep 1; done
[ -d "$root" ] || exit 0
for d in "$@"; do
  f="$d/postmaster.pid"
  [ -f "$f" ] || continue
  pid=$(head -n 1 "$f")
  kill -QUIT "$pid" 2>/dev/null || continue
  n=0
  while [ -f "$f" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
  [ -f "$f" ] && kill -KILL "$pid" 2>/dev/null
done
rm -rf -- "$root"
)SH");
    QString setsid = QStandardPaths::findExecutable(QStringLiteral("setsid"));
    QStringList args{QStringLiteral("sh"), QStringLiteral("-c"), script, QStringLiteral("lockstep-watchdog"),
                     QString::number(::getpid()), rootDir};
    args += dataDirs;
    QProcess p;
    if (setsid.isEmpty()) {   // util-linux is essential on Debian; without it Qt's own detaching must do
        p.setProgram(QStringLiteral("/bin/sh"));
        args.removeFirst();
    } else {
        p.setProgram(setsid);
    }
    p.setArguments(args);
    // No inherited pipes: a test runner waiting for our stdout to close must not wait for the watchdog.
    p.setStandardInputFile(QProcess::nullDevice());
    p.setStandardOutputFile(QProcess::nullDevice());
    p.setStandardErrorFile(QProcess::nullDevice());
    p.setWorkingDirectory(QStringLiteral("/"));
    if (!p.startDetached())
        throw std::runtime_error("LocalCluster: cannot start the cleanup watchdog: " + p.errorString().toStdString());
}

} // namespace lockstep::local
