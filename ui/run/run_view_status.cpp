// SPDX-License-Identifier: GPL-3.0-or-later
// The run view's words: the state chip, the status line, the header, and what the start and rollback
// buttons allow (with the reason when they do not).
#include "ui/run/run_view.h"

#include "ui/charts/run_charts.h"
#include "ui/common/display_format.h"
#include "ui/common/palette_tools.h"
#include "ui/run/run_controller.h"
#include "ui/run/run_controls.h"
#include "ui/run/run_format.h"
#include "ui/run/run_step_list.h"

#include <QLabel>
#include <QSplitter>
#include <QStackedWidget>

namespace lockstep::ui {

namespace {
QString chipStyle(const QColor& c)
{
    return QStringLiteral("QLabel { color: %1; background: %2; border-radius: 9px; padding: 2px 10px; font-weight: bold; }")
        .arg(readableTextOn(c).name(), c.name());
}

QString stateWord(const QString& state)
{
    if (state == QLatin1String("at-switch-gate"))
        return QStringLiteral("at the switch gate");
    if (state == QLatin1String("stopped"))
        return QStringLiteral("stopped (resumable)");
    return stepStateWord(state).replace(QLatin1Char('-'), QLatin1Char(' '));
}

QColor stateColor(const QString& state)
{
    if (state == QLatin1String("at-switch-gate") || state == QLatin1String("paused") || state == QLatin1String("stopped"))
        return QColor(0xc7, 0x7c, 0x02);
    if (state == QLatin1String("rolling-back"))
        return QColor(0x7b, 0x4f, 0xb8);
    return stepStateColor(state);
}
} // namespace

void RunView::setRunState(const QString& state)
{
    if (m_state == state && !m_stateChip->text().isEmpty())
        return;
    m_state = state;
    m_charts->setIdle(state == QLatin1String("idle"));
    m_stateChip->setText(stateWord(state));
    m_stateChip->setStyleSheet(chipStyle(stateColor(state)));   // a re-polish: only when the state changes
    const QString neutral = statusText(state);
    if (!neutral.isEmpty())
        showBanner(neutral, QStringLiteral("info"));
    if (state != QLatin1String("running") && state != QLatin1String("throttled") && state != QLatin1String("waiting-for-lock"))
        refreshHeader();
    emit runStateChanged(state);
}

QString RunView::statusText(const QString& state) const
{
    if (state == QLatin1String("idle"))
        return m_controller->plan().steps.isEmpty()
                   ? QStringLiteral("No plan yet: compose a change and plan it, then run it here.")
                   : QStringLiteral("Start runs expand, backfill and constrain, then stops at the switch gate until you "
                                    "confirm that the application uses the new column.");
    if (state == QLatin1String("running"))
        return QStringLiteral("Running. Pause holds it at the next step or batch; the throttle applies at once; Abort "
                              "stops it and it stays resumable.");
    if (state == QLatin1String("paused"))
        return QStringLiteral("Paused: the run holds at the next step boundary or backfill batch until you resume it.");
    if (state == QLatin1String("rolling-back"))
        return QStringLiteral("Rolling back: the steps are undone, the last one first.");
    return {};   // the other states bring their own message
}

void RunView::showBanner(const QString& text, const QString& kind)
{
    QString style = QStringLiteral("background: #eaf2fd; border: 1px solid #8fb5ea;");
    if (kind == QLatin1String("ok"))
        style = QStringLiteral("background: #e7f5ea; border: 1px solid #8cc79a;");
    else if (kind == QLatin1String("warn"))
        style = QStringLiteral("background: #fff4d6; border: 1px solid #e8c46a;");
    else if (kind == QLatin1String("error"))
        style = QStringLiteral("background: #fde8e8; border: 1px solid #e08b8b;");
    m_banner->setStyleSheet(QStringLiteral("QLabel { %1 border-radius: 4px; padding: 6px 10px; color: #202020; }").arg(style));
    m_banner->setText(text);
    m_banner->setToolTip(text);
    m_status->setCurrentWidget(m_banner);
}

void RunView::refreshHeader()
{
    const Plan& plan = m_controller->plan();
    if (plan.steps.isEmpty()) {
        m_title->setText(QStringLiteral("<b>No plan to run.</b> Compose a change and plan it; its run shows here."));
        return;
    }
    const QString run = m_controller->runId() > 0 ? QStringLiteral("Run %1").arg(m_controller->runId())
                                                  : QStringLiteral("New run");
    QString where = QStringLiteral("runs to the switch gate, then waits for you");
    if (m_state == QLatin1String("at-switch-gate"))
        where = QStringLiteral("waiting at the switch gate");
    else if (m_controller->untilPhase() == Phase::Switch)
        where = QStringLiteral("through the switch; the contract waits for you");
    else if (m_controller->untilPhase() == Phase::Contract)
        where = QStringLiteral("through the contract");
    if (m_state == QLatin1String("rolled-back"))
        where = QStringLiteral("rolled back");
    m_title->setText(QStringLiteral("<b>%1</b> · %2 · column <b>%3</b> · %4 · %5")
                         .arg(run.toHtmlEscaped(), plan.table.toHtmlEscaped(), plan.change.column.toHtmlEscaped(),
                              counted(plan.steps.size(), QStringLiteral("step"), QStringLiteral("steps")), where));
}

void RunView::refreshStart()
{
    const bool ready = !m_controller->plan().steps.isEmpty();
    QString reason;
    bool allowed = ready;
    if (!ready)
        reason = QStringLiteral("No plan yet.");
    else if (m_state == QLatin1String("rolled-back"))
        allowed = false, reason = QStringLiteral("This run is rolled back: plan the change again for a new run.");
    else if (m_state == QLatin1String("at-switch-gate"))
        allowed = false, reason = QStringLiteral("The run waits at the switch gate: continue through it instead.");
    else if (m_state == QLatin1String("done"))
        allowed = false, reason = QStringLiteral("The run is done.");
    m_controls->setStartEnabled(allowed, reason);
    m_controls->setStartText(m_controller->runId() > 0 && (m_state == QLatin1String("stopped") || m_state == QLatin1String("failed"))
                                 ? QStringLiteral("Resume run")
                                 : QStringLiteral("Start run"));
}

void RunView::refreshRollback()
{
    if (m_controller->isRunning()) {
        m_controls->setRollbackEnabled(false, QStringLiteral("Abort the run first: a rollback starts from a stopped run."));
        return;
    }
    const QString blocked = m_controller->rollbackBlockedReason();
    m_controls->setRollbackEnabled(blocked.isEmpty(), blocked);
}

} // namespace lockstep::ui
