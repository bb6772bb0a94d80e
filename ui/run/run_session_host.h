// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/pg/monitor_sample.h"
#include "core/run/run_session.h"
#include "core/run/run_types.h"

#include <QObject>
#include <QThread>
#include <mutex>

namespace lockstep::ui {

// A RunSession kept off the GUI thread. RunSession does some work in its owner's thread (it writes every
// Monitor sample to the journal there, and its destructor joins the runner's and the monitor's threads);
// a journal write can wait behind the runner's commits and WAL checkpoints for tens of milliseconds, which
// the GUI must not. So the session is created, owned and destroyed on a thread of its own, and its signals
// reach the host's owner queued. The live controls are thread-safe (RunSession forwards them to atomics).
class RunSessionHost : public QObject {
    Q_OBJECT
public:
    RunSessionHost(QString conninfo, QString journalPath, qint64 runId, lockstep::run::RunOptions options,
                   double maxLagSeconds, QObject* parent = nullptr);
    // Normally the host is retired first (retire()) and deleted once its thread has finished; destroying a
    // running host aborts the run (it stays resumable) and waits for the threads (at shutdown only).
    ~RunSessionHost() override;

    void start(lockstep::run::RunSession::Action action);
    // After finished(): destroys the session on its thread, ends the thread, then deletes this host.
    void retire();
    bool isRunning() const { return m_running; }

    void pause();
    void resumeRun();
    void abort(const QString& why = {});
    void stopAtSafePoint(const QString& why);
    void setTargetBatchMs(int ms);
    void setMaxRowsPerSecond(int rows);

signals:
    void stepStateChanged(int index, const QString& state, const QString& message);
    void progress(const lockstep::run::Progress& progress);
    void waitingForLock(int index, const QVector<lockstep::run::BlockingSession>& blockers, int attempt);
    void sampled(const lockstep::pg::MonitorSample& sample);
    void monitorFailed(const QString& message);
    void finished(const QString& outcome, const QString& message);

private:
    QString m_conninfo;
    QString m_journalPath;
    qint64 m_runId;
    lockstep::run::RunOptions m_options;
    double m_maxLagSeconds;
    QThread m_thread;
    QObject* m_anchor = nullptr;              // lives in m_thread: the context that runs code there
    std::mutex m_mutex;                       // guards m_session against its creation and destruction
    lockstep::run::RunSession* m_session = nullptr;   // created, owned and deleted in m_thread
    bool m_pauseRequested = false;            // under m_mutex
    bool m_abortRequested = false;            // under m_mutex
    bool m_stopRequested = false;             // under m_mutex: stop at a safe point
    QString m_stopReason;                     // under m_mutex
    bool m_running = false;                   // GUI thread only
    bool m_retiring = false;
};

} // namespace lockstep::ui
