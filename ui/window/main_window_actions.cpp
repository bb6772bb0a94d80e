// SPDX-License-Identifier: GPL-3.0-or-later
// The window's menus and toolbar: each action and its shortcut (the run actions get their work from RunFlow).
#include "ui/window/main_window.h"

#include "ui/map/schema_map.h"
#include "ui/map/table_list.h"
#include "ui/connect/conninfo_tools.h"
#include "ui/plan/plan_view.h"
#include "ui/plan/rehearsal_bar.h"
#include "ui/plan/rehearsal_job.h"
#include "ui/window/stage_layout.h"
#include "ui/window/start_page.h"
#include "ui/window/workspace.h"

#include <QAction>
#include <QApplication>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>

namespace lockstep::ui {

void MainWindow::buildActions()
{
    QMenu* connection = menuBar()->addMenu(tr("&Connection"));
    QAction* connectAction = connection->addAction(tr("&Connect…"), this, &MainWindow::showConnectionDialog);
    connectAction->setShortcut(QKeySequence::Open);
    m_recentMenu = connection->addMenu(tr("&Recent"));
    QAction* demo = connection->addAction(tr("Try the &demo"), m_start, &StartPage::demoRequested);
    demo->setShortcut(QKeySequence(tr("Ctrl+Shift+D")));
    connection->addSeparator();
    m_refreshAction = connection->addAction(tr("&Refresh"), this, &MainWindow::refresh);
    m_refreshAction->setShortcut(QKeySequence::Refresh);
    m_refreshAction->setToolTip(tr("Read the catalog again: tables, sizes, statistics, replicas (F5)"));
    m_disconnectAction = connection->addAction(tr("&Disconnect"), this, &MainWindow::disconnectFromServer);
    m_disconnectAction->setShortcut(QKeySequence(tr("Ctrl+Shift+W")));
    connection->addSeparator();
    QAction* quit = connection->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    QAction* find = view->addAction(tr("&Find table"), m_work->list(), &TableList::focusFilter);
    find->setShortcut(QKeySequence::Find);
    QAction* zoomOut = view->addAction(tr("&Zoom out to all schemas"), m_work->map(), &SchemaMap::zoomOut);
    zoomOut->setShortcut(QKeySequence(tr("Alt+Up")));
    // The stage's room: the tables and map shown, or folded to one line above the flow (Workspace's StageLayout).
    QAction* showMap = view->addAction(tr("Tables and &map"));
    showMap->setCheckable(true);
    showMap->setShortcut(QKeySequence(tr("Ctrl+M")));
    showMap->setChecked(m_work->stages()->isMapShown());
    connect(showMap, &QAction::triggered, m_work, &Workspace::toggleMap);
    connect(m_work->stages(), &StageLayout::stageChanged, showMap, [this, showMap] {
        showMap->setChecked(m_work->stages()->isMapShown());
    });
    m_autoRefreshAction = view->addAction(tr("Refresh &rates automatically"));
    m_autoRefreshAction->setCheckable(true);
    m_autoRefreshAction->setChecked(true);
    m_autoRefreshAction->setShortcut(QKeySequence(tr("Ctrl+Shift+R")));
    connect(m_autoRefreshAction, &QAction::toggled, this, [this](bool on) {
        if (on && m_catalogLoaded)
            m_ratesTimer->start();
        else
            m_ratesTimer->stop();
    });

    QMenu* change = menuBar()->addMenu(tr("C&hange"));
    m_newChangeAction = change->addAction(tr("&New change on the selected table…"), this,
                                          [this] { emit addColumnRequested(m_work->selectedOid()); });
    m_newChangeAction->setShortcut(QKeySequence::New);
    m_newChangeAction->setEnabled(false);
    QAction* showPlan = change->addAction(tr("Show the &plan"), m_work, &Workspace::showPlan);
    showPlan->setShortcut(QKeySequence(tr("Ctrl+Shift+L")));
    QAction* tryLocks = change->addAction(tr("&Try the plan's locks on the server"), this, [this] {
        m_work->showPlan();
        m_work->planView()->requestPreview();
    });
    tryLocks->setShortcut(QKeySequence(tr("Ctrl+Shift+T")));
    tryLocks->setToolTip(m_work->planView()->previewButton()->toolTip());
    change->addSeparator();
    QAction* run = change->addAction(tr("&Run plan"));
    run->setShortcut(QKeySequence(tr("Ctrl+Return")));
    QAction* pause = change->addAction(tr("&Pause"));
    pause->setShortcut(QKeySequence(tr("Ctrl+Shift+P")));
    QAction* rollback = change->addAction(tr("Roll&back"));
    rollback->setShortcut(QKeySequence(tr("Ctrl+Shift+Z")));
    // RunFlow (created once the actions exist) enables them and gives them their work.
    m_runAction = run;
    m_pauseAction = pause;
    m_rollbackAction = rollback;

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Lockstep"), this, [this] {
        QMessageBox::about(this, tr("About Lockstep"),
                           tr("<b>Lockstep %1</b><p>Zero-downtime new-column changes for PostgreSQL.</p>"
                              "<p>Licensed under the GNU GPL v3 or later.</p>")
                               .arg(QStringLiteral(LOCKSTEP_VERSION)));
    });

    QToolBar* bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    connectAction->setMenu(m_recentMenu);
    bar->addAction(connectAction);
    if (auto* button = qobject_cast<QToolButton*>(bar->widgetForAction(connectAction)))
        button->setPopupMode(QToolButton::MenuButtonPopup);
    bar->addAction(m_refreshAction);
    bar->addSeparator();
    bar->addAction(m_newChangeAction);
    m_newChangeAction->setIconText(tr("New change"));
    run->setIconText(tr("Run ▶"));
    pause->setIconText(tr("Pause ❚❚"));
    rollback->setIconText(tr("Rollback ↶"));
    bar->addAction(run);
    bar->addAction(pause);
    bar->addAction(rollback);
}

void MainWindow::wireRehearsal()
{
    PlanView* plan = m_work->planView();
    connect(plan, &PlanView::rehearsalRequested, this, [this, plan](const Plan& planned) {
        if (!m_connected) {
            plan->rehearsalBar()->setFailed(tr("not connected to a server"));
            return;
        }
        QString error;
        const QString full = m_sessionPassword.isEmpty() ? m_conninfo : conninfoForConnect(m_conninfo, m_sessionPassword, &error);
        m_rehearsalJob = std::make_unique<RehearsalJob>(full.isEmpty() ? m_conninfo : full, planned);
        RehearsalJob* job = m_rehearsalJob.get();
        connect(job, &RehearsalJob::progress, plan->rehearsalBar(), &RehearsalBar::setProgress);
        connect(job, &RehearsalJob::failed, plan->rehearsalBar(), &RehearsalBar::setFailed);
        connect(job, &RehearsalJob::finished, this, [plan, job] {
            // Only onto the plan it rehearsed: the form may have changed meanwhile.
            if (plan->currentPlan() && plan->currentPlan()->toJson() == job->plan().toJson())
                plan->setRehearsal(job->report());
            else
                plan->rehearsalBar()->setFailed(tr("the plan changed while it was rehearsed; rehearse it again"));
        });
        job->start();
    });
    connect(plan, &PlanView::rehearsalCancelRequested, this, [this] {
        if (m_rehearsalJob)
            m_rehearsalJob->cancel();
    });
}

} // namespace lockstep::ui
