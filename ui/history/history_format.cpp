// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/history/history_format.h"

#include "core/run/run_ownership.h"

#include "core/plan/plan_render.h"
#include "ui/charts/run_charts.h"

#include <QColor>

namespace lockstep::ui {

namespace {
const QColor kGood(0x1B, 0x7F, 0x3B);
const QColor kBad(0xB3, 0x1B, 0x1B);
const QColor kWarn(0xB3, 0x5C, 0x00);
const QColor kQuiet(0x55, 0x5F, 0x6D);
const QColor kBusy(0x1F, 0x5F, 0xB0);

const store::StepRecord* currentStep(const store::RunHistory& h)
{
    // The step the run stopped in: the last one that left Pending without finishing well.
    const store::StepRecord* found = nullptr;
    for (const store::StepRecord& s : h.steps)
        if (s.state != store::StepState::Pending && s.state != store::StepState::Done
            && s.state != store::StepState::Skipped)
            found = &s;
    return found;
}

QString stepName(const store::RunHistory& h, const store::StepRecord& s)
{
    const QString title = s.index >= 0 && s.index < h.run.plan.steps.size() ? h.run.plan.steps.at(s.index).title : s.stepId;
    return QStringLiteral("step %1 (%2)").arg(s.index + 1).arg(title);
}
} // namespace

QString runStateText(store::RunState state, store::RunLiveness liveness)
{
    const QString name = store::runStateName(state);
    switch (liveness) {
    case store::RunLiveness::CutOff: return QStringLiteral("cut off");
    case store::RunLiveness::Active: return QStringLiteral("%1 now").arg(name);
    default: return name;
    }
}

QString shortTimeText(const QDateTime& at)
{
    if (!at.isValid())
        return {};
    const QDateTime local = at.toLocalTime();
    const QDate today = QDate::currentDate();
    if (local.date() == today)
        return local.toString(QStringLiteral("HH:mm:ss"));
    if (local.date().year() == today.year())
        return local.toString(QStringLiteral("MMM d HH:mm"));
    return local.toString(QStringLiteral("yyyy-MM-dd"));
}

QString tableText(const QString& quotedTable)
{
    QString t = quotedTable;
    t.remove(QLatin1Char('"'));
    return t;
}

QBrush runStateColour(store::RunState state, store::RunLiveness liveness)
{
    if (liveness == store::RunLiveness::CutOff || state == store::RunState::Failed)
        return kBad;
    if (liveness == store::RunLiveness::Active)
        return kBusy;
    if (state == store::RunState::Done)
        return kGood;
    if (state == store::RunState::Paused || state == store::RunState::Interrupted)
        return kWarn;
    return kQuiet;
}

QBrush stepStateColour(store::StepState state)
{
    switch (state) {
    case store::StepState::Done: return kGood;
    case store::StepState::Failed: return kBad;
    case store::StepState::WaitingForLock:
    case store::StepState::Throttled: return kWarn;
    case store::StepState::Running: return kBusy;
    default: return kQuiet;
    }
}

QString timeText(const QDateTime& at)
{
    return at.isValid() ? at.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) : QString();
}

QString stepDurationText(const store::StepRecord& step, const store::RunHistory& h)
{
    if (!step.startedAt.isValid())
        return {};
    if (step.endedAt.isValid())
        return formatDuration(step.startedAt.msecsTo(step.endedAt) / 1000.0);
    const QDateTime last = h.lastActivity();
    return QStringLiteral("%1, not ended").arg(formatDuration(std::max<qint64>(0, step.startedAt.msecsTo(last)) / 1000.0));
}

QString runTitleHtml(const store::RunRecord& run, const QColor& quiet)
{
    const QString table = tableText(run.table.isEmpty() ? run.plan.table : run.table);
    QString until = run.untilPhase.isEmpty() ? QString() : QStringLiteral(" · until %1").arg(run.untilPhase.toHtmlEscaped());
    return QStringLiteral("<b>Run %1</b> · %2 · %3%4<br><span style='color:%5'>%6</span>")
        .arg(run.id)
        .arg(table.toHtmlEscaped(), describeChange(run.plan).toHtmlEscaped(), until, quiet.name(), run.server.toHtmlEscaped());
}

QString runStatusText(const store::RunHistory& h, store::RunLiveness liveness)
{
    const QString took = h.run.endedAt.isValid()
                             ? formatDuration(h.run.startedAt.msecsTo(h.run.endedAt) / 1000.0) : QString();
    const store::StepRecord* at = currentStep(h);
    const QString where = at ? QStringLiteral(" in %1").arg(stepName(h, *at)) : QString();
    const QString error = h.run.lastError.isEmpty() ? QString() : QStringLiteral(" Last error: %1").arg(h.run.lastError);
    switch (liveness) {
    case store::RunLiveness::Active:
        return QStringLiteral("In progress%1 in process %2. Follow it in the Run tab.").arg(where).arg(h.run.ownerPid);
    case store::RunLiveness::CutOff:
        return QStringLiteral("Cut off%1: the journal says \"%2\" but its process (pid %3) is gone, a crash or a "
                              "kill. Resume continues from the last completed step and checkpoint; Rollback undoes "
                              "the completed steps.%4")
            .arg(where, store::runStateName(h.run.state)).arg(h.run.ownerPid).arg(error);
    case store::RunLiveness::Stopped:
        return QStringLiteral("Stopped (%1)%2. Resume continues from there; Rollback undoes the completed steps.%3")
            .arg(store::runStateName(h.run.state), where, error);
    case store::RunLiveness::Finished:
        if (run::parkedAtSwitchGate(h.run))
            return QStringLiteral("Parked at the switch gate after %1: every step before the switch is done and the "
                                  "application still uses the old column. \"Open at the gate\" continues through the "
                                  "switch; Rollback undoes the completed steps.").arg(took);
        return h.run.state == store::RunState::Done
                   ? QStringLiteral("Done in %1.").arg(took)
                   : QStringLiteral("Rolled back (%1 from start to end).%2").arg(took, error);
    }
    return {};
}

QString actionBlockedReason(const store::RunHistory& h, store::RunLiveness liveness)
{
    if (liveness == store::RunLiveness::Active)
        return QStringLiteral("Process %1 is running it now: use its own controls").arg(h.run.ownerPid);
    return h.run.state == store::RunState::Done ? QStringLiteral("This run finished")
                                                : QStringLiteral("This run was rolled back");
}

void replayIntoCharts(const store::RunHistory& h, RunCharts* charts)
{
    charts->clear();
    charts->setLive(false);
    const QVector<store::ProgressPoint> progress = store::replayedProgress(h);
    const bool measured = !progress.isEmpty() && progress.first().measured;
    charts->setTargetBatchMs(0);   // the run's target is not journaled: no target line
    for (const pg::MonitorSample& s : h.samples)
        charts->addSample(s);
    for (const store::ProgressPoint& p : progress)
        charts->addProgress(p.at, p.progress);
    for (const store::StepRecord& s : h.steps)
        if (s.startedAt.isValid())
            charts->markStep(s.startedAt, RunCharts::stepLabel(s.index, s.stepId));
    charts->setNote(RunCharts::Chart::Backfill,
                    progress.isEmpty() || measured ? QString()
                                                   : QStringLiteral("average rate from the checkpoint (batch figures not journaled)"));
}

} // namespace lockstep::ui
