// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QDialog>

class QCheckBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace lockstep::ui {

// The switch gate: the run has stopped after constrain; before it goes on, the user confirms that the
// application now reads and writes the new column. It shows the verification (rows still differing from
// the backfill expression, which must be 0); "Continue through switch" needs a 0 and the confirmation.
class SwitchGateDialog : public QDialog {
    Q_OBJECT
public:
    // `column` as it appears in SQL; `switchWhy` is the switch step's explanation from the plan.
    SwitchGateDialog(const QString& column, const QString& switchWhy, QWidget* parent = nullptr);

    void setChecking();                                          // a verification is on its way
    void setVerification(qint64 rowsDiffering, const QString& detail);
    void setVerificationError(const QString& message);

    // For tests.
    qint64 rowsDiffering() const { return m_rows; }             // -1 until known
    QString verificationText() const;
    QCheckBox* confirmBox() const { return m_confirm; }
    QPushButton* continueButton() const { return m_continue; }

signals:
    void recheckRequested();

private:
    void refresh();
    QString ink(const QColor& accent) const;   // `accent` as a colour name that reads on the dialog

    QLabel* m_verification;
    QPlainTextEdit* m_detail;
    QCheckBox* m_confirm;
    QPushButton* m_recheck;
    QPushButton* m_continue;
    qint64 m_rows = -1;
};

} // namespace lockstep::ui
