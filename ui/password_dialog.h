// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QDialog>

class QLineEdit;

namespace lockstep::ui {

// Asked only when the server wanted a password we did not have. The password goes to the connect attempt
// and nowhere else: not to the profile, not to a file.
class PasswordDialog : public QDialog {
    Q_OBJECT
public:
    PasswordDialog(const QString& label, QWidget* parent = nullptr);
    QString password() const;
    QLineEdit* passwordEdit() const { return m_password; }

private:
    QLineEdit* m_password;
};

} // namespace lockstep::ui
