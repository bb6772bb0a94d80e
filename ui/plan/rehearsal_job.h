// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The window's rehearsal (core/rehearse/rehearsal.h) on a thread of its own: its own read-only connection
// to the server (never the window's), the private copy, the run there. Progress and the outcome come back
// as queued signals; cancel() stops it at its next phase or statement. Deleting the job cancels it and
// waits for the thread.
#include "core/plan/plan.h"
#include "core/rehearse/rehearsal.h"

#include <QObject>
#include <QThread>
#include <atomic>
#include <memory>
#include <mutex>

namespace lockstep::ui {

class RehearsalJob : public QObject {
    Q_OBJECT
public:
    RehearsalJob(QString conninfo, Plan plan, QObject* parent = nullptr);
    ~RehearsalJob() override;

    void start();
    void cancel() { m_cancelled = true; }
    bool isRunning() const;
    const Plan& plan() const { return m_plan; }
    // After finished(): the report.
    rehearse::RehearsalReport report() const;

signals:
    void progress(const QString& text);
    void finished();
    void failed(const QString& message);

private:
    QString m_conninfo;
    Plan m_plan;
    std::atomic<bool> m_cancelled{false};
    QThread* m_thread = nullptr;
    mutable std::mutex m_mutex;
    rehearse::RehearsalReport m_report;
};

} // namespace lockstep::ui
