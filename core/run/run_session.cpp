// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/run/run_session.h"

#include "core/pg/monitor.h"
#include "core/run/runner.h"
#include "core/store/journal.h"
#include "core/store/run_history.h"

namespace lockstep::run {

RunSession::RunSession(QString conninfo, QString journalPath, qint64 runId, RunOptions options, double maxLagSeconds,
                       QObject* parent)
    : QObject(parent), m_runId(runId)
{
    registerRunMetaTypes();
    qRegisterMetaType<pg::MonitorSample>();
    m_journal = std::make_unique<store::Journal>(journalPath);
    const auto record = m_journal->run(runId);
    const quint32 tableOid = record ? record->plan.tableOid : 0;

    m_monitor = new pg::Monitor(conninfo, tableOid);
    m_monitor->moveToThread(&m_monitorThread);
    connect(&m_monitorThread, &QThread::finished, m_monitor, &QObject::deleteLater);

    m_runner = new Runner(conninfo, journalPath, runId, options);
    pg::Monitor* monitor = m_monitor;
    // Called between batches in the runner's thread; throttleReason is thread-safe and only trusts fresh samples.
    m_runner->setThrottleHook([monitor, maxLagSeconds] { return monitor->throttleReason(maxLagSeconds); });
    m_runner->moveToThread(&m_runnerThread);
    connect(&m_runnerThread, &QThread::finished, m_runner, &QObject::deleteLater);

    // setRunnerPids is thread-safe: set it straight from the runner's thread as soon as it connects.
    connect(m_runner, &Runner::backendChanged, m_runner, [monitor](int pid) { monitor->setRunnerPids({pid}); },
            Qt::DirectConnection);
    connect(m_runner, &Runner::stepStateChanged, this, &RunSession::stepStateChanged);
    connect(m_runner, &Runner::progress, this, [this](const Progress& p) {
        // About once a second the figures go to the journal too, so History replays the real rows/s and
        // batch times (a per-batch record would be one write per batch for nothing a person can see).
        if (!m_progressJournaled.isValid() || m_progressJournaled.elapsed() >= 1000) {
            m_progressJournaled.start();
            m_journal->addEvent(m_runId, QString::fromLatin1(store::kProgressEventKind), store::progressEventMessage(p));
        }
        emit progress(p);
    });
    connect(m_runner, &Runner::waitingForLock, this, &RunSession::waitingForLock);
    connect(m_runner, &Runner::finished, this, [this](const QString& outcome, const QString& message) {
        m_running = false;
        emit finished(outcome, message);
    });
    connect(m_monitor, &pg::Monitor::sampled, this, [this](const pg::MonitorSample& sample) {
        m_journal->addSample(m_runId, sample.at, sample.toJson());
        emit sampled(sample);
    });
    connect(m_monitor, &pg::Monitor::failed, this, &RunSession::monitorFailed);
}

RunSession::~RunSession()
{
    if (m_running && m_runner)
        m_runner->abort();
    stopThreads();
}

void RunSession::start(Action action)
{
    if (m_running)
        return;
    m_running = true;
    m_monitorThread.start();
    m_runnerThread.start();
    QMetaObject::invokeMethod(m_monitor, "start", Qt::QueuedConnection);
    QMetaObject::invokeMethod(m_runner, action == Action::Start ? "start" : "rollback", Qt::QueuedConnection);
}

void RunSession::stopThreads()
{
    // The runner first: its throttle hook reads the Monitor. Both objects are deleted in their own threads
    // as those finish (the Monitor's destructor stops its timer there).
    m_runnerThread.quit();
    m_runnerThread.wait();
    m_monitorThread.quit();
    m_monitorThread.wait();
}

void RunSession::pause() { m_runner->pause(); }
void RunSession::resumeRun() { m_runner->resumeRun(); }
void RunSession::abort(const QString& why) { m_runner->abort(why); }
void RunSession::stopAtSafePoint(const QString& why) { m_runner->stopAtSafePoint(why); }
void RunSession::setTargetBatchMs(int ms) { m_runner->setTargetBatchMs(ms); }
void RunSession::setMaxRowsPerSecond(int rows) { m_runner->setMaxRowsPerSecond(rows); }

} // namespace lockstep::run
