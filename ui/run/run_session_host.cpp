// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/run/run_session_host.h"

namespace lockstep::ui {

RunSessionHost::RunSessionHost(QString conninfo, QString journalPath, qint64 runId, run::RunOptions options,
                               double maxLagSeconds, QObject* parent)
    : QObject(parent), m_conninfo(std::move(conninfo)), m_journalPath(std::move(journalPath)), m_runId(runId),
      m_options(options), m_maxLagSeconds(maxLagSeconds)
{
    run::registerRunMetaTypes();
    qRegisterMetaType<pg::MonitorSample>();
    m_thread.setObjectName(QStringLiteral("lockstep run session"));
    m_anchor = new QObject;
    m_anchor->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_anchor, &QObject::deleteLater);
    m_thread.start();
}

RunSessionHost::~RunSessionHost()
{
    if (m_running)
        abort();
    m_thread.quit();
    m_thread.wait();
    // The thread has ended: nothing else touches the session any more. Its destructor aborts a running
    // runner and joins the runner's and the monitor's threads.
    std::lock_guard<std::mutex> lock(m_mutex);
    delete m_session;
    m_session = nullptr;
}

void RunSessionHost::start(run::RunSession::Action action)
{
    if (m_running || m_retiring)
        return;
    m_running = true;
    QMetaObject::invokeMethod(m_anchor, [this, action] {
        run::RunOptions options;
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            options = m_options;   // with any knob turned since the host was made
        }
        auto* session = new run::RunSession(m_conninfo, m_journalPath, m_runId, options, m_maxLagSeconds);
        // Signal to signal: this host lives in the GUI thread, so each arrives there queued.
        connect(session, &run::RunSession::stepStateChanged, this, &RunSessionHost::stepStateChanged);
        connect(session, &run::RunSession::progress, this, &RunSessionHost::progress);
        connect(session, &run::RunSession::waitingForLock, this, &RunSessionHost::waitingForLock);
        connect(session, &run::RunSession::sampled, this, &RunSessionHost::sampled);
        connect(session, &run::RunSession::monitorFailed, this, &RunSessionHost::monitorFailed);
        connect(session, &run::RunSession::finished, this, [this](const QString& outcome, const QString& message) {
            m_running = false;
            emit finished(outcome, message);
        });
        bool paused = false, aborted = false, stop = false;
        QString why;
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_session = session;
            paused = m_pauseRequested;
            aborted = m_abortRequested;
            stop = m_stopRequested;
            why = m_stopReason;
        }
        session->start(action);
        // Asked for while the session was being made.
        if (paused)
            session->pause();
        if (stop)
            session->stopAtSafePoint(why);
        if (aborted)
            session->abort(why);
    });
}

void RunSessionHost::retire()
{
    if (m_retiring)
        return;
    m_retiring = true;
    connect(&m_thread, &QThread::finished, this, &QObject::deleteLater);
    QMetaObject::invokeMethod(m_anchor, [this] {
        run::RunSession* session = nullptr;
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            std::swap(session, m_session);
        }
        delete session;   // joins its threads here, not in the GUI thread
        m_thread.quit();
    });
}

void RunSessionHost::pause()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_pauseRequested = true;
    if (m_session)
        m_session->pause();
}

void RunSessionHost::resumeRun()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_pauseRequested = false;
    if (m_session)
        m_session->resumeRun();
}

void RunSessionHost::abort(const QString& why)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_abortRequested = true;
    if (!why.isEmpty())
        m_stopReason = why;
    if (m_session)
        m_session->abort(why);   // harmless once the run has finished
}

void RunSessionHost::stopAtSafePoint(const QString& why)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_stopRequested = true;
    m_stopReason = why;
    if (m_session)
        m_session->stopAtSafePoint(why);
}

void RunSessionHost::setTargetBatchMs(int ms)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_options.targetBatchMs = ms;
    if (m_session)
        m_session->setTargetBatchMs(ms);
}

void RunSessionHost::setMaxRowsPerSecond(int rows)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_options.maxRowsPerSecond = rows;
    if (m_session)
        m_session->setMaxRowsPerSecond(rows);
}

} // namespace lockstep::ui
