// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>
#include <QStringList>

namespace lockstep {

struct LocalClusterOptions {
    bool withReplica = false;        // a streaming replica made with pg_basebackup -R, on its own port
    bool fsync = false;              // tests: off (also full_page_writes, synchronous_commit); the demo: on
    QStringList settings;            // extra "name=value" server settings, e.g. "log_statement=all"
    QString binDir;                  // empty: /usr/lib/postgresql/15/bin if present, else `pg_config --bindir`
};

// A private PostgreSQL server (and optionally a streaming replica) in a fresh directory under /tmp,
// reachable only through a unix socket in that directory, with trust authentication for user postgres.
// When the process runs as root the server runs as the `postgres` user. The directory and the servers
// go away with the object, on exit(), on SIGINT/SIGTERM/SIGHUP, and (through a watchdog process) even
// when the owner is killed with SIGKILL. Not thread-safe; one owner thread.
class LocalCluster {
public:
    explicit LocalCluster(LocalClusterOptions options = {});
    ~LocalCluster();                 // stops the servers (fast shutdown) and removes the directory
    LocalCluster(const LocalCluster&) = delete;
    LocalCluster& operator=(const LocalCluster&) = delete;

    // Creates the cluster on first use (initdb, and pg_basebackup for the replica), then starts the servers
    // and, with a replica, waits until it streams. After stop() it starts the same cluster again.
    // Throws std::runtime_error naming the failed command, its exit code and the tail of the server log.
    void start();
    void stop();                     // fast shutdown of replica and primary; the data stays until destruction
    void restartFast();              // fast shutdown and start of the primary, same data and port
    void restartImmediate();         // a crash: immediate shutdown (WAL not yet written is lost), then start
    bool isRunning() const;          // the primary's postmaster is alive
    // A managed service's failover: the primary dies (immediate shutdown: what the replica has not received
    // is lost) and the replica is promoted (pg_ctl promote, waits until it accepts writes).
    void failover();

    QString conninfo(const QString& dbname = QStringLiteral("postgres")) const;  // host=<socket dir> port=N user=postgres dbname=...
    QString replicaConninfo(const QString& dbname = QStringLiteral("postgres")) const;
    // Both servers, the writable one chosen (libpq multi-host, target_session_attrs=read-write): after
    // failover() it reaches the promoted replica, as a managed service's endpoint does.
    QString failoverConninfo(const QString& dbname = QStringLiteral("postgres")) const;
    int port() const { return m_port; }
    int replicaPort() const { return m_replicaPort; }       // 0 without a replica
    QString dataDir() const;
    QString replicaDataDir() const;                          // empty without a replica
    QString socketDir() const { return m_root; }
    QString logFilePath() const;
    QString replicaLogFilePath() const;
    QString binDir() const { return m_binDir; }              // empty if no server binaries were found
    qint64 postmasterPid() const;                            // 0 when not running

    // CREATE DATABASE with the name quoted by libpq; returns the new database's conninfo.
    QString createDatabase(const QString& name);

private:
    void restartAfter(int stopSignal, const char* caller);   // stop the primary with that signal, start it
    void createDirectory();
    void removeEverything();
    void initPrimary();
    void createReplica();
    void startServer(const QString& dataDir, const QString& logFile);
    void waitForStreaming();
    void appendSettings(const QString& dataDir, const QStringList& settings) const;
    QStringList serverSettings() const;
    QString tool(const char* name) const;
    [[noreturn]] void failWithLog(const QString& what, const QString& logFile) const;

    LocalClusterOptions m_options;
    QString m_binDir;
    QString m_root;                  // the temp dir: data dirs, logs and the unix sockets
    int m_port = 0;
    int m_replicaPort = 0;
    int m_reaperHandle = -1;
    bool m_created = false;
};

} // namespace lockstep
