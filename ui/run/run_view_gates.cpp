// SPDX-License-Identifier: GPL-3.0-or-later
// The run view's confirmations: the switch gate (verification, then continue through switch), the
// contract (the point of no return) and the rollback (exactly the steps it undoes, with their SQL).
#include "ui/run/run_view.h"

#include "ui/common/display_format.h"
#include "ui/run/rollback_dialog.h"
#include "ui/run/run_controller.h"
#include "ui/run/run_controls.h"
#include "ui/run/run_step_list.h"
#include "ui/run/switch_gate_dialog.h"

#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QStackedWidget>

namespace lockstep::ui {

void RunView::showGate()
{
    setRunState(QStringLiteral("at-switch-gate"));
    m_gateRows = -1;
    m_gateDetail.clear();
    m_gateText->setText(QStringLiteral("<b>Stopped at the switch gate.</b> Expand, backfill and constrain are done. "
                                       "Verification: counting the rows that still differ…"));
    m_gateButton->setText(QStringLiteral("Continue through switch…"));
    m_status->setCurrentWidget(m_gate);
    m_controller->verifySwitch();
}

void RunView::onVerified(qint64 rows, const QString& detail, const QString& error)
{
    m_gateRows = rows;
    m_gateDetail = error.isEmpty() ? detail : error;
    if (m_state == QLatin1String("at-switch-gate")) {
        if (!error.isEmpty())
            m_gateText->setText(QStringLiteral("<b>Stopped at the switch gate.</b> The verification failed: %1")
                                    .arg(error.toHtmlEscaped()));
        else
            m_gateText->setText(QStringLiteral("<b>Stopped at the switch gate.</b> Verification: <b>%1 rows differ</b> "
                                               "from the backfill expression%2. Deploy the application that uses the new "
                                               "column, then continue.")
                                    .arg(groupedNumber(rows))
                                    .arg(rows == 0 ? QStringLiteral(" ✔") : QStringLiteral(" — must be 0 before the switch")));
    }
    if (m_gateDialog) {
        if (error.isEmpty())
            m_gateDialog->setVerification(rows, detail);
        else
            m_gateDialog->setVerificationError(error);
    }
}

void RunView::openSwitchGate()
{
    if (m_state != QLatin1String("at-switch-gate") || m_gateDialog)
        return;
    QString column = m_controller->plan().change.column;
    QString why;
    for (const Step& s : m_controller->plan().steps)
        if (s.phase == Phase::Switch)
            why = s.why;
    auto* dialog = new SwitchGateDialog(column, why, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_gateDialog = dialog;
    if (m_gateRows >= 0)
        dialog->setVerification(m_gateRows, m_gateDetail);
    connect(dialog, &SwitchGateDialog::recheckRequested, this, [this, dialog] {
        dialog->setChecking();
        m_controller->verifySwitch();
    });
    connect(dialog, &QDialog::accepted, this, [this] {
        QString error;
        if (!m_controller->continueThrough(Phase::Switch, &error)) {
            showBanner(QStringLiteral("Could not continue through the switch: %1").arg(error), QStringLiteral("error"));
            showGate();
            return;
        }
        m_steps->setRunUntil(m_controller->untilPhase());
        m_controls->setMode(RunControls::Mode::Running);
        setRunState(QStringLiteral("running"));
        refreshHeader();
        refreshStart();
        refreshRollback();
    });
    dialog->open();   // not exec(): the window (and the run's signals) stay live
}

void RunView::continueThroughContract()
{
    auto* box = new QMessageBox(QMessageBox::Warning, QStringLiteral("Continue through the contract?"),
                                QStringLiteral("The contract is the point of no return: once it has run, no rollback can "
                                               "undo the change. Continue?"),
                                QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("contractConfirmation"));
    QPushButton* go = box->addButton(QStringLiteral("Run the contract"), QMessageBox::AcceptRole);
    box->addButton(QStringLiteral("Not now"), QMessageBox::RejectRole);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, go] {
        if (box->clickedButton() != go)
            return;
        QString error;
        if (!m_controller->continueThrough(Phase::Contract, &error)) {
            showBanner(QStringLiteral("Could not continue through the contract: %1").arg(error), QStringLiteral("error"));
            return;
        }
        m_steps->setRunUntil(Phase::Contract);
        m_controls->setMode(RunControls::Mode::Running);
        setRunState(QStringLiteral("running"));
        refreshHeader();
        refreshStart();
        refreshRollback();
    });
    box->open();
}

void RunView::requestRollback()
{
    const QString blocked = m_controller->isRunning() ? QStringLiteral("abort the run first")
                                                      : m_controller->rollbackBlockedReason();
    if (!blocked.isEmpty() || m_rollbackDialog) {
        if (!blocked.isEmpty())
            showBanner(QStringLiteral("Rollback is not possible: %1").arg(blocked), QStringLiteral("warn"));
        return;
    }
    auto* dialog = new RollbackDialog(m_controller->plan().table, m_controller->rollbackItems(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_rollbackDialog = dialog;
    connect(dialog, &QDialog::accepted, this, [this] {
        QString error;
        if (!m_controller->rollback(&error)) {
            showBanner(QStringLiteral("The rollback did not start: %1").arg(error), QStringLiteral("error"));
            return;
        }
        m_controls->setMode(RunControls::Mode::Running);
        setRunState(QStringLiteral("rolling-back"));
        queueStepMark(QStringLiteral("rollback"));
        refreshRollback();
    });
    dialog->open();
}

} // namespace lockstep::ui
