// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/run/run_types.h"

#include <QVector>
#include <QWidget>

class QLabel;
class QMessageBox;
class QPushButton;
class QTableWidget;

namespace lockstep::ui {

// Shown while a step waits for its lock: who is in the way (pid, user, state, age, query) and what to do:
// keep retrying (the runner already does, under lock_timeout with backoff), cancel a blocker's statement
// (pg_cancel_backend, after a confirmation), or abort the run (resumable).
class BlockerPanel : public QWidget {
    Q_OBJECT
public:
    explicit BlockerPanel(QWidget* parent = nullptr);

    void setWaiting(int stepIndex, const QString& stepTitle, const QVector<lockstep::run::BlockingSession>& blockers,
                    int attempt);
    // The outcome of a cancel request, one line under the table.
    void setCancelResult(int pid, bool sent, const QString& error);
    void clear();

    // For the view and tests.
    int stepIndex() const { return m_stepIndex; }
    QVector<int> blockerPids() const;
    int selectedPid() const;
    void selectPid(int pid);
    // The confirmation of "Cancel the blocker…" while it is open (non-modal to the event loop), else null.
    QMessageBox* pendingConfirmation() const { return m_confirm; }

signals:
    void keepRetrying();
    void cancelBlockerRequested(int pid);   // emitted only after the user confirmed
    void abortRequested();

private:
    void askToCancel();

    QLabel* m_heading;
    QTableWidget* m_table;
    QLabel* m_result;
    QPushButton* m_retry;
    QPushButton* m_cancel;
    QPushButton* m_abort;
    QMessageBox* m_confirm = nullptr;
    QVector<lockstep::run::BlockingSession> m_blockers;
    int m_stepIndex = -1;
};

} // namespace lockstep::ui
