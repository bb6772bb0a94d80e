// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "ui/catalog_types.h"

#include <QObject>
#include <QVariantMap>

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

signals:
    void connected(const QVariantMap& info);
    void passwordNeeded();
    void connectFailed(const lockstep::pg::PgError& error);
    void catalogLoaded(const lockstep::pg::CatalogSnapshot& snapshot);
    void ratesRefreshed(const lockstep::pg::CatalogSnapshot& snapshot);
    void catalogFailed(const lockstep::pg::PgError& error);
    void tableLoaded(const lockstep::TableSnapshot& table);
    void tableFailed(quint32 oid, const lockstep::pg::PgError& error);

private:
    QThread* m_thread;
    DbWorker* m_worker;
    int m_nextJob = 1;
    int m_catalogJob = 0;
    int m_tableJob = 0;
    quint32 m_tableOid = 0;
    bool m_catalogPending = false;
};

} // namespace lockstep::ui
