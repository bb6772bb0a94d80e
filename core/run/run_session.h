// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/pg/monitor_sample.h"
#include "core/run/run_types.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QThread>
#include <memory>

namespace lockstep::store {
class Journal;
}
namespace lockstep::pg {
class Monitor;
}

namespace lockstep::run {

class Runner;

// One run as the CLI and the GUI drive it: the Runner and the Monitor each on their own thread with their
// own connection. The Monitor's throttle reasons (replica lag above maxLagSeconds, sessions waiting on the
// runner's locks) hold the backfill; it learns the runner's backend after every (re)connect; its samples
// go to the journal. Every signal arrives queued in the owner's thread. Destroying the session stops both
// threads (a running runner is aborted first: the run stays resumable).
class RunSession : public QObject {
    Q_OBJECT
public:
    enum class Action { Start, Rollback };

    RunSession(QString conninfo, QString journalPath, qint64 runId, RunOptions options, double maxLagSeconds,
               QObject* parent = nullptr);
    ~RunSession() override;

    void start(Action action);
    bool isRunning() const { return m_running; }
    // Live controls, forwarded to the runner (safe from the owner's thread).
    void pause();
    void resumeRun();
    void abort(const QString& why = {});
    void stopAtSafePoint(const QString& why);
    void setTargetBatchMs(int ms);
    void setMaxRowsPerSecond(int rows);

signals:
    void stepStateChanged(int index, QString state, QString message);
    void progress(lockstep::run::Progress progress);
    void waitingForLock(int index, QVector<lockstep::run::BlockingSession> blockers, int attempt);
    void sampled(lockstep::pg::MonitorSample sample);
    void monitorFailed(QString message);
    void finished(QString outcome, QString message);

private:
    void stopThreads();

    qint64 m_runId;
    QThread m_runnerThread;
    QThread m_monitorThread;
    Runner* m_runner = nullptr;        // lives in m_runnerThread, deleted when it finishes
    pg::Monitor* m_monitor = nullptr;  // lives in m_monitorThread, deleted when it finishes
    std::unique_ptr<store::Journal> m_journal;   // this thread's journal object: samples
    bool m_running = false;
    QElapsedTimer m_progressJournaled;          // throttles the progress events in the journal
};

} // namespace lockstep::run
