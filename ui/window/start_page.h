// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "ui/server/catalog_types.h"

#include <QPair>
#include <QWidget>

class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QToolButton;

namespace lockstep::ui {

// What the window shows with no connection: recent connections, "Connect…" and "Try the demo"; while a
// connection is being made, its progress and a Cancel button; when it failed, why (one line, with the
// server's message and SQLSTATE under Details).
class StartPage : public QWidget {
    Q_OBJECT
public:
    explicit StartPage(QWidget* parent = nullptr);

    void setRecent(const QVector<QPair<QString, QString>>& profiles);   // name -> conninfo (no passwords)
    void setRecentUnavailable(const QString& reason);
    void showConnecting(const QString& label);
    void showError(const QString& summary, const pg::PgError& error);
    void showIdle();

    QString errorText() const;        // the summary and the details, for tests and copy-paste
    bool isConnecting() const;
    QListWidget* recentList() const { return m_recent; }
    QPushButton* cancelButton() const { return m_cancel; }

signals:
    void connectRequested();                                     // open the dialog
    void demoRequested();
    void recentActivated(const QString& name, const QString& conninfo);
    void recentEditRequested(const QString& name, const QString& conninfo);
    void recentRemoveRequested(const QString& name);
    void cancelRequested();
    void retryRequested();

private:
    QListWidget* m_recent;
    QLabel* m_recentEmpty;
    QWidget* m_progressBox;
    QLabel* m_progressLabel;
    QProgressBar* m_progress;
    QPushButton* m_cancel;
    QWidget* m_errorBox;
    QLabel* m_errorSummary;
    QToolButton* m_detailsToggle;
    QLabel* m_errorDetails;
};

} // namespace lockstep::ui
