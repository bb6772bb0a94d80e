// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/run/blocker_panel.h"

#include "ui/run/run_format.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace lockstep::ui {

namespace {
enum Column { ColPid, ColUser, ColState, ColAge, ColLocks, ColQuery, ColumnCount };
}

BlockerPanel::BlockerPanel(QWidget* parent)
    : QWidget(parent), m_heading(new QLabel(this)), m_table(new QTableWidget(0, ColumnCount, this)),
      m_result(new QLabel(this)), m_retry(new QPushButton(QStringLiteral("Keep retrying"), this)),
      m_cancel(new QPushButton(QStringLiteral("Cancel the blocker…"), this)),
      m_abort(new QPushButton(QStringLiteral("Abort the run"), this))
{
    setObjectName(QStringLiteral("blockerPanel"));
    setAttribute(Qt::WA_StyledBackground, true);
    setStyleSheet(QStringLiteral("#blockerPanel { background: #fff4d6; border: 1px solid #e8c46a; border-radius: 4px; }"
                                 "#blockerPanel QLabel { color: #202020; }"));   // light box: dark text in a dark theme too
    m_heading->setWordWrap(true);
    m_heading->setObjectName(QStringLiteral("blockerHeading"));
    m_result->setWordWrap(true);
    m_result->setObjectName(QStringLiteral("blockerResult"));
    m_result->hide();
    m_retry->setObjectName(QStringLiteral("keepRetryingButton"));
    m_cancel->setObjectName(QStringLiteral("cancelBlockerButton"));
    m_abort->setObjectName(QStringLiteral("abortFromBlockerButton"));
    m_retry->setToolTip(QStringLiteral("The step keeps trying under a short lock_timeout with backoff, so traffic never "
                                       "queues behind it for long."));
    m_cancel->setToolTip(QStringLiteral("Cancels the selected session's running statement (pg_cancel_backend); its "
                                        "connection stays open."));
    m_abort->setToolTip(QStringLiteral("Stops the run where it is; it stays resumable."));

    m_table->setObjectName(QStringLiteral("blockerTable"));
    m_table->setHorizontalHeaderLabels({QStringLiteral("pid"), QStringLiteral("user"), QStringLiteral("state"),
                                        QStringLiteral("age"), QStringLiteral("locks held"), QStringLiteral("query")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->horizontalHeader()->setStretchLastSection(true);
    for (int c : {ColPid, ColUser, ColState, ColAge, ColLocks})
        m_table->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_retry);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_abort);
    buttons->addStretch(1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 8, 10, 8);
    layout->addWidget(m_heading);
    layout->addWidget(m_table);
    layout->addWidget(m_result);
    layout->addLayout(buttons);

    connect(m_retry, &QPushButton::clicked, this, [this] {
        m_result->setText(QStringLiteral("Still retrying: the step goes on as soon as the lock is free."));
        m_result->show();
        emit keepRetrying();
    });
    connect(m_cancel, &QPushButton::clicked, this, &BlockerPanel::askToCancel);
    connect(m_abort, &QPushButton::clicked, this, &BlockerPanel::abortRequested);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, [this] { m_cancel->setEnabled(selectedPid() > 0); });
}

void BlockerPanel::setWaiting(int stepIndex, const QString& stepTitle, const QVector<run::BlockingSession>& blockers,
                              int attempt)
{
    const int keep = selectedPid();
    m_stepIndex = stepIndex;
    m_blockers = blockers;
    m_heading->setText(blockers.isEmpty()
                           ? QStringLiteral("<b>Step %1 (%2) is waiting for its lock</b> — attempt %3. The session in the "
                                            "way has already gone; the next attempt should succeed.")
                                 .arg(stepIndex + 1).arg(stepTitle.toHtmlEscaped()).arg(attempt)
                           : QStringLiteral("<b>Step %1 (%2) is waiting for its lock</b> — attempt %3. %4 in the way:")
                                 .arg(stepIndex + 1).arg(stepTitle.toHtmlEscaped()).arg(attempt)
                                 .arg(blockers.size() == 1 ? QStringLiteral("This session is")
                                                           : QStringLiteral("%1 sessions are").arg(blockers.size())));
    m_table->setRowCount(blockers.size());
    for (int r = 0; r < blockers.size(); ++r) {
        const run::BlockingSession& b = blockers[r];
        const QStringList cells{QString::number(b.pid), b.user, b.state, durationText(b.ageSeconds), b.lockModes,
                                b.query.simplified()};
        for (int c = 0; c < ColumnCount; ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            if (c == ColQuery)
                item->setToolTip(b.query);
            m_table->setItem(r, c, item);
        }
    }
    m_table->setVisible(!blockers.isEmpty());
    // As tall as its rows (up to five, then it scrolls): no empty box under one blocker.
    const int rowHeight = m_table->verticalHeader()->defaultSectionSize();
    m_table->setFixedHeight(m_table->horizontalHeader()->sizeHint().height() + qMin(int(blockers.size()), 5) * rowHeight
                            + 2 * m_table->frameWidth() + 2);
    selectPid(keep > 0 ? keep : (blockers.isEmpty() ? 0 : blockers.first().pid));
    m_cancel->setEnabled(selectedPid() > 0);
    show();
}

void BlockerPanel::setCancelResult(int pid, bool sent, const QString& error)
{
    if (!error.isEmpty())
        m_result->setText(QStringLiteral("Could not cancel pid %1: %2").arg(pid).arg(error));
    else if (sent)
        m_result->setText(QStringLiteral("Cancel sent to pid %1; the step takes its lock on the next attempt.").arg(pid));
    else
        m_result->setText(QStringLiteral("pid %1 has no statement to cancel any more (it ended, or it is idle).").arg(pid));
    m_result->show();
}

void BlockerPanel::clear()
{
    if (m_confirm)
        m_confirm->reject();
    m_blockers.clear();
    m_table->setRowCount(0);
    m_result->hide();
    m_stepIndex = -1;
    hide();
}

QVector<int> BlockerPanel::blockerPids() const
{
    QVector<int> pids;
    for (const run::BlockingSession& b : m_blockers)
        pids << b.pid;
    return pids;
}

int BlockerPanel::selectedPid() const
{
    const auto rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty() || rows.first().row() >= m_blockers.size())
        return 0;
    return m_blockers[rows.first().row()].pid;
}

void BlockerPanel::selectPid(int pid)
{
    for (int r = 0; r < m_blockers.size(); ++r) {
        if (m_blockers[r].pid == pid) {
            m_table->selectRow(r);
            return;
        }
    }
    m_table->clearSelection();
}

void BlockerPanel::askToCancel()
{
    const int pid = selectedPid();
    if (pid <= 0 || m_confirm)
        return;
    run::BlockingSession who;
    for (const run::BlockingSession& b : m_blockers)
        if (b.pid == pid)
            who = b;
    QString text = QStringLiteral("Cancel the statement that session %1 (%2) is running?\n\n%3\n\n"
                                  "Its client sees an error (\"canceling statement due to user request\"); its "
                                  "connection stays open.")
                       .arg(pid).arg(who.user, who.query.simplified().left(300));
    if (who.state.startsWith(QLatin1String("idle in transaction")))
        text += QStringLiteral("\n\nThis session is idle in its transaction: it runs no statement, so a cancel does not "
                               "release its locks. Ask its owner to finish the transaction.");
    // open(), not exec(): the event loop (and the run's signals) keep going while the user reads.
    m_confirm = new QMessageBox(QMessageBox::Warning, QStringLiteral("Cancel the blocking statement?"), text,
                                QMessageBox::NoButton, this);
    m_confirm->setObjectName(QStringLiteral("cancelBlockerConfirmation"));
    m_confirm->addButton(QStringLiteral("Cancel its statement"), QMessageBox::AcceptRole);
    m_confirm->addButton(QStringLiteral("Keep it running"), QMessageBox::RejectRole);
    m_confirm->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_confirm, &QMessageBox::finished, this, [this, pid] {
        const bool accepted = m_confirm && m_confirm->buttonRole(m_confirm->clickedButton()) == QMessageBox::AcceptRole;
        m_confirm = nullptr;
        if (accepted)
            emit cancelBlockerRequested(pid);
    });
    m_confirm->open();
}

} // namespace lockstep::ui
