// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;

namespace lockstep::ui {

// Asked only when the server wanted a password we did not have. The password goes to the connect attempt
// and, only if the user ticks "Remember", to the system keychain: never to the profile or a file of ours.
class PasswordDialog : public QDialog {
    Q_OBJECT
public:
    // keychain: offer "Remember in the system keychain" (only when one is there).
    PasswordDialog(const QString& label, bool keychain, QWidget* parent = nullptr);
    QString password() const;
    bool remember() const;
    // A line above the field, e.g. why the saved password is asked for again.
    void setProblem(const QString& text);
    QLineEdit* passwordEdit() const { return m_password; }
    QCheckBox* rememberBox() const { return m_remember; }

private:
    QLineEdit* m_password;
    QCheckBox* m_remember;
    QLabel* m_problem;
};

} // namespace lockstep::ui
