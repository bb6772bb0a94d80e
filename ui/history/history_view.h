// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The History tab: past runs from the journal, newest first; the selected run's steps with their states and
// durations, and its monitor samples and backfill figures replayed into the run charts. A run cut off by a
// crash (its owner process is gone) or stopped by a failure offers "Resume" and "Rollback"; the view only
// asks (signals), the run view does the work.
#include "core/store/journal_types.h"
#include "core/store/run_history.h"

#include <QWidget>

#include <optional>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace lockstep::ui {

class RunCharts;

class HistoryView : public QWidget {
    Q_OBJECT
public:
    explicit HistoryView(QWidget* parent = nullptr);
    ~HistoryView() override;

    // Reads the journal at `path` (it is not created when absent) and lists its runs.
    void setJournalPath(const QString& path);
    // The server this window is connected to (pg::serverKey; empty: none): runs made on another server say
    // so, and offer neither Resume nor Rollback (they would run against the wrong database).
    void setCurrentServer(const QString& serverKey);
    QString journalPath() const { return m_path; }
    // Reads the journal again, keeping the selected run when it is still there (else the newest).
    void reload();

    // For the lead and tests.
    int runCount() const;
    qint64 selectedRunId() const;      // 0: none
    bool selectRun(qint64 runId);      // false: not listed
    RunCharts* charts() const { return m_charts; }
    bool canResume() const;
    bool canRollback() const;

signals:
    void resumeRequested(qint64 runId);
    void rollbackRequested(qint64 runId);

private:
    void showRun(qint64 runId);
    void showMessage(const QString& text);
    void fitStepsHeight();
    void showRunActions(const store::RunHistory& h, store::RunLiveness liveness, bool parked, bool resumable);
    void showSteps(const store::RunHistory& h);

    QString m_path;
    QString m_currentServer;
    QTreeWidget* m_runs = nullptr;
    QLabel* m_title = nullptr;
    QLabel* m_status = nullptr;
    QPushButton* m_resume = nullptr;
    QPushButton* m_rollback = nullptr;
    QPushButton* m_refresh = nullptr;
    QTreeWidget* m_steps = nullptr;
    RunCharts* m_charts = nullptr;
    qint64 m_shown = 0;
    std::optional<store::RunRecord> m_titleRun;   // the title's run, worded again when the palette changes
};

} // namespace lockstep::ui
