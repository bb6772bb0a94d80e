// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/pg/connection.h"
#include "core/plan/lock_mode.h"

#include <QString>
#include <QVector>
#include <functional>
#include <memory>

namespace lockstep::preview {

// One row of pg_locks for a relation.
struct RelationLock {
    quint32 oid = 0;
    LockMode mode = LockMode::AccessShare;
    bool granted = true;
    QString relation;           // "schema.name"; empty when the observer cannot see it (created uncommitted)
    bool probed = false;        // seen only while the statement was tried alone (the preview's lock probe)
};

// Opens a connection with the same parameters as `conn` (libpq's PQconninfo: host, port, user, password,
// dbname, sslmode ...), named "lockstep preview observer" in pg_stat_activity. The parameters never leave
// memory: nothing is logged. Throws PgException (08001) when it cannot connect.
std::unique_ptr<pg::Connection> openSiblingConnection(const pg::Connection& conn, const QString& applicationName);

// A second session that reads the relation locks of one backend (the preview's), from outside its
// transaction: they stay readable after a statement failed and the transaction is aborted.
class LockObserver {
public:
    explicit LockObserver(const pg::Connection& watched);
    // Every relation lock the watched backend holds or waits for now (`waitingOnly`: only the waits).
    QVector<RelationLock> locks(bool waitingOnly = false);
    // Runs `work` (statements on the watched connection) while a thread polls the watched backend's locks
    // every `intervalMs`; returns every lock seen at a poll, granted or still waiting (a mode seen granted
    // once is kept granted). A lock held only for less than one interval is missed: what matters is what
    // a statement waits for, which lasts. The observer connection is used only by that thread until `work`
    // returns. Rethrows what `work` throws after the thread stopped.
    QVector<RelationLock> watch(const std::function<void()>& work, int intervalMs = 20);

    // Takes SHARE UPDATE EXCLUSIVE on `table` (a quoted name) in a transaction of the observer, waiting at
    // most `timeoutMs`: any request of that mode or stronger by the watched backend then waits, and shows
    // in pg_locks, even when the statement fails afterwards (a failed statement's locks are released at
    // once, before anyone can read them). The mode blocks no reads or writes of other sessions, only their
    // DDL, VACUUM and ANALYZE, and only until releaseBlocker(). Returns the server's message when the lock
    // could not be had (empty on success).
    QString holdBlocker(const QString& table, int timeoutMs);
    void releaseBlocker();

private:
    std::unique_ptr<pg::Connection> m_conn;
    int m_pid = 0;
    QString m_sql;
    bool m_blocking = false;
};

} // namespace lockstep::preview
