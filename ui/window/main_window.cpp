// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/window/main_window.h"

#include "core/store/journal.h"
#include "ui/connect/connection_dialog.h"
#include "ui/change/change_composer.h"
#include "ui/connect/conninfo_tools.h"
#include "ui/server/db_session.h"
#include "ui/common/display_format.h"
#include "ui/common/lock_badge.h"
#include "ui/common/palette_tools.h"
#include "ui/connect/credential_store.h"
#include "ui/connect/password_dialog.h"
#include "ui/plan/plan_view.h"
#include "ui/plan/rehearsal_job.h"
#include "ui/run/run_flow.h"
#include "ui/run/run_view.h"
#include "ui/map/schema_map.h"
#include "ui/window/start_page.h"
#include "ui/map/table_list.h"
#include "ui/window/stage_layout.h"
#include "ui/window/workspace.h"

#include "core/plan/plan_render.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QElapsedTimer>
#include <QLabel>
#include <QMenuBar>
#include <QMetaMethod>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <numeric>

namespace lockstep::ui {

namespace {
constexpr int kDefaultRatesMs = 5000;
constexpr int kFirstRatesMs = 1000;   // counters are sampled this long after the catalog for the first rates
} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    registerMetaTypes();
    m_credentials = new CredentialStore(this);
    connect(m_credentials, &CredentialStore::readFinished, this,
            [this](const QString& key, const QString& password, bool found, const QString&) {
                onKeychainRead(key, password, found);
            });
    connect(m_credentials, &CredentialStore::writeFinished, this, [this](const QString&, bool ok, const QString& problem) {
        statusBar()->showMessage(ok ? tr("Password saved in the system keychain.")
                                    : tr("The password was not saved in the system keychain: %1").arg(problem),
                                 8000);
    });
    m_stack = new QStackedWidget(this);
    m_start = new StartPage(m_stack);
    m_work = new Workspace(m_stack);
    m_stack->addWidget(m_start);
    m_stack->addWidget(m_work);
    setCentralWidget(m_stack);

    m_statusTables = new QLabel(this);
    m_statusServer = new QLabel(this);
    m_statusServer->setTextFormat(Qt::RichText);
    statusBar()->addWidget(m_statusTables, 1);
    statusBar()->addPermanentWidget(m_statusServer);

    m_ratesTimer = new QTimer(this);
    m_ratesTimer->setInterval(kDefaultRatesMs);
    connect(m_ratesTimer, &QTimer::timeout, this, [this] {
        if (m_session && m_catalogLoaded)
            m_session->requestRates();
    });

    buildActions();
    m_runFlow = new RunFlow(m_work, m_runAction, m_pauseAction, m_rollbackAction, this);
    connect(m_runFlow, &RunFlow::readyToClose, this, &QWidget::close, Qt::QueuedConnection);
    m_runFlow->setJournalPath(store::Journal::defaultPath());
    connect(m_runFlow, &RunFlow::message, this, [this](const QString& text) { statusBar()->showMessage(text, 8000); });

    connect(m_start, &StartPage::connectRequested, this, &MainWindow::showConnectionDialog);
    connect(m_start, &StartPage::demoRequested, this, [this] {
        if (isSignalConnected(QMetaMethod::fromSignal(&MainWindow::demoRequested)))
            emit demoRequested();
        else
            m_start->showError(tr("The demo is not part of this build."), pg::PgError{});
    });
    connect(m_start, &StartPage::recentActivated, this, &MainWindow::connectWithProfile);
    connect(m_start, &StartPage::recentEditRequested, this, [this](const QString& name, const QString& conninfo) {
        auto* dialog = new ConnectionDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setProfile(name, conninfo);
        connect(dialog, &QDialog::accepted, this, [this, dialog] { connectWithProfile(dialog->profileName(), dialog->conninfo()); });
        dialog->open();
    });
    connect(m_start, &StartPage::recentRemoveRequested, this, [this](const QString& name) {
        if (store::Journal* j = journal()) {
            try {
                j->removeProfile(name);
            } catch (const std::exception& e) {
                statusBar()->showMessage(tr("Could not forget %1: %2").arg(name, QString::fromUtf8(e.what())), 8000);
            }
        }
        reloadRecent();
    });
    connect(m_start, &StartPage::cancelRequested, this, &MainWindow::cancelConnect);
    connect(m_start, &StartPage::retryRequested, this, [this] { startSession({}); });

    connect(m_work, &Workspace::tableSelected, this, [this](quint32 oid) {
        m_newChangeAction->setEnabled(oid != 0);
        if (m_session && oid)
            m_session->requestTable(oid);
    });
    connect(m_work, &Workspace::addColumnRequested, this, &MainWindow::addColumnRequested);
    // A run or a rollback changed the table: the catalog, map, details and composer read it again.
    connect(m_work->runView(), &RunView::runFinished, this, &MainWindow::refresh);

    // The change flow: the composer and the plan view ask; the session (whichever is current) answers.
    connect(this, &MainWindow::addColumnRequested, m_work, &Workspace::startChange);
    connect(this, &MainWindow::connectedToServer, this, &MainWindow::wireChangeFlow);
    connect(m_work->composer(), &ChangeComposer::planRequested, this, [this](const NewColumnChange& change) {
        if (m_session)
            m_session->requestPlan(change);
    });
    connect(m_work->composer(), &ChangeComposer::referenceColumnsRequested, this, [this](quint32 oid) {
        if (m_session)
            m_session->requestReferenceColumns(oid);
    });
    connect(m_work->planView(), &PlanView::lockPreviewRequested, this, [this](const Plan& plan) {
        if (m_session && m_connected) {
            m_session->requestLockPreview(plan);
            return;
        }
        pg::PgError e;
        e.sqlstate = QStringLiteral("08003");
        e.message = tr("not connected to a server");
        m_work->planView()->setPreviewFailed(e);
    });

    wireRehearsal();
    reloadRecent();
    updateTitle();
    updateServerStatus();
    resize(1280, 720);
}

MainWindow::~MainWindow()
{
    delete m_session;   // abandons the worker thread; it ends on its own
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    if (const QByteArray geometry = settings.value(QStringLiteral("window/geometry")).toByteArray(); !geometry.isEmpty())
        restoreGeometry(geometry);
    m_work->restoreLayout(settings.value(QStringLiteral("window/workspace")).toByteArray());
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (m_runFlow && !m_runFlow->allowClose()) {   // a run: asked first, closed once it has stopped
        event->ignore();
        return;
    }
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/workspace"), m_work->saveLayout());
    QMainWindow::closeEvent(event);
}

void MainWindow::setRatesInterval(int ms)
{
    if (ms <= 0) {
        m_ratesTimer->stop();
        m_autoRefreshAction->setChecked(false);
        return;
    }
    m_ratesTimer->setInterval(ms);
}

store::Journal* MainWindow::journal()
{
    if (!m_journal && m_journalError.isEmpty()) {
        try {
            m_journal = std::make_unique<store::Journal>(store::Journal::defaultPath());
        } catch (const std::exception& e) {
            m_journalError = QString::fromUtf8(e.what());
        }
    }
    return m_journal.get();
}

void MainWindow::reloadRecent()
{
    QVector<QPair<QString, QString>> profiles;
    if (store::Journal* j = journal()) {
        try {
            profiles = j->profiles();
        } catch (const std::exception& e) {
            m_journalError = QString::fromUtf8(e.what());
        }
    }
    if (!m_journalError.isEmpty())
        m_start->setRecentUnavailable(m_journalError);
    else
        m_start->setRecent(profiles);
    m_recentMenu->clear();
    for (const auto& [name, conninfo] : profiles)
        m_recentMenu->addAction(name, this, [this, name = name, conninfo = conninfo] { connectWithProfile(name, conninfo); });
    if (profiles.isEmpty())
        m_recentMenu->addAction(tr("(none yet)"))->setEnabled(false);
}

void MainWindow::showConnectionDialog()
{
    auto* dialog = new ConnectionDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] { connectWithProfile(dialog->profileName(), dialog->conninfo()); });
    dialog->open();
}

void MainWindow::connectTo(const QString& conninfo, const QString& label)
{
    m_conninfo = conninfo;
    m_label = label.isEmpty() ? conninfoLabel(conninfo) : label;
    m_profileName.clear();
    m_keychainTried = m_passwordFromKeychain = false;
    startSession({});
}

void MainWindow::connectWithProfile(const QString& name, const QString& conninfo)
{
    m_conninfo = conninfo;
    m_label = name.isEmpty() ? conninfoLabel(conninfo) : name;
    m_profileName = m_label;
    m_keychainTried = m_passwordFromKeychain = false;
    startSession({});
}

void MainWindow::startSession(const QString& password)
{
    m_sessionPassword = password;   // memory only: the run's own connections need it too
    delete m_session;          // a previous session or attempt is abandoned, its late answers dropped
    m_session = nullptr;
    m_ratesTimer->stop();
    m_connected = m_catalogLoaded = false;
    m_work->clear();
    m_stack->setCurrentWidget(m_start);
    m_start->showConnecting(m_label);
    statusBar()->showMessage(tr("Connecting to %1…").arg(m_label));

    m_session = new DbSession(this);
    connect(m_session, &DbSession::connected, this, &MainWindow::onConnected);
    connect(m_session, &DbSession::passwordNeeded, this, &MainWindow::onPasswordNeeded);
    connect(m_session, &DbSession::connectFailed, this, &MainWindow::onConnectFailed);
    connect(m_session, &DbSession::catalogLoaded, this, &MainWindow::onCatalogLoaded);
    connect(m_session, &DbSession::ratesRefreshed, this, [this](const pg::CatalogSnapshot& s) {
        m_snapshot = s;
        m_work->updateRates(s);
        updateServerStatus();
    });
    connect(m_session, &DbSession::catalogFailed, this, &MainWindow::onCatalogFailed);
    connect(m_session, &DbSession::tableLoaded, m_work, &Workspace::setTableStructure);
    connect(m_session, &DbSession::tableFailed, this, [this](quint32 oid, const pg::PgError& e) {
        m_work->setTableStructureError(oid, e.toString());
    });
    m_session->open(m_conninfo, password);
    updateTitle();
}

void MainWindow::cancelConnect()
{
    delete m_session;
    m_session = nullptr;
    m_start->showIdle();
    statusBar()->showMessage(tr("Connection attempt to %1 cancelled.").arg(m_label), 8000);
}

void MainWindow::onPasswordNeeded()
{
    statusBar()->clearMessage();
    // The keychain is asked once per attempt, and only because the server wants a password.
    if (!m_keychainTried && m_credentials->seemsAvailable()) {
        m_keychainTried = true;
        statusBar()->showMessage(tr("Looking for a saved password in the system keychain…"));
        m_credentials->read(CredentialStore::keyFor(m_conninfo));
        return;
    }
    askPassword({});
}

void MainWindow::onKeychainRead(const QString& key, const QString& password, bool found)
{
    if (key != CredentialStore::keyFor(m_conninfo) || m_connected)
        return;   // an answer for an attempt the user has since left
    statusBar()->clearMessage();
    if (found && !password.isEmpty()) {
        m_passwordFromKeychain = true;
        startSession(password);
        return;
    }
    askPassword({});
}

void MainWindow::askPassword(const QString& problem)
{
    auto* dialog = new PasswordDialog(m_label, m_credentials->seemsAvailable(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setProblem(problem);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        m_passwordFromKeychain = false;
        m_passwordToRemember = dialog->remember() ? dialog->password() : QString();
        startSession(dialog->password());
    });
    connect(dialog, &QDialog::rejected, this, [this] {
        pg::PgError e;
        e.sqlstate = QStringLiteral("28000");
        e.message = tr("The server asked for a password and none was given.");
        onConnectFailed(e);
    });
    dialog->open();
}

void MainWindow::onConnectFailed(const pg::PgError& error)
{
    delete m_session;
    m_session = nullptr;
    statusBar()->clearMessage();
    m_passwordToRemember.clear();
    const bool rejected = error.sqlstate == QLatin1String("28P01") ||
                          error.message.contains(QLatin1String("password authentication failed"));
    if (rejected && m_passwordFromKeychain) {
        // A saved password that no longer works is removed, and the user asked for the current one.
        m_passwordFromKeychain = false;
        m_credentials->remove(CredentialStore::keyFor(m_conninfo));
        askPassword(tr("The password saved in the system keychain was rejected by the server, so it has been "
                       "removed from the keychain. Enter the current password."));
        return;
    }
    QString summary;
    if (error.message.contains(QLatin1String("password authentication failed")))
        summary = tr("“%1” rejected the user name or password. Check them and try again.").arg(m_label);
    else if (error.message.contains(QLatin1String("does not exist")))
        summary = tr("Could not connect to “%1”: the database or role does not exist. Check the names.").arg(m_label);
    else if (error.message.contains(QLatin1String("timeout")) || error.message.contains(QLatin1String("refused")) ||
             error.message.contains(QLatin1String("No such file")) || error.message.contains(QLatin1String("could not translate")))
        summary = tr("Could not reach “%1”. Check the host and port, and that the server is running.").arg(m_label);
    else
        summary = tr("Could not connect to “%1”. See the details, fix the connection and try again.").arg(m_label);
    m_start->showError(summary, error);
    updateTitle();
}

void MainWindow::onConnected(const QVariantMap& info)
{
    m_connected = true;
    m_runFlow->setConnection(m_conninfo, m_sessionPassword);
    if (!m_passwordToRemember.isEmpty()) {
        m_credentials->write(CredentialStore::keyFor(m_conninfo), m_passwordToRemember);
        m_passwordToRemember.clear();
    }
    m_serverInfo = info;
    m_start->showIdle();
    m_stack->setCurrentWidget(m_work);
    m_work->map()->setEmptyText(tr("Reading the catalog of %1…").arg(m_label));
    statusBar()->showMessage(tr("Connected. Reading the catalog…"));
    if (!m_profileName.isEmpty()) {
        if (store::Journal* j = journal()) {
            try {
                j->saveProfile(m_profileName, m_conninfo);
            } catch (const std::exception& e) {
                statusBar()->showMessage(tr("Connected, but the profile was not saved: %1").arg(QString::fromUtf8(e.what())), 8000);
            }
        }
        reloadRecent();
    }
    updateTitle();
    m_session->requestCatalog();
    emit connectedToServer(m_label);
}

void MainWindow::onCatalogLoaded(const pg::CatalogSnapshot& snapshot)
{
    QElapsedTimer timer;
    timer.start();
    m_snapshot = snapshot;
    m_catalogLoaded = true;
    m_catalogError.clear();
    m_work->setSnapshot(snapshot);
    // A reload (Refresh, after a run or a rollback) reads the selected table's structure again: the detail
    // pane and the composer must show the columns, indexes and triggers it has now, not the ones it had.
    if (m_work->selectedOid() != 0)
        m_session->requestTable(m_work->selectedOid());
    if (qEnvironmentVariableIsSet("LOCKSTEP_GUI_TIMING"))
        qInfo("catalog of %d tables shown in %lld ms", int(snapshot.tables.size()), static_cast<long long>(timer.elapsed()));
    statusBar()->clearMessage();
    updateTitle();
    updateServerStatus();
    if (m_autoRefreshAction->isChecked())
        m_ratesTimer->start();
    // The catalog came without write rates (so that it shows at once): the first rates follow shortly.
    if (snapshot.rateIntervalSeconds <= 0)
        QTimer::singleShot(kFirstRatesMs, m_session, &DbSession::requestRates);
    emit catalogLoaded(int(snapshot.tables.size()));
}

void MainWindow::onCatalogFailed(const pg::PgError& error)
{
    const QString text = tr("Could not read the catalog: %1").arg(error.toString());
    m_catalogError = text;
    if (!m_catalogLoaded)
        m_work->map()->setEmptyText(text + tr("\n\nPress F5 to try again."));
    statusBar()->showMessage(text, 15000);
}

void MainWindow::refresh()
{
    if (m_session && m_connected) {
        statusBar()->showMessage(tr("Reading the catalog…"));
        m_session->requestCatalog();
    }
}

void MainWindow::disconnectFromServer()
{
    m_runFlow->clearConnection();
    m_sessionPassword.clear();
    delete m_session;
    m_session = nullptr;
    m_ratesTimer->stop();
    m_connected = m_catalogLoaded = false;
    m_serverInfo.clear();
    m_snapshot = {};
    m_work->clear();
    m_start->showIdle();
    m_stack->setCurrentWidget(m_start);
    updateTitle();
    updateServerStatus();
}

void MainWindow::updateTitle()
{
    m_refreshAction->setEnabled(m_connected);
    m_disconnectAction->setEnabled(m_connected || m_session);
    if (!m_connected) {
        setWindowTitle(tr("Lockstep"));
        return;
    }
    const QString version = m_serverInfo.value(QStringLiteral("version")).toString();
    QString extra = tr("PostgreSQL %1").arg(version);
    if (m_catalogLoaded) {
        const int replicas = int(m_snapshot.server.replicas.size());
        extra += QStringLiteral(", ") + counted(replicas, tr("replica"), tr("replicas"));
    }
    // The application's name last: the window system appends the display name to a title that does not
    // already end with it ("Lockstep — shop (…) — Lockstep").
    setWindowTitle(tr("%1 (%2) — Lockstep").arg(m_label, extra));
}

void MainWindow::updateServerStatus()
{
    if (!m_catalogLoaded) {
        m_statusTables->clear();
        m_statusServer->clear();
        return;
    }
    m_statusTables->setText(tr("%1 tables · %2 · read at %3")
                                .arg(groupedNumber(m_snapshot.tables.size()),
                                     sizeText(std::accumulate(m_snapshot.tables.begin(), m_snapshot.tables.end(), qint64(0),
                                                              [](qint64 s, const pg::TableStats& t) { return s + t.totalBytes; })),
                                     m_snapshot.at.toLocalTime().toString(QStringLiteral("HH:mm:ss"))));
    const auto& replicas = m_snapshot.server.replicas;
    if (replicas.isEmpty()) {
        m_statusServer->setText(tr("no replicas"));
        m_statusServer->setToolTip(tr("No streaming replica is connected to this server."));
        return;
    }
    double worst = 0;
    for (const auto& r : replicas)
        worst = std::max(worst, r.replayLagSeconds);
    const QColor mark = worst < 1 ? okColor() : worst < 10 ? warningColor() : dangerColor();
    const QString dot = legibleOn(mark, m_statusServer->palette().color(QPalette::Window), 3).name();
    m_statusServer->setText(tr("replica lag %1 <span style=\"color:%2\">●</span>").arg(formatDuration(worst).toHtmlEscaped(), dot));
    QStringList lines;
    for (const auto& r : replicas)
        lines << tr("%1 (%2): %3 behind, %4").arg(r.name, r.state, formatDuration(r.replayLagSeconds), sizeText(r.replayLagBytes));
    m_statusServer->setToolTip(lines.join(QLatin1Char('\n')));
}

void MainWindow::wireChangeFlow()
{
    if (!m_session)
        return;
    ChangeComposer* composer = m_work->composer();
    PlanView* plan = m_work->planView();
    connect(m_session, &DbSession::typesLoaded, composer, &ChangeComposer::setTypes);
    connect(m_session, &DbSession::referenceColumnsLoaded, composer, &ChangeComposer::setReferenceColumns);
    connect(m_session, &DbSession::referenceColumnsFailed, composer,
            [composer](quint32 oid, const pg::PgError& e) { composer->setReferenceColumnsError(oid, e.message); });
    connect(m_session, &DbSession::planReady, composer, &ChangeComposer::setPlanResult);
    connect(m_session, &DbSession::planRefused, composer, &ChangeComposer::setServerRefusal);
    connect(m_session, &DbSession::planFailed, composer, &ChangeComposer::setServerFailure);
    connect(m_session, &DbSession::locksObserved, plan, &PlanView::setObservations);
    connect(m_session, &DbSession::lockPreviewFailed, plan, &PlanView::setPreviewFailed);
    m_session->requestTypes();   // once per connection: the composer's type completion
}

} // namespace lockstep::ui
