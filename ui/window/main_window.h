// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "ui/server/catalog_types.h"

#include <QMainWindow>
#include <QVariantMap>
#include <memory>

class QAction;
class QLabel;
class QMenu;
class QStackedWidget;
class QTimer;

namespace lockstep::store { class Journal; }

namespace lockstep::ui {

class RehearsalJob;

class CredentialStore;
class DbSession;
class RunFlow;
class StartPage;
class Workspace;

// The application window. Without a connection it shows the start page (recent connections, Connect…,
// Try the demo); connected, the workspace: table list, schema map and table details above the flow of a
// change. All database work happens in a DbSession's thread; this class only reacts to its signals.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;
    // The window's size and the workspace's splitters as the user left them (QSettings); the app calls
    // this once at start (tests do not, so they always see the size they set).
    void restoreLayout();

    // Connects without saving a profile (the demo uses it: its server is temporary).
    void connectTo(const QString& conninfo, const QString& label);
    // Connects and, once connected, saves `name` -> conninfo (never the password) as a recent connection.
    void connectWithProfile(const QString& name, const QString& conninfo);
    void disconnectFromServer();

    bool isConnected() const { return m_connected; }
    bool isCatalogLoaded() const { return m_catalogLoaded; }
    QString catalogError() const { return m_catalogError; }   // the last catalog read's failure, if any
    StartPage* startPage() const { return m_start; }
    Workspace* workspace() const { return m_work; }
    RunFlow* runFlow() const { return m_runFlow; }
    const pg::CatalogSnapshot& snapshot() const { return m_snapshot; }
    // How often the rates refresh by themselves (ms); 0 stops it.
    void setRatesInterval(int ms);

public slots:
    void showConnectionDialog();
    void refresh();

signals:
    void demoRequested();
    void connectedToServer(const QString& label);
    void catalogLoaded(int tables);
    void addColumnRequested(quint32 oid);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildActions();
    void startSession(const QString& password);
    void onConnected(const QVariantMap& info);
    void onPasswordNeeded();
    void askPassword(const QString& problem);
    void onKeychainRead(const QString& key, const QString& password, bool found);
    void onConnectFailed(const pg::PgError& error);
    void onCatalogLoaded(const pg::CatalogSnapshot& snapshot);
    void onCatalogFailed(const pg::PgError& error);
    void cancelConnect();
    void updateTitle();
    void updateServerStatus();
    void reloadRecent();
    store::Journal* journal();
    void wireChangeFlow();          // the session's composer and preview answers to the change flow tabs
    void wireRehearsal();           // the Plan view's "Rehearse on a copy" to a RehearsalJob of its own

    QStackedWidget* m_stack;
    StartPage* m_start;
    Workspace* m_work;
    DbSession* m_session = nullptr;
    QTimer* m_ratesTimer;
    QLabel* m_statusTables;
    QLabel* m_statusServer;
    QMenu* m_recentMenu;
    QAction* m_refreshAction = nullptr;
    QAction* m_disconnectAction = nullptr;
    QAction* m_newChangeAction = nullptr;
    QAction* m_autoRefreshAction = nullptr;
    QAction* m_runAction = nullptr;
    QAction* m_pauseAction = nullptr;
    QAction* m_rollbackAction = nullptr;
    RunFlow* m_runFlow = nullptr;
    std::unique_ptr<RehearsalJob> m_rehearsalJob;   // the running or last rehearsal
    QString m_sessionPassword;   // the connected session's password, memory only (runs connect with it too)
    std::unique_ptr<store::Journal> m_journal;
    CredentialStore* m_credentials;
    // One connect attempt's password state: asked the keychain yet, the password came from it, the user
    // asked to remember the typed one (held in memory until the server accepts it, then written).
    bool m_keychainTried = false;
    bool m_passwordFromKeychain = false;
    QString m_passwordToRemember;
    QString m_journalError;

    QString m_conninfo;          // as typed: no password in it unless the user typed one into a URI
    QString m_label;
    QString m_profileName;       // empty: do not save
    bool m_connected = false;
    bool m_catalogLoaded = false;
    QVariantMap m_serverInfo;
    QString m_catalogError;
    pg::CatalogSnapshot m_snapshot;
};

} // namespace lockstep::ui
