// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/db_session.h"

#include "ui/db_worker.h"

#include <QThread>

namespace lockstep::ui {

void registerMetaTypes()
{
    qRegisterMetaType<pg::CatalogSnapshot>();
    qRegisterMetaType<TableSnapshot>();
    qRegisterMetaType<pg::PgError>();
}

DbSession::DbSession(QObject* parent) : QObject(parent)
{
    registerMetaTypes();
    m_thread = new QThread;          // no parent: it may outlive the session while a connect finishes
    m_thread->setObjectName(QStringLiteral("lockstep-db"));
    m_worker = new DbWorker;
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_thread, &QThread::finished, m_thread, &QObject::deleteLater);

    connect(m_worker, &DbWorker::connected, this, &DbSession::connected);
    connect(m_worker, &DbWorker::passwordNeeded, this, &DbSession::passwordNeeded);
    connect(m_worker, &DbWorker::connectFailed, this, &DbSession::connectFailed);
    connect(m_worker, &DbWorker::catalogLoaded, this, [this](int job, const pg::CatalogSnapshot& s) {
        if (job != m_catalogJob)
            return;
        m_catalogPending = false;
        emit catalogLoaded(s);
    });
    connect(m_worker, &DbWorker::ratesRefreshed, this, [this](int job, const pg::CatalogSnapshot& s) {
        if (job != m_catalogJob)
            return;
        m_catalogPending = false;
        emit ratesRefreshed(s);
    });
    connect(m_worker, &DbWorker::tableLoaded, this, [this](int job, const TableSnapshot& t) {
        if (job == m_tableJob)
            emit tableLoaded(t);
    });
    connect(m_worker, &DbWorker::jobFailed, this, [this](int job, const pg::PgError& e) {
        if (job == m_catalogJob) {
            m_catalogPending = false;
            emit catalogFailed(e);
        } else if (job == m_tableJob) {
            emit tableFailed(m_tableOid, e);
        }
    });
    m_thread->start();
}

DbSession::~DbSession()
{
    // Cut the worker off first, so nothing it still sends reaches a window that moved on.
    m_worker->disconnect(this);
    m_thread->quit();
}

void DbSession::open(const QString& conninfo, const QString& password)
{
    QMetaObject::invokeMethod(m_worker, [w = m_worker, conninfo, password] { w->open(conninfo, password); },
                              Qt::QueuedConnection);
}

void DbSession::requestCatalog()
{
    const int job = m_catalogJob = m_nextJob++;
    m_catalogPending = true;
    QMetaObject::invokeMethod(m_worker, [w = m_worker, job] { w->loadCatalog(job); }, Qt::QueuedConnection);
}

void DbSession::requestRates()
{
    if (m_catalogPending)
        return;
    const int job = m_catalogJob = m_nextJob++;
    m_catalogPending = true;
    QMetaObject::invokeMethod(m_worker, [w = m_worker, job] { w->refreshRates(job); }, Qt::QueuedConnection);
}

void DbSession::requestTable(quint32 oid)
{
    const int job = m_tableJob = m_nextJob++;
    m_tableOid = oid;
    QMetaObject::invokeMethod(m_worker, [w = m_worker, job, oid] { w->loadTable(job, oid); }, Qt::QueuedConnection);
}

} // namespace lockstep::ui
