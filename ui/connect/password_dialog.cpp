// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/connect/password_dialog.h"

#include "ui/common/palette_tools.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace lockstep::ui {

PasswordDialog::PasswordDialog(const QString& label, bool keychain, QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("Password"));
    auto* text = new QLabel(tr("“%1” asks for a password.").arg(label.toHtmlEscaped()), this);
    text->setWordWrap(true);
    m_problem = new QLabel(this);
    m_problem->setWordWrap(true);
    setAccentText(m_problem, QColor(0xb3, 0x26, 0x1e));   // red that reads on a light or dark window
    m_problem->hide();
    m_password = new QLineEdit(this);
    m_password->setEchoMode(QLineEdit::Password);
    m_remember = new QCheckBox(tr("Remember in the system keychain"), this);
    m_remember->setVisible(keychain);
    auto* note = new QLabel(keychain ? tr("Unless remembered, kept in memory for this session only. Lockstep never "
                                          "writes a password to a file.")
                                     : tr("Kept in memory for this session only; never saved."),
                            this);
    note->setWordWrap(true);
    note->setForegroundRole(QPalette::PlaceholderText);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Connect"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(text);
    layout->addWidget(m_problem);
    layout->addWidget(m_password);
    layout->addWidget(m_remember);
    layout->addWidget(note);
    layout->addWidget(buttons);
    setMinimumWidth(380);
}

QString PasswordDialog::password() const { return m_password->text(); }

bool PasswordDialog::remember() const { return !m_remember->isHidden() && m_remember->isChecked(); }

void PasswordDialog::setProblem(const QString& text)
{
    m_problem->setText(text);
    m_problem->setVisible(!text.isEmpty());
}

} // namespace lockstep::ui
