// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;

namespace lockstep::ui {

// Where to connect: host, port, database, user and sslmode, or one connection string (key=value or
// postgresql:// URI). Only what the user typed goes into the conninfo, so libpq fills the rest from PG*
// variables, ~/.pgpass and pg_service.conf. No password field: the server asks for one if it wants it.
class ConnectionDialog : public QDialog {
    Q_OBJECT
public:
    explicit ConnectionDialog(QWidget* parent = nullptr);

    // Prefill from a saved profile: a conninfo that parses into the fields, or else the string box.
    void setProfile(const QString& name, const QString& conninfo);
    QString conninfo() const;
    QString profileName() const;     // what the user named it, else "db@host"

    QLineEdit* hostEdit() const { return m_host; }
    QLineEdit* conninfoEdit() const { return m_conninfo; }

private:
    void updateState();

    QLineEdit* m_name;
    QLineEdit* m_host;
    QLineEdit* m_port;
    QLineEdit* m_database;
    QLineEdit* m_user;
    QComboBox* m_sslmode;
    QLineEdit* m_conninfo;
    QLabel* m_problem;
};

} // namespace lockstep::ui
