// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QObject>
#include <QString>

namespace lockstep::ui {

// Passwords the user chose to remember, kept in the desktop's keychain (Secret Service, KWallet) through
// qtkeychain — never in a file of ours. Built without qtkeychain, or with no keychain running, every request
// answers "unavailable" and the window keeps passwords in memory for one connect attempt only.
// Requests are asynchronous (D-Bus); answers arrive as signals on the calling thread.
class CredentialStore : public QObject {
    Q_OBJECT
public:
    explicit CredentialStore(QObject* parent = nullptr);

    static bool compiledIn();          // false: built without qtkeychain
    // The keychain entry for a connection: its parameters without the password, so one server, port,
    // database and user share one entry whatever the order they were typed in.
    static QString keyFor(const QString& conninfo);

    void read(const QString& key);
    void write(const QString& key, const QString& password);
    void remove(const QString& key);

    // Known after the first answer: false once the keychain said it has no backend or could not be reached.
    bool seemsAvailable() const { return m_available; }

signals:
    // found = false: no entry, or no keychain (then `problem` says why).
    void readFinished(const QString& key, const QString& password, bool found, const QString& problem);
    void writeFinished(const QString& key, bool ok, const QString& problem);
    void removeFinished(const QString& key, bool ok);

private:
    bool m_available = true;
};

} // namespace lockstep::ui
