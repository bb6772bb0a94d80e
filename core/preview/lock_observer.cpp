// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/preview/lock_observer.h"

#include <QVariant>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <libpq-fe.h>
#include <mutex>
#include <thread>

namespace lockstep::preview {

namespace {
// libpq keyword=value syntax: single quotes, with \ and ' escaped by a backslash.
QString conninfoValue(const char* value)
{
    QString v = QString::fromUtf8(value);
    v.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    v.replace(QLatin1Char('\''), QLatin1String("\\'"));
    return QLatin1Char('\'') + v + QLatin1Char('\'');
}
} // namespace

std::unique_ptr<pg::Connection> openSiblingConnection(const pg::Connection& conn, const QString& applicationName)
{
    PQconninfoOption* options = PQconninfo(conn.raw());
    if (!options) {
        pg::PgError e;
        e.sqlstate = QStringLiteral("08001");
        e.message = QStringLiteral("cannot read the connection's parameters (out of memory)");
        throw pg::PgException(e);
    }
    QStringList parts;
    for (PQconninfoOption* o = options; o->keyword; ++o) {
        const QByteArray key(o->keyword);
        if (!o->val || !*o->val || key == "application_name" || key == "fallback_application_name")
            continue;
        parts << QString::fromLatin1(key) + QLatin1Char('=') + conninfoValue(o->val);
    }
    PQconninfoFree(options);
    parts << QStringLiteral("application_name=") + conninfoValue(applicationName.toUtf8().constData());
    return pg::Connection::open(parts.join(QLatin1Char(' ')));
}

LockObserver::LockObserver(const pg::Connection& watched)
    : m_conn(openSiblingConnection(watched, QStringLiteral("lockstep preview observer"))),
      m_pid(watched.backendPid()),
      m_sql(pg::sqlResource(QStringLiteral("preview_backend_locks")))
{
}

QVector<RelationLock> LockObserver::locks(bool waitingOnly)
{
    const pg::Result r = m_conn->exec(m_sql, {m_pid, waitingOnly ? QStringLiteral("true") : QStringLiteral("false")});
    QVector<RelationLock> out;
    for (int i = 0; i < r.rows(); ++i) {
        const auto mode = lockModeFromName(r.value(i, "mode"));
        if (!mode)
            continue;   // not a table-level mode (none exist today for locktype 'relation')
        RelationLock l;
        l.oid = r.value(i, "relation_oid").toUInt();
        l.mode = *mode;
        l.granted = r.value(i, "granted") == QLatin1String("t");
        l.relation = r.value(i, "relation");
        out << l;
    }
    return out;
}

QString LockObserver::holdBlocker(const QString& table, int timeoutMs)
{
    releaseBlocker();
    try {
        m_conn->exec(QStringLiteral("BEGIN"));
        m_blocking = true;
        m_conn->exec(QStringLiteral("SELECT set_config('lock_timeout', $1, true)"),
                     {QStringLiteral("%1ms").arg(qMax(1, timeoutMs))});
        m_conn->exec(QStringLiteral("LOCK TABLE %1 IN SHARE UPDATE EXCLUSIVE MODE").arg(table));
    } catch (const pg::PgException& e) {
        if (e.error().isConnectionError() || !m_conn->isOk())
            throw;
        releaseBlocker();
        return e.error().message;
    }
    return {};
}

void LockObserver::releaseBlocker()
{
    if (!m_blocking)
        return;
    m_blocking = false;
    m_conn->exec(QStringLiteral("ROLLBACK"));
}

QVector<RelationLock> LockObserver::watch(const std::function<void()>& work, int intervalMs)
{
    std::mutex mutex;
    std::condition_variable wake;
    bool done = false;
    QVector<RelationLock> seen;
    std::exception_ptr pollError;
    std::thread poller([&] {
        std::unique_lock<std::mutex> lock(mutex);
        // A statement that finishes within the first interval never waited long enough to matter.
        while (!wake.wait_for(lock, std::chrono::milliseconds(intervalMs), [&] { return done; })) {
            lock.unlock();
            QVector<RelationLock> now;
            try {
                now = locks(false);
            } catch (...) {
                lock.lock();
                pollError = std::current_exception();
                return;
            }
            lock.lock();
            for (const RelationLock& l : now) {
                bool known = false;
                for (RelationLock& w : seen) {
                    if (w.oid == l.oid && w.mode == l.mode) {
                        known = true;
                        w.granted = w.granted || l.granted;
                    }
                }
                if (!known)
                    seen << l;
            }
        }
    });
    std::exception_ptr workError;
    try {
        work();
    } catch (...) {
        workError = std::current_exception();
    }
    {
        std::lock_guard<std::mutex> lock(mutex);
        done = true;
    }
    wake.notify_all();
    poller.join();
    if (workError)
        std::rethrow_exception(workError);
    if (pollError)
        std::rethrow_exception(pollError);
    return seen;
}

} // namespace lockstep::preview
