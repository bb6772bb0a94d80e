// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The Plan view's "Rehearse on a copy" button and its status line: idle, running (the button cancels,
// the line says which phase), done (what the copy was and how the plan went, the estimate beside the
// rehearsed total) or failed.
#include "core/rehearse/rehearsal.h"

#include <QObject>

class QLabel;
class QPushButton;
class QWidget;

namespace lockstep::ui {

class RehearsalBar : public QObject {
    Q_OBJECT
public:
    explicit RehearsalBar(QWidget* page);

    QPushButton* button() const { return m_button; }
    QLabel* status() const { return m_status; }
    bool isRunning() const { return m_running; }
    QString statusText() const;

    void reset();                                   // a new plan: nothing rehearsed yet
    void setRunning(bool running);
    void setProgress(const QString& text);
    void setFailed(const QString& text);
    void setReport(const rehearse::RehearsalReport& report, double estimatedSeconds);

signals:
    void requested();
    void cancelRequested();

private:
    void show(const QString& text);

    QPushButton* m_button;
    QLabel* m_status;
    bool m_running = false;
};

} // namespace lockstep::ui
