// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/plan/rehearsal_job.h"

#include "core/pg/catalog_reader.h"

namespace lockstep::ui {

RehearsalJob::RehearsalJob(QString conninfo, Plan plan, QObject* parent)
    : QObject(parent), m_conninfo(std::move(conninfo)), m_plan(std::move(plan))
{
}

RehearsalJob::~RehearsalJob()
{
    cancel();
    if (m_thread) {
        m_thread->wait();
        delete m_thread;
    }
}

bool RehearsalJob::isRunning() const { return m_thread && m_thread->isRunning(); }

rehearse::RehearsalReport RehearsalJob::report() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_report;
}

void RehearsalJob::start()
{
    if (m_thread)
        return;
    m_thread = QThread::create([this] {
        try {
            auto conn = pg::Connection::open(m_conninfo);
            const TableSnapshot table = pg::readTableSnapshot(*conn, m_plan.tableOid);
            if (table.relkind == 'p') {
                emit failed(tr("%1 is partitioned: a rehearsal copies plain tables only for now").arg(m_plan.table));
                return;
            }
            rehearse::RehearsalOptions options;
            options.cancelled = [this] { return m_cancelled.load(); };
            const rehearse::RehearsalReport report = rehearse::rehearse(*conn, table, m_plan.until(Phase::Constrain), options,
                                                                        [this](const QString& what) { emit progress(what); });
            {
                std::lock_guard<std::mutex> lock(m_mutex);
                m_report = report;
            }
            emit finished();
        } catch (const pg::PgException& e) {
            emit failed(e.error().message.trimmed());
        } catch (const std::exception& e) {
            emit failed(QString::fromUtf8(e.what()));
        }
    });
    m_thread->start();
}

} // namespace lockstep::ui
