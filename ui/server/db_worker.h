// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/plan/planner.h"
#include "ui/server/catalog_types.h"

#include <QObject>
#include <QVariantMap>
#include <memory>

namespace lockstep::pg { class Connection; }

namespace lockstep::ui {

// Lives on its own QThread and owns the session's one database connection; every slot blocks on the
// network there, never on the GUI thread. Results go back through queued signals tagged with the job id
// the GUI gave, so the GUI can drop results of jobs it no longer wants.
class DbWorker : public QObject {
    Q_OBJECT
public:
    DbWorker();
    ~DbWorker() override;

public slots:
    void open(const QString& conninfo, const QString& password);
    void loadCatalog(int job);
    void refreshRates(int job);
    void loadTable(int job, quint32 oid);
    // The change composer's jobs.
    void loadTypes(int job);
    void loadReferenceColumns(int job, quint32 oid);
    void planChange(int job, const lockstep::NewColumnChange& change);
    void observeLocks(int job, const lockstep::Plan& plan);

signals:
    // database, user, host, port, version (e.g. "15.4"), versionNum.
    void connected(const QVariantMap& info);
    void passwordNeeded();
    void connectFailed(const lockstep::pg::PgError& error);
    void catalogLoaded(int job, const lockstep::pg::CatalogSnapshot& snapshot);
    void ratesRefreshed(int job, const lockstep::pg::CatalogSnapshot& snapshot);
    void tableLoaded(int job, const lockstep::TableSnapshot& table);
    void typesLoaded(int job, const QStringList& names);
    void referenceColumnsLoaded(int job, quint32 oid, const QVector<lockstep::ui::ReferenceColumn>& columns);
    void changePlanned(int job, const lockstep::Plan& plan);
    // The change cannot be done as given: `field` is ChangeError's field (add_column, type, ...).
    void changeRefused(int job, const QString& field, const QString& reason);
    void locksObserved(int job, const QVector<lockstep::preview::StepObservation>& observations);
    void jobFailed(int job, const lockstep::pg::PgError& error);

private:
    bool ensureConnection(int job);
    std::unique_ptr<pg::Connection> m_conn;
    QString m_conninfo;
    PlannerOptions m_plannerOptions;   // calibrated on this server's earlier runs at each catalog read
    pg::CatalogSnapshot m_last;
    bool m_haveSnapshot = false;
};

} // namespace lockstep::ui
