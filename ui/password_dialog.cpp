// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/password_dialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace lockstep::ui {

PasswordDialog::PasswordDialog(const QString& label, QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("Password"));
    auto* text = new QLabel(tr("“%1” asks for a password.").arg(label.toHtmlEscaped()), this);
    text->setWordWrap(true);
    m_password = new QLineEdit(this);
    m_password->setEchoMode(QLineEdit::Password);
    auto* note = new QLabel(tr("Kept in memory for this session only; never saved."), this);
    note->setForegroundRole(QPalette::PlaceholderText);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Connect"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(text);
    layout->addWidget(m_password);
    layout->addWidget(note);
    layout->addWidget(buttons);
    setMinimumWidth(380);
}

QString PasswordDialog::password() const { return m_password->text(); }

} // namespace lockstep::ui
