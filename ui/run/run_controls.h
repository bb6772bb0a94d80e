// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QWidget>

class QLabel;
class QPushButton;
class QSpinBox;
class QTimer;

namespace lockstep::ui {

// The run's buttons and live knobs: start, pause, resume, abort; the throttle (the backfill's target batch
// time and a rate cap, applied to the running backfill as they change); rollback, disabled with the reason
// in words (and in its tooltip) when it cannot be used.
class RunControls : public QWidget {
    Q_OBJECT
public:
    enum class Mode { Idle, Running, Paused, Finished };

    explicit RunControls(QWidget* parent = nullptr);

    void setMode(Mode mode);
    Mode mode() const { return m_mode; }
    void setStartText(const QString& text);     // "Start run", "Resume run"
    void setStartEnabled(bool enabled, const QString& reason = {});
    void setRollbackEnabled(bool enabled, const QString& reason);
    void setThrottle(int targetBatchMs, int maxRowsPerSecond);   // without emitting
    // What the backfill really does when that is not the target (gentle mode: short batches beside others'
    // writes), shown beside the target; empty hides it.
    void setPaceNote(const QString& note);
    QString paceNote() const;

    int targetBatchMs() const;
    int maxRowsPerSecond() const;
    QString rollbackReason() const { return m_rollbackReason; }

    QPushButton* startButton() const { return m_start; }
    QPushButton* pauseButton() const { return m_pause; }
    QPushButton* resumeButton() const { return m_resume; }
    QPushButton* abortButton() const { return m_abort; }
    QPushButton* rollbackButton() const { return m_rollback; }
    QSpinBox* targetBatchBox() const { return m_targetMs; }
    QSpinBox* rateCapBox() const { return m_rateCap; }

signals:
    void startRequested();
    void pauseRequested();
    void resumeRequested();
    void abortRequested();
    void rollbackRequested();
    // Live: emitted a moment after the user stops changing the value.
    void targetBatchMsChanged(int ms);
    void maxRowsPerSecondChanged(int rows);   // 0 = no cap

private:
    void refresh();

    QPushButton* m_start;
    QPushButton* m_pause;
    QPushButton* m_resume;
    QPushButton* m_abort;
    QPushButton* m_rollback;
    QSpinBox* m_targetMs;
    QSpinBox* m_rateCap;
    QLabel* m_rollbackNote;
    QLabel* m_paceNote;
    QTimer* m_debounce;
    Mode m_mode = Mode::Idle;
    bool m_startAllowed = false;
    bool m_rollbackAllowed = false;
    QString m_rollbackReason;
    QString m_startReason;
    int m_sentTargetMs = -1;
    int m_sentRateCap = -1;
};

} // namespace lockstep::ui
