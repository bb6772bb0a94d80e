// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/run/run_flow.h"

#include "core/pg/server_key.h"

#include "core/run/run_ownership.h"
#include "core/store/journal.h"
#include "ui/connect/credential_store.h"
#include "ui/history/history_view.h"
#include "ui/plan/plan_view.h"
#include "ui/run/run_stop_dialogs.h"
#include "ui/run/run_view.h"
#include "ui/window/workspace.h"

#include <QAction>
#include <QMessageBox>

namespace lockstep::ui {

namespace {
bool isActive(const QString& state)
{
    static const QStringList active = {QStringLiteral("running"), QStringLiteral("throttled"),
                                       QStringLiteral("waiting-for-lock"), QStringLiteral("paused"),
                                       QStringLiteral("rolling-back")};
    return active.contains(state);
}
} // namespace

RunFlow::RunFlow(Workspace* work, QAction* run, QAction* pause, QAction* rollback, QObject* parent)
    : QObject(parent), m_work(work), m_run(run), m_pause(pause), m_rollback(rollback)
{
    connect(m_run, &QAction::triggered, this, &RunFlow::runPlan);
    connect(m_pause, &QAction::triggered, this, &RunFlow::togglePause);
    connect(m_rollback, &QAction::triggered, this, &RunFlow::rollback);
    RunView* view = work->runView();
    // The Run tab shows the plan the toolbar's Run ▶ would start (never "No plan to run" beside a ready plan).
    connect(work->planView(), &PlanView::planChanged, this, [this, view](const Plan& plan) {
        m_plan = plan;
        if (!isActive(m_state))
            view->showPlanToRun(plan);
        updateActions();
    });
    connect(work->planView(), &PlanView::planCleared, this, [this, view] {
        m_plan.reset();
        if (!isActive(m_state))
            view->clearPlanToRun();
        updateActions();
    });
    connect(view, &RunView::newRunRequested, this, &RunFlow::runPlan);
    connect(view, &RunView::runStateChanged, this, [this](const QString& state) {
        m_state = state;
        updateActions();
    });
    connect(view, &RunView::runFinished, work->historyView(), &HistoryView::reload);
    connect(view, &RunView::runFinished, this, [this] {
        if (m_closeWhenStopped)
            emit readyToClose();
    });
    connect(work->historyView(), &HistoryView::resumeRequested, this, &RunFlow::resumePastRun);
    connect(work->historyView(), &HistoryView::rollbackRequested, this, &RunFlow::rollbackPastRun);
    updateActions();
}

void RunFlow::setConnection(const QString& conninfo, const QString& password)
{
    m_conninfo = conninfo;
    m_password = password;
    m_work->historyView()->setCurrentServer(pg::serverKey(conninfo));
    updateActions();
}

void RunFlow::clearConnection()
{
    m_conninfo.clear();
    m_password.clear();
    m_work->historyView()->setCurrentServer({});
    updateActions();
}

void RunFlow::setJournalPath(const QString& path)
{
    m_journalPath = path;
    m_work->runView()->setJournalPath(path);
    m_work->historyView()->setJournalPath(path);
}

void RunFlow::updateActions()
{
    const bool connected = !m_conninfo.isEmpty();
    const bool active = isActive(m_state);
    m_run->setEnabled(connected && m_plan && !active);
    m_run->setToolTip(!connected ? tr("Connect to a server first")
                      : !m_plan  ? tr("Compose a change and review its plan first")
                      : active   ? tr("A run is in progress")
                                 : tr("Run the plan on the server, up to the switch gate"));
    m_pause->setEnabled(active && m_state != QLatin1String("rolling-back"));
    const bool paused = m_state == QLatin1String("paused");
    m_pause->setText(paused ? tr("&Resume") : tr("&Pause"));
    m_pause->setIconText(paused ? tr("Resume ▶") : tr("Pause ❚❚"));
    m_rollback->setEnabled(connected && !active && m_work->runView()->runId() > 0 &&
                           m_state != QLatin1String("rolled-back"));
    m_rollback->setToolTip(m_rollback->isEnabled() ? tr("Undo the run's completed steps (asks first, listing them)")
                                                   : tr("Nothing to roll back"));
}

bool RunFlow::prepareRunView()
{
    if (m_conninfo.isEmpty()) {
        emit message(tr("Connect to a server first."));
        return false;
    }
    RunView* view = m_work->runView();
    view->setJournalPath(m_journalPath);
    view->setConnection(m_conninfo, m_password);
    return true;
}

bool RunFlow::openOwningRun()
{
    std::optional<store::RunRecord> owner;
    QString who;
    try {
        store::Journal journal(m_journalPath);
        owner = run::owningRun(journal, m_conninfo, *m_plan);
        if (owner)
            who = run::describeOwner(journal, *owner);
    } catch (const std::exception& e) {
        emit message(tr("Could not read the journal: %1").arg(QString::fromUtf8(e.what())));
        return true;   // not knowing whether a run owns the column, start nothing
    }
    if (!owner)
        return false;
    // Another run for the same column would find every step "already done", and rolling back either would
    // drop the column the other owns: the owner is reopened instead, to resume, continue or roll back.
    if (m_work->runView()->runId() != owner->id && !openPastRun(owner->id))
        return true;
    m_work->showRun();
    emit message(tr("Column %1 of %2 belongs to %3: opened it here. Resume it, continue past the gate or roll it "
                    "back; a second run is not started.")
                     .arg(m_plan->change.column, m_plan->table, who));
    return true;
}

void RunFlow::runPlan()
{
    if (!m_plan || isActive(m_state) || !prepareRunView())
        return;
    if (openOwningRun())
        return;
    const auto answer = QMessageBox::question(
        m_work, tr("Run the plan"),
        tr("Run the %1 steps of this plan on %2, up to the switch gate?\n\nEvery step waits at most its "
           "lock_timeout for its lock and retries; you can pause, throttle or roll back at any time.")
            .arg(m_plan->steps.size())
            .arg(m_plan->table));
    if (answer == QMessageBox::Yes)
        startRun();
}

bool RunFlow::startRun()
{
    if (!m_plan || isActive(m_state) || !prepareRunView() || openOwningRun())
        return false;
    m_work->runView()->setPlan(*m_plan);
    m_work->showRun();
    m_work->runView()->start();
    return true;
}

void RunFlow::togglePause()
{
    RunView* view = m_work->runView();
    if (m_state == QLatin1String("paused"))
        view->resume();
    else if (isActive(m_state))
        view->pause();
}

void RunFlow::rollback()
{
    if (!prepareRunView())
        return;
    m_work->showRun();
    m_work->runView()->requestRollback();
}

bool RunFlow::allowClose()
{
    RunView* view = m_work->runView();
    if (!view->isRunActive())
        return true;
    if (m_closeWhenStopped)
        return false;   // already stopping: the window closes when the run has stopped
    const CloseChoice choice = askCloseDuringRun(m_work, view->runSummary());
    if (choice == CloseChoice::KeepOpen)
        return false;
    m_closeWhenStopped = true;
    if (choice == CloseChoice::StopAtSafePoint)
        view->stopAtSafePoint(tr("the window was closed by %1, who chose to stop at a safe point").arg(operatorName()));
    else
        view->abortNow(tr("the window was closed by %1, who chose to stop at once").arg(operatorName()));
    emit message(tr("Stopping the run; the window closes once it has stopped (resumable)."));
    return false;
}

QString RunFlow::whyNotOpen(qint64 runId) const
{
    if (m_conninfo.isEmpty())
        return tr("Connect to the run's server first.");
    try {
        store::Journal journal(m_journalPath);
        const auto record = journal.run(runId);
        if (!record)
            return tr("Run %1 is not in the journal.").arg(runId);
        // Both sides without passwords, libpq's defaults filled in: the same key the keychain uses.
        if (CredentialStore::keyFor(record->conninfo) != CredentialStore::keyFor(m_conninfo))
            return tr("Run %1 was made on %2; this window is connected to %3.")
                .arg(runId)
                .arg(CredentialStore::keyFor(record->conninfo), CredentialStore::keyFor(m_conninfo));
    } catch (const std::exception& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

bool RunFlow::openPastRun(qint64 runId)
{
    if (isActive(m_state)) {
        emit message(tr("A run is in progress; finish or abort it first."));
        return false;
    }
    const QString why = whyNotOpen(runId);
    if (!why.isEmpty()) {
        QMessageBox::information(m_work, tr("Run %1").arg(runId), why);
        return false;
    }
    if (!prepareRunView() || !m_work->runView()->openRun(runId))
        return false;
    m_work->showRun();
    return true;
}

void RunFlow::resumePastRun(qint64 runId)
{
    if (!openPastRun(runId))
        return;
    // A parked run opens at its gate in the Run tab: the operator continues it from there.
    if (m_work->runView()->runState() != QLatin1String("at-switch-gate"))
        m_work->runView()->start();
}

void RunFlow::rollbackPastRun(qint64 runId)
{
    if (openPastRun(runId))
        m_work->runView()->requestRollback();
}

} // namespace lockstep::ui
