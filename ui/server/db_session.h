// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "ui/server/catalog_types.h"

#include <QObject>
#include <QVariantMap>
#include <optional>

class QThread;

namespace lockstep::ui {

class DbWorker;

// The GUI thread's handle on one database session: a DbWorker on its own QThread. Requests return at
// once; answers arrive as signals. Each kind of request carries a job id and only the newest one's answer
// is passed on. Deleting the session abandons it: a connect attempt still under way finishes on its
// thread and is ignored (libpq cannot stop a connect from another thread), then the thread ends and
// cleans up after itself.
class DbSession : public QObject {
    Q_OBJECT
public:
    explicit DbSession(QObject* parent = nullptr);
    ~DbSession() override;

    // The password, if any, stays in memory for this attempt only.
    void open(const QString& conninfo, const QString& password = {});
    void requestCatalog();
    void requestRates();          // skipped while a catalog or rates job is still running
    void requestTable(quint32 oid);
    bool isBusyWithCatalog() const { return m_catalogPending; }

    // The change composer's requests. Types: once per connection. Plans: the composer asks on every
    // (debounced) edit; while one is being planned only the newest later request waits, older ones are
    // dropped, and an answer is passed on only if no newer request came after it (newest job wins).
    void requestTypes();
    void requestReferenceColumns(quint32 oid);
    void requestPlan(const lockstep::NewColumnChange& change);
    void requestLockPreview(const lockstep::Plan& plan);
    bool isPlanning() const { return m_planInFlight || m_pendingPlan.has_value(); }

signals:
    void connected(const QVariantMap& info);
    void passwordNeeded();
    void connectFailed(const lockstep::pg::PgError& error);
    void catalogLoaded(const lockstep::pg::CatalogSnapshot& snapshot);
    void ratesRefreshed(const lockstep::pg::CatalogSnapshot& snapshot);
    void catalogFailed(const lockstep::pg::PgError& error);
    void tableLoaded(const lockstep::TableSnapshot& table);
    void tableFailed(quint32 oid, const lockstep::pg::PgError& error);
    void typesLoaded(const QStringList& names);
    void referenceColumnsLoaded(quint32 oid, const QVector<lockstep::ui::ReferenceColumn>& columns);
    void referenceColumnsFailed(quint32 oid, const lockstep::pg::PgError& error);
    void planReady(const lockstep::Plan& plan);
    void planRefused(const QString& field, const QString& reason);
    void planFailed(const lockstep::pg::PgError& error);
    void locksObserved(const QVector<lockstep::preview::StepObservation>& observations);
    void lockPreviewFailed(const lockstep::pg::PgError& error);

private:
    void sendPlan(const NewColumnChange& change);
    void planAnswered(int job);

    QThread* m_thread;
    DbWorker* m_worker;
    int m_nextJob = 1;
    int m_catalogJob = 0;
    int m_tableJob = 0;
    quint32 m_tableOid = 0;
    bool m_catalogPending = false;
    int m_typesJob = 0;
    int m_referenceJob = 0;
    quint32 m_referenceOid = 0;
    int m_planJob = 0;                               // the newest plan request sent to the worker
    bool m_planInFlight = false;
    std::optional<NewColumnChange> m_pendingPlan;    // asked for while another was being planned
    int m_previewJob = 0;
};

} // namespace lockstep::ui
