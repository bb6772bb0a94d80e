// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/server/db_worker.h"

#include "core/store/journal.h"
#include "core/store/measured_rates.h"

#include "core/change/change_error.h"
#include "core/change/change_resolver.h"
#include "core/change/privilege_preflight.h"
#include "core/pg/catalog_reader.h"
#include "core/pg/connection.h"
#include "core/plan/planner.h"
#include "core/preview/lock_preview.h"
#include "ui/connect/conninfo_tools.h"

#include <libpq-fe.h>

namespace lockstep::ui {

namespace {
pg::PgError errorOf(const std::exception& e)
{
    if (auto* pge = dynamic_cast<const pg::PgException*>(&e))
        return pge->error();
    pg::PgError err;
    err.message = QString::fromUtf8(e.what());
    return err;
}
} // namespace

DbWorker::DbWorker() = default;
DbWorker::~DbWorker() = default;

void DbWorker::open(const QString& conninfo, const QString& password)
{
    m_conninfo = conninfo;   // without the password: which server, for the journal's measured rates
    QString parseError;
    const QString full = conninfoForConnect(conninfo, password, &parseError);
    if (full.isEmpty()) {
        pg::PgError e;
        e.sqlstate = QStringLiteral("08001");
        e.message = parseError.isEmpty() ? QStringLiteral("the connection string does not parse") : parseError;
        emit connectFailed(e);
        return;
    }
    try {
        m_conn = pg::Connection::open(full);
    } catch (const pg::PgException& e) {
        // Ask for a password only when the server asked for one and we had none to give.
        if (password.isEmpty() && serverWantsPassword(full)) {
            emit passwordNeeded();
            return;
        }
        emit connectFailed(e.error());
        return;
    }
    PGconn* raw = m_conn->raw();
    QVariantMap info;
    info.insert(QStringLiteral("database"), QString::fromUtf8(PQdb(raw)));
    info.insert(QStringLiteral("user"), QString::fromUtf8(PQuser(raw)));
    info.insert(QStringLiteral("host"), QString::fromUtf8(PQhost(raw)));
    info.insert(QStringLiteral("port"), QString::fromUtf8(PQport(raw)));
    info.insert(QStringLiteral("version"), m_conn->serverVersion());
    info.insert(QStringLiteral("versionNum"), m_conn->serverVersionNum());
    emit connected(info);
}

bool DbWorker::ensureConnection(int job)
{
    if (m_conn && m_conn->isOk())
        return true;
    pg::PgError e;
    e.sqlstate = QStringLiteral("08003");
    e.message = QStringLiteral("not connected to the server (the connection was lost); reconnect");
    emit jobFailed(job, e);
    return false;
}

void DbWorker::loadCatalog(int job)
{
    if (!ensureConnection(job))
        return;
    try {
        // No rate sample here: the map is drawn at once and MainWindow asks for the rates a second later
        // (waiting for the sample made a 10,000-table catalog take 1.2 s instead of 0.5 s to appear).
        m_last = pg::readCatalog(*m_conn, 0);
        m_haveSnapshot = true;
        // The backfill's estimate from earlier runs on this server (the window's journal), as `lockstep plan`.
        // Read with the catalog, not with every plan the form asks for: a run ending reloads the catalog.
        m_plannerOptions = store::calibratedFromJournal({}, store::Journal::defaultPath(), m_conninfo);
        emit catalogLoaded(job, m_last);
    } catch (const std::exception& e) {
        emit jobFailed(job, errorOf(e));
    }
}

void DbWorker::refreshRates(int job)
{
    if (!ensureConnection(job))
        return;
    if (!m_haveSnapshot)
        return loadCatalog(job);
    try {
        pg::CatalogSnapshot next = m_last;
        pg::refreshRates(*m_conn, next, m_last);
        m_last = next;
        emit ratesRefreshed(job, m_last);
    } catch (const std::exception& e) {
        emit jobFailed(job, errorOf(e));
    }
}

void DbWorker::loadTable(int job, quint32 oid)
{
    if (!ensureConnection(job))
        return;
    try {
        emit tableLoaded(job, pg::readTableSnapshot(*m_conn, oid));
    } catch (const std::exception& e) {
        emit jobFailed(job, errorOf(e));
    }
}

void DbWorker::loadTypes(int job)
{
    if (!ensureConnection(job))
        return;
    try {
        const pg::Result r = m_conn->exec(pg::sqlResource(QStringLiteral("ui_types")));
        QStringList names;
        names.reserve(r.rows());
        for (int i = 0; i < r.rows(); ++i)
            names << r.value(i, "name");
        emit typesLoaded(job, names);
    } catch (const std::exception& e) {
        emit jobFailed(job, errorOf(e));
    }
}

void DbWorker::loadReferenceColumns(int job, quint32 oid)
{
    if (!ensureConnection(job))
        return;
    try {
        const pg::Result r = m_conn->exec(pg::sqlResource(QStringLiteral("ui_reference_columns")), {oid});
        QVector<ReferenceColumn> columns;
        for (int i = 0; i < r.rows(); ++i)
            columns.push_back({r.value(i, "name"), r.value(i, "type"), r.value(i, "is_primary") == QLatin1String("t")});
        emit referenceColumnsLoaded(job, oid, columns);
    } catch (const std::exception& e) {
        emit jobFailed(job, errorOf(e));
    }
}

// As `lockstep plan` does it (app/cli/plan_builder.cpp): resolve on the server, read-only, then plan.
void DbWorker::planChange(int job, const NewColumnChange& change)
{
    if (!ensureConnection(job))
        return;
    try {
        ChangeResolver resolver(*m_conn);
        const auto resolved = resolver.resolve(change);
        const pg::Connection& c = *m_conn;
        Planner planner([&c](const QString& name) { return c.quoteIdent(name); }, m_plannerOptions);
        Plan plan = planner.plan(resolved.table, resolved.change);
        // What this role would lack to run it (a managed service's owner has no superuser): said beside the plan.
        plan.roleNotes = privilegeNotes(privilegePreflight(*m_conn, plan));
        emit changePlanned(job, plan);
    } catch (const ChangeError& e) {
        emit changeRefused(job, e.field, e.reason);
    } catch (const std::exception& e) {
        emit jobFailed(job, errorOf(e));
    }
}

void DbWorker::observeLocks(int job, const Plan& plan)
{
    if (!ensureConnection(job))
        return;
    try {
        emit locksObserved(job, preview::observeLocks(*m_conn, plan));
    } catch (const std::exception& e) {
        emit jobFailed(job, errorOf(e));
    }
}

} // namespace lockstep::ui
