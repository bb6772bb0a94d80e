// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QSet>
#include <QString>
#include <QStringList>

// Small operating-system helpers for LocalCluster: running PostgreSQL's tools as the right user, finding a
// free port, and reading or signalling a postmaster through its postmaster.pid file.
namespace lockstep::local {

// PostgreSQL refuses to run as root: when we are root, server tools run as this user through runuser.
inline constexpr const char* kServerUser = "postgres";

bool runningAsRoot();

// Where initdb, pg_ctl, pg_basebackup live: `preferred` if given, else /usr/lib/postgresql/15/bin when
// present, else `pg_config --bindir`. Returns an empty string if none holds pg_ctl.
QString resolveBinDir(const QString& preferred = {});

// Gives `path` to the server user (when root), so the server can write its data, socket and log there.
// Throws std::runtime_error if the user does not exist or chown fails.
void giveToServerUser(const QString& path);

struct ToolRun {
    int exitCode = -1;
    QByteArray output;          // stdout and stderr, merged
};

// Runs `program` (a full path) with `args`, through `runuser -u postgres --` when root, with PG* variables
// removed from the environment so that only our arguments decide where it connects. Throws
// std::runtime_error naming the command, its exit code and output if it cannot start, times out or exits
// non-zero (unless `allowFailure`).
ToolRun runServerTool(const QString& program, const QStringList& args, int timeoutMs,
                      const QString& workDir, bool allowFailure = false);

// A TCP port number that no server is using: nothing listens on 127.0.0.1 with it and no socket file for
// it exists in `socketDir` or the usual system socket directories. Throws if none is found.
int findFreePort(const QString& socketDir, const QSet<int>& avoid = {});

// The postmaster's pid from DATADIR/postmaster.pid, 0 if the file is absent or unreadable.
qint64 postmasterPid(const QString& dataDir);
// True if the process exists and is not a zombie (an unreaped postmaster must count as gone).
bool processAlive(qint64 pid);

// Sends `signal` to the postmaster (SIGINT: fast shutdown, SIGQUIT: immediate) and waits up to `timeoutMs`
// for it to remove postmaster.pid. Returns true once the server is gone (or was not running).
bool signalPostmasterAndWait(const QString& dataDir, int signal, int timeoutMs);

// The last `maxBytes` of a text file (a server log), starting at a line boundary.
QString fileTail(const QString& path, qint64 maxBytes = 4000);

// `value` as a libpq conninfo value: single-quoted with backslash escapes when it needs quoting.
QString conninfoValue(const QString& value);

} // namespace lockstep::local
