// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/plan/rehearsal_bar.h"

#include "core/plan/lock_risk.h"
#include "core/plan/plan_render.h"

#include <QLabel>
#include <QPushButton>

namespace lockstep::ui {

RehearsalBar::RehearsalBar(QWidget* page) : QObject(page)
{
    m_button = new QPushButton(tr("Rehearse on a copy"), page);
    m_button->setToolTip(tr("Runs the plan for real on a private copy of the table: a throwaway PostgreSQL server on this "
                            "machine, the table's columns, keys and indexes, and synthetic rows shaped by its statistics "
                            "(never its values), with its traffic replayed. Each step's rehearsed time appears beside its "
                            "estimate. The server is only read."));
    m_status = new QLabel(page);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->hide();
    connect(m_button, &QPushButton::clicked, this, [this] {
        if (m_running)
            emit cancelRequested();
        else
            emit requested();
    });
}

QString RehearsalBar::statusText() const { return m_status->text(); }

void RehearsalBar::show(const QString& text)
{
    m_status->setText(text);
    m_status->setVisible(!text.isEmpty());
}

void RehearsalBar::reset()
{
    setRunning(false);
    show(QString());
}

void RehearsalBar::setRunning(bool running)
{
    m_running = running;
    m_button->setText(running ? tr("Cancel the rehearsal") : tr("Rehearse on a copy"));
    if (running)
        show(tr("Rehearsing on a private copy…"));
}

void RehearsalBar::setProgress(const QString& text)
{
    if (m_running)
        show(tr("Rehearsing: %1…").arg(text));
}

void RehearsalBar::setFailed(const QString& text)
{
    setRunning(false);
    if (text.contains(QLatin1String("cancelled")))
        show(tr("The rehearsal was cancelled; its copy is gone and the server was only read."));
    else
        show(tr("The rehearsal could not run: %1").arg(text));
}

void RehearsalBar::setReport(const rehearse::RehearsalReport& r, double estimatedSeconds)
{
    setRunning(false);
    double total = 0;
    for (const rehearse::StepTiming& s : r.steps)
        total += s.scaledSeconds;
    QString text = r.ok() ? tr("Rehearsed on a copy of %1 synthetic rows: every step ran, %2 in all%3 (estimated %4 for the same steps).")
                                .arg(groupedCount(r.copyRows), formatDuration(total),
                                     r.rowScale > 1 ? tr(" at full size") : QString(), formatDuration(estimatedSeconds))
                          : tr("Rehearsed on a copy of %1 synthetic rows: %2")
                                .arg(groupedCount(r.copyRows), r.problems.join(QStringLiteral("; ")));
    if (r.traffic.replayed)
        text += tr(" The application's statements meanwhile: p99 %1 ms (%2 ms before the run), %3 failed.")
                    .arg(r.traffic.during.p99Ms, 0, 'f', 1).arg(r.traffic.baseline.p99Ms, 0, 'f', 1).arg(r.traffic.during.failed);
    show(text);
}

} // namespace lockstep::ui
