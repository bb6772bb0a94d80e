// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/plan/plan.h"

#include <QObject>
#include <QString>
#include <optional>

class QAction;

namespace lockstep::ui {

class Workspace;

// The glue between the plan, the Run and History tabs and the window's Run / Pause / Rollback actions:
// the plan the Plan tab shows is the one "Run" starts; History's Resume and Rollback reopen a past run in
// the Run tab, on the connected server only (a run is never resumed against a server it was not made on).
// The password lives here in memory only, for the run's own connections.
class RunFlow : public QObject {
    Q_OBJECT
public:
    RunFlow(Workspace* work, QAction* run, QAction* pause, QAction* rollback, QObject* parent = nullptr);

    void setConnection(const QString& conninfo, const QString& password);
    void clearConnection();
    void setJournalPath(const QString& path);

    // Returns why a past run cannot be reopened here (another server, no connection), or empty.
    QString whyNotOpen(qint64 runId) const;
    bool hasPlan() const { return m_plan.has_value(); }
    // Whether the window may close now. During a run it asks first (stop at a safe point, the default; stop
    // now; keep the window open), stops the run as chosen and emits readyToClose() once it has stopped.
    bool allowClose();

signals:
    void message(const QString& text);   // for the status bar
    void readyToClose();                 // the run stopped as chosen when the window was closed

public slots:
    void runPlan();        // asks first: the plan runs on the server up to the switch gate
    bool startRun();       // the same without asking (the guided tour); false when there is nothing to run
                           // or a run already owns the column (then that run is opened instead)
    void togglePause();
    void rollback();
    void resumePastRun(qint64 runId);
    void rollbackPastRun(qint64 runId);

private:
    bool prepareRunView();
    bool openPastRun(qint64 runId);
    // When a run in the journal still owns the plan's column (pg::serverKey, table, column): opens it in
    // the Run tab and says so; true then (or when the journal cannot be read), and nothing is started.
    bool openOwningRun();
    void updateActions();

    Workspace* m_work;
    QAction* m_run;
    QAction* m_pause;
    QAction* m_rollback;
    std::optional<Plan> m_plan;
    QString m_conninfo;
    QString m_password;
    QString m_journalPath;
    QString m_state = QStringLiteral("idle");
    bool m_closeWhenStopped = false;
};

} // namespace lockstep::ui
