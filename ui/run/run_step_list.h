// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/plan/plan.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QVector>
#include <QWidget>

class QTreeWidget;
class QTimer;

namespace lockstep::ui {

// The plan's steps with their live state (pending, running, waiting for a lock, throttled, done, failed,
// rolled back) and the time each has taken so far; the point of no return is marked. Steps past the
// phase the run stops at are shown as waiting behind the gate.
class RunStepList : public QWidget {
    Q_OBJECT
public:
    explicit RunStepList(QWidget* parent = nullptr);

    void setPlan(const Plan& plan);
    // Steps after `phase` are not part of the run yet ("after the switch gate").
    void setRunUntil(Phase phase);
    // `state` is a journal name ("waiting-for-lock"); `startedAt`/`endedAt` when known (from the journal),
    // else the clock starts when a step leaves pending and stops when it ends.
    void setState(int index, const QString& state, const QString& message = {},
                  const QDateTime& startedAt = {}, const QDateTime& endedAt = {});
    void resetStates();
    // The run is over (rolled back): steps that never ran say so instead of waiting behind the gate.
    void markNotRun(const QString& note);
    // Tall enough for every step (up to a dozen) without scrolling.
    QSize sizeHint() const override;

    // For the view and tests.
    int count() const { return m_rows.size(); }
    QString state(int index) const;
    QString message(int index) const;
    double elapsedSeconds(int index) const;   // -1 if it has not started
    QString elapsedText(int index) const;

private:
    struct Row {
        QString state = QStringLiteral("pending");
        QString message;
        QDateTime startedAt;
        QDateTime endedAt;
        bool afterGate = false;
    };
    void refreshRow(int index);
    void tick();

    QTreeWidget* m_tree;
    QTimer* m_clock;
    Plan m_plan;
    QVector<Row> m_rows;
};

} // namespace lockstep::ui
