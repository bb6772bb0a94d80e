// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/server/db_session.h"

#include "ui/server/db_worker.h"

#include <QThread>

namespace lockstep::ui {

void registerMetaTypes()
{
    qRegisterMetaType<pg::CatalogSnapshot>();
    qRegisterMetaType<TableSnapshot>();
    qRegisterMetaType<pg::PgError>();
    qRegisterMetaType<NewColumnChange>();
    qRegisterMetaType<Plan>();
    qRegisterMetaType<preview::StepObservation>();
    qRegisterMetaType<QVector<preview::StepObservation>>();
    qRegisterMetaType<ReferenceColumn>();
    qRegisterMetaType<QVector<ReferenceColumn>>();
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
    connect(m_worker, &DbWorker::typesLoaded, this, [this](int job, const QStringList& names) {
        if (job == m_typesJob)
            emit typesLoaded(names);
    });
    connect(m_worker, &DbWorker::referenceColumnsLoaded, this,
            [this](int job, quint32 oid, const QVector<ReferenceColumn>& columns) {
                if (job == m_referenceJob)
                    emit referenceColumnsLoaded(oid, columns);
            });
    connect(m_worker, &DbWorker::changePlanned, this, [this](int job, const Plan& plan) {
        const bool newest = job == m_planJob && !m_pendingPlan;
        planAnswered(job);
        if (newest)
            emit planReady(plan);
    });
    connect(m_worker, &DbWorker::changeRefused, this, [this](int job, const QString& field, const QString& reason) {
        const bool newest = job == m_planJob && !m_pendingPlan;
        planAnswered(job);
        if (newest)
            emit planRefused(field, reason);
    });
    connect(m_worker, &DbWorker::locksObserved, this, [this](int job, const QVector<preview::StepObservation>& obs) {
        if (job == m_previewJob)
            emit locksObserved(obs);
    });
    connect(m_worker, &DbWorker::jobFailed, this, [this](int job, const pg::PgError& e) {
        if (job == m_catalogJob) {
            m_catalogPending = false;
            emit catalogFailed(e);
        } else if (job == m_tableJob) {
            emit tableFailed(m_tableOid, e);
        } else if (job == m_referenceJob) {
            emit referenceColumnsFailed(m_referenceOid, e);
        } else if (job == m_previewJob) {
            emit lockPreviewFailed(e);
        } else if (job == m_planJob) {
            const bool newest = !m_pendingPlan;
            planAnswered(job);
            if (newest)
                emit planFailed(e);
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

void DbSession::requestTypes()
{
    const int job = m_typesJob = m_nextJob++;
    QMetaObject::invokeMethod(m_worker, [w = m_worker, job] { w->loadTypes(job); }, Qt::QueuedConnection);
}

void DbSession::requestReferenceColumns(quint32 oid)
{
    const int job = m_referenceJob = m_nextJob++;
    m_referenceOid = oid;
    QMetaObject::invokeMethod(m_worker, [w = m_worker, job, oid] { w->loadReferenceColumns(job, oid); },
                              Qt::QueuedConnection);
}

void DbSession::requestPlan(const NewColumnChange& change)
{
    // One plan at a time on the worker: a burst of edits leaves one request waiting, not a queue of
    // them that the worker would plan one after another long after the user stopped typing.
    if (m_planInFlight) {
        m_pendingPlan = change;
        return;
    }
    sendPlan(change);
}

void DbSession::sendPlan(const NewColumnChange& change)
{
    const int job = m_planJob = m_nextJob++;
    m_planInFlight = true;
    QMetaObject::invokeMethod(m_worker, [w = m_worker, job, change] { w->planChange(job, change); },
                              Qt::QueuedConnection);
}

void DbSession::planAnswered(int job)
{
    if (job != m_planJob)
        return;
    m_planInFlight = false;
    if (m_pendingPlan) {
        const NewColumnChange next = *m_pendingPlan;
        m_pendingPlan.reset();
        sendPlan(next);
    }
}

void DbSession::requestLockPreview(const Plan& plan)
{
    const int job = m_previewJob = m_nextJob++;
    QMetaObject::invokeMethod(m_worker, [w = m_worker, job, plan] { w->observeLocks(job, plan); },
                              Qt::QueuedConnection);
}

} // namespace lockstep::ui
