// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/run/switch_gate_dialog.h"

#include "ui/common/display_format.h"
#include "ui/common/palette_tools.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace lockstep::ui {

QString SwitchGateDialog::ink(const QColor& accent) const
{
    return legibleOn(accent, palette().color(QPalette::Window)).name();   // green and red that read on any window
}

SwitchGateDialog::SwitchGateDialog(const QString& column, const QString& switchWhy, QWidget* parent)
    : QDialog(parent), m_verification(new QLabel(this)), m_detail(new QPlainTextEdit(this)),
      m_confirm(new QCheckBox(QStringLiteral("The application now reads and writes %1").arg(column), this)),
      m_recheck(new QPushButton(QStringLiteral("Check again"), this)),
      m_continue(new QPushButton(QStringLiteral("Continue through switch"), this))
{
    setObjectName(QStringLiteral("switchGateDialog"));
    setWindowTitle(QStringLiteral("Switch gate"));
    setMinimumWidth(560);
    auto* intro = new QLabel(QStringLiteral("<b>The run stopped at the switch gate.</b> Expand, backfill and constrain are "
                                            "done. Deploy the application version that uses %1, then confirm here.<br><br>%2")
                                 .arg(column.toHtmlEscaped(), switchWhy.toHtmlEscaped()),
                             this);
    intro->setWordWrap(true);
    m_verification->setObjectName(QStringLiteral("gateVerification"));
    m_verification->setWordWrap(true);
    m_detail->setReadOnly(true);
    m_detail->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_detail->setMaximumHeight(70);
    m_confirm->setObjectName(QStringLiteral("gateConfirm"));
    m_continue->setObjectName(QStringLiteral("gateContinue"));
    m_recheck->setObjectName(QStringLiteral("gateRecheck"));

    auto* buttons = new QDialogButtonBox(this);
    buttons->addButton(m_recheck, QDialogButtonBox::ActionRole);
    buttons->addButton(m_continue, QDialogButtonBox::AcceptRole);
    buttons->addButton(QStringLiteral("Not yet"), QDialogButtonBox::RejectRole);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_recheck, &QPushButton::clicked, this, &SwitchGateDialog::recheckRequested);
    connect(m_confirm, &QCheckBox::toggled, this, &SwitchGateDialog::refresh);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addSpacing(6);
    layout->addWidget(new QLabel(QStringLiteral("<b>Verification</b> — rows still differing from the backfill "
                                                "expression (must be 0):"), this));
    layout->addWidget(m_verification);
    layout->addWidget(m_detail);
    layout->addWidget(m_confirm);
    layout->addWidget(buttons);
    setChecking();
}

void SwitchGateDialog::setChecking()
{
    m_rows = -1;
    m_verification->setText(QStringLiteral("Counting… (a full scan of the table)"));
    m_detail->clear();
    refresh();
}

void SwitchGateDialog::setVerification(qint64 rowsDiffering, const QString& detail)
{
    m_rows = rowsDiffering;
    m_verification->setText(rowsDiffering == 0
                                ? QStringLiteral("<span style='color:%1'>✔ 0 rows differ</span> — every row holds its "
                                                 "new value.").arg(ink(QColor(0x2e, 0x8b, 0x3e)))
                                : QStringLiteral("<span style='color:%1'>✖ %2 rows still differ</span> — the switch "
                                                 "must wait: resume the backfill or look for writes that bypass the "
                                                 "trigger.").arg(ink(QColor(0xc6, 0x28, 0x28)), groupedNumber(rowsDiffering)));
    m_detail->setPlainText(detail.isEmpty() ? QStringLiteral("(the plan has no backfill: nothing to compare)") : detail);
    refresh();
}

void SwitchGateDialog::setVerificationError(const QString& message)
{
    m_rows = -1;
    m_verification->setText(QStringLiteral("<span style='color:%1'>The verification failed:</span> %2")
                                .arg(ink(QColor(0xc6, 0x28, 0x28)), message.toHtmlEscaped()));
    refresh();
}

QString SwitchGateDialog::verificationText() const { return m_verification->text(); }

void SwitchGateDialog::refresh()
{
    m_continue->setEnabled(m_rows == 0 && m_confirm->isChecked());
    m_continue->setToolTip(m_rows != 0 ? QStringLiteral("Needs a verification with 0 rows differing.")
                                       : m_confirm->isChecked() ? QString()
                                                                : QStringLiteral("Confirm that the application uses the new column."));
}

} // namespace lockstep::ui
