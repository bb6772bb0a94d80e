// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/run/run_view.h"
#include "ui/run/run_stop_dialogs.h"

#include "core/run/left_installed.h"

#include "ui/run/blocker_panel.h"
#include "ui/connect/conninfo_tools.h"
#include "ui/common/display_format.h"
#include "ui/run/rollback_dialog.h"
#include "ui/charts/run_charts.h"
#include "ui/run/run_controller.h"
#include "ui/run/run_controls.h"
#include "ui/run/run_format.h"
#include "ui/run/run_progress.h"
#include "ui/run/run_step_list.h"
#include "ui/run/switch_gate_dialog.h"

#include <QDateTime>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QMetaMethod>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QStackedWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>

namespace lockstep::ui {


RunView::RunView(QWidget* parent)
    : QWidget(parent), m_controller(new RunController(this)), m_title(new QLabel(this)), m_stateChip(new QLabel(this)),
      m_controls(new RunControls(this)), m_banner(new QLabel(this)), m_gate(new QFrame(this)),
      m_gateText(new QLabel(m_gate)), m_gateButton(new QPushButton(m_gate)), m_blockers(new BlockerPanel(this)),
      m_progress(new RunProgress(this)), m_steps(new RunStepList(this)), m_frame(new QTimer(this))
{
    setObjectName(QStringLiteral("runView"));
    m_title->setObjectName(QStringLiteral("runTitle"));
    m_title->setTextFormat(Qt::RichText);
    m_stateChip->setObjectName(QStringLiteral("runStateChip"));
    m_banner->setObjectName(QStringLiteral("runBanner"));
    m_banner->setWordWrap(true);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_gate->setObjectName(QStringLiteral("switchGate"));
    m_gate->setStyleSheet(QStringLiteral("#switchGate { background: #eaf2fd; border: 1px solid #8fb5ea; border-radius: 4px; }"
                                         "#switchGate QLabel { color: #202020; }"));   // readable in a dark theme too
    m_gateText->setObjectName(QStringLiteral("switchGateText"));
    m_gateText->setWordWrap(true);
    m_gateButton->setObjectName(QStringLiteral("switchGateButton"));
    auto* gateLayout = new QHBoxLayout(m_gate);
    gateLayout->setContentsMargins(10, 8, 10, 8);
    gateLayout->addWidget(m_gateText, 1);
    gateLayout->addWidget(m_gateButton);
    m_blockers->hide();
    // One slot for the status line and the gate: switching between them never moves the view below (a
    // relayout would resize and redraw the charts).
    m_status = new QStackedWidget(this);
    m_status->addWidget(m_banner);
    m_status->addWidget(m_gate);
    m_status->setMinimumHeight(fontMetrics().height() + 24);

    auto* header = new QHBoxLayout;
    header->addWidget(m_title, 1);
    header->addWidget(m_stateChip);

    m_charts = new RunCharts(this);
    m_charts->setLive(true);

    // Progress and steps on the left, the four graphs (2 x 2) on the right: all of them in view together at
    // 1280x720. In a shorter window the charts scroll rather than squeeze the steps away.
    auto* chartScroll = new QScrollArea(this);
    chartScroll->setObjectName(QStringLiteral("runChartsScroll"));
    chartScroll->setWidget(m_charts);
    chartScroll->setWidgetResizable(true);
    chartScroll->setFrameShape(QFrame::NoFrame);
    chartScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_progress);
    leftLayout->addWidget(m_steps, 1);
    m_split = new QSplitter(Qt::Horizontal, this);
    m_split->setObjectName(QStringLiteral("runSplit"));
    m_split->addWidget(left);
    m_split->addWidget(chartScroll);
    m_split->setStretchFactor(0, 2);
    m_split->setStretchFactor(1, 3);
    m_split->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->addLayout(header);
    layout->addWidget(m_controls);
    layout->addWidget(m_status);
    layout->addWidget(m_blockers);
    layout->addWidget(m_split, 1);

    wire();
    m_controls->setThrottle(m_controller->options().targetBatchMs, m_controller->options().maxRowsPerSecond);
    m_charts->setTargetBatchMs(m_controller->options().targetBatchMs);
    setRunState(QStringLiteral("idle"));
    refreshHeader();
    refreshStart();
    refreshRollback();
}

RunView::~RunView() = default;

void RunView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    // By their size hints the step list (its columns' width) would take two thirds and squeeze the graphs'
    // axes; once the view has its width the graphs get the larger part. A split the user moves stays.
    if (!m_splitSized && m_split->width() > 0) {
        m_splitSized = true;
        const int total = m_split->width();
        m_split->setSizes({total * 45 / 100, total - total * 45 / 100});
    }
}

void RunView::wire()
{
    connect(m_controls, &RunControls::startRequested, this, [this] {
        if (runId() <= 0 && isSignalConnected(QMetaMethod::fromSignal(&RunView::newRunRequested)))
            emit newRunRequested();
        else
            start();
    });
    connect(m_controls, &RunControls::pauseRequested, this, &RunView::pause);
    connect(m_controls, &RunControls::resumeRequested, this, &RunView::resume);
    connect(m_controls, &RunControls::abortRequested, this, &RunView::abort);
    connect(m_controls, &RunControls::rollbackRequested, this, &RunView::requestRollback);
    connect(m_controls, &RunControls::targetBatchMsChanged, this, [this](int ms) {
        m_controller->setTargetBatchMs(ms);
        m_charts->setTargetBatchMs(ms);
    });
    connect(m_controls, &RunControls::maxRowsPerSecondChanged, m_controller, &RunController::setMaxRowsPerSecond);

    connect(m_blockers, &BlockerPanel::cancelBlockerRequested, m_controller, &RunController::cancelBlocker);
    connect(m_blockers, &BlockerPanel::abortRequested, this, &RunView::abort);
    connect(m_controller, &RunController::blockerCancelResult, m_blockers, &BlockerPanel::setCancelResult);

    connect(m_controller, &RunController::runCreated, this, [this](qint64 id) {
        refreshHeader();
        emit runCreated(id);
    });
    connect(m_controller, &RunController::stepStateChanged, this, &RunView::onStepState);
    // Progress comes after every batch and samples every 500 ms: the widgets take them a few times a second,
    // and the charts in frames of their own, so no single repaint grows long (the event loop stays live).
    connect(m_controller, &RunController::progress, this, [this](const run::Progress& p) {
        m_pendingProgress = p;
        m_chartProgress.append(qMakePair(QDateTime::currentDateTimeUtc(), p));
        if (!m_frame->isActive())
            m_frame->start();
    });
    connect(m_controller, &RunController::waitingForLock, this,
            [this](int index, const QVector<run::BlockingSession>& blockers, int attempt) {
                m_blockers->setWaiting(index, m_controller->plan().steps.value(index).title, blockers, attempt);
            });
    connect(m_controller, &RunController::sampled, this, [this](const pg::MonitorSample& sample) {
        m_chartSamples.append(sample);
        if (!m_frame->isActive())
            m_frame->start();
    });
    m_frame->setInterval(125);
    connect(m_frame, &QTimer::timeout, this, [this] {
        ++m_frameTick;
        if (m_frameTick % 2 == 0)
            flushProgress();
        else if (m_frameTick % 4 == 1)
            flushCharts();
        if (!m_pendingProgress && m_chartProgress.isEmpty() && m_chartSamples.isEmpty() && m_chartMarks.isEmpty()
            && !m_controller->isRunning())
            m_frame->stop();
    });
    connect(m_controller, &RunController::monitorFailed, this, [this](const QString& message) {
        showBanner(QStringLiteral("The monitor lost its connection: %1. Replica lag and lock waits are not watched until "
                                  "it reconnects.").arg(message),
                   QStringLiteral("warn"));
    });
    connect(m_controller, &RunController::finished, this, &RunView::onFinished);
    connect(m_controller, &RunController::startFailed, this, [this](const QString& message) {
        m_controls->setMode(RunControls::Mode::Finished);
        setRunState(m_controller->runId() > 0 ? QStringLiteral("stopped") : QStringLiteral("idle"));
        showBanner(QStringLiteral("The run did not start: %1").arg(message), QStringLiteral("error"));
        refreshStart();
        refreshRollback();
    });
    connect(m_controller, &RunController::switchVerified, this, &RunView::onVerified);
    connect(m_gateButton, &QPushButton::clicked, this, [this] {
        if (m_state == QLatin1String("at-switch-gate"))
            openSwitchGate();
        else
            continueThroughContract();
    });
}

void RunView::setJournalPath(const QString& path)
{
    m_controller->setJournalPath(path);
    refreshStart();
}

void RunView::setConnection(const QString& conninfo, const QString& password)
{
    QString error;
    const QString full = password.isEmpty() ? conninfo : conninfoForConnect(conninfo, password, &error);
    m_controller->setConnection(full.isEmpty() ? conninfo : full);
    if (!error.isEmpty())
        showBanner(QStringLiteral("The connection string does not parse: %1").arg(error), QStringLiteral("error"));
    refreshStart();
}

void RunView::setOptions(const run::RunOptions& options, double maxLagSeconds)
{
    m_controller->setOptions(options, maxLagSeconds);
    m_controls->setThrottle(options.targetBatchMs, options.maxRowsPerSecond);
    m_charts->setTargetBatchMs(options.targetBatchMs);
}

void RunView::setPlan(const Plan& plan)
{
    m_controller->setPlan(plan);
    m_steps->setPlan(plan);
    m_steps->setRunUntil(Phase::Constrain);
    m_backfillIndex = -1;
    for (int i = 0; i < plan.steps.size(); ++i)
        if (plan.steps[i].backfill)
            m_backfillIndex = i;
    m_progress->setIdle(plan.steps.isEmpty() ? QStringLiteral("Nothing to run yet.")
                        : m_backfillIndex < 0 ? QStringLiteral("This plan has no backfill.")
                                              : QStringLiteral("The backfill has not started yet."));
    m_charts->clear();
    m_blockers->clear();
    setRunState(QStringLiteral("idle"));
    showBanner(statusText(QStringLiteral("idle")), QStringLiteral("info"));
    refreshHeader();
    refreshStart();
    refreshRollback();
}

bool RunView::openRun(qint64 runId)
{
    QString error;
    if (!m_controller->attachRun(runId, &error)) {
        showBanner(QStringLiteral("Could not open run %1: %2").arg(runId).arg(error), QStringLiteral("error"));
        return false;
    }
    const Plan plan = m_controller->plan();
    m_steps->setPlan(plan);
    m_steps->setRunUntil(m_controller->untilPhase());
    m_backfillIndex = -1;
    for (int i = 0; i < plan.steps.size(); ++i)
        if (plan.steps[i].backfill)
            m_backfillIndex = i;
    m_progress->setIdle(QStringLiteral("Progress shows once the run goes on."));
    loadStepsFromJournal();
    const auto state = m_controller->runState();
    const QString name = state ? store::runStateName(*state) : QStringLiteral("idle");
    if (state == store::RunState::Done && m_controller->untilPhase() == Phase::Constrain)
        showGate();
    else if (state == store::RunState::Paused || state == store::RunState::Running || state == store::RunState::Interrupted)
        setRunState(QStringLiteral("stopped"));   // not ours to be running: it was cut off or aborted
    else
        setRunState(name);
    refreshHeader();
    refreshStart();
    refreshRollback();
    return true;
}

qint64 RunView::runId() const { return m_controller->runId(); }

void RunView::showPlanToRun(const Plan& plan)
{
    if (runId() <= 0 && m_state == QLatin1String("idle"))
        setPlan(plan);
}

void RunView::clearPlanToRun()
{
    if (runId() <= 0 && m_state == QLatin1String("idle"))
        setPlan(Plan{});
}

QString RunView::installedText() const
{
    return run::leftInstalledSentence(m_controller->plan(), m_controller->journalSteps());
}
SwitchGateDialog* RunView::gateDialog() const { return m_gateDialog.data(); }
RollbackDialog* RunView::rollbackDialog() const { return m_rollbackDialog.data(); }

QString RunView::bannerText() const { return m_status->currentWidget() == m_banner ? m_banner->text() : QString(); }

void RunView::loadStepsFromJournal()
{
    const QVector<store::StepRecord> records = m_controller->journalSteps();
    for (const store::StepRecord& r : records)
        m_steps->setState(r.index, store::stepStateName(r.state), r.errorMessage, r.startedAt, r.endedAt);
}

void RunView::start()
{
    QString error;
    if (!m_controller->start(&error)) {
        showBanner(QStringLiteral("The run did not start: %1").arg(error), QStringLiteral("error"));
        return;
    }
    m_steps->setRunUntil(m_controller->untilPhase());
    m_controls->setMode(RunControls::Mode::Running);
    setRunState(QStringLiteral("running"));
    refreshHeader();
    refreshStart();
    refreshRollback();
}

void RunView::pause()
{
    if (!m_controller->isRunning())
        return;
    m_controller->pause();
    m_controls->setMode(RunControls::Mode::Paused);
    setRunState(QStringLiteral("paused"));
}

void RunView::resume()
{
    if (!m_controller->isRunning())
        return;
    m_controller->resume();
    m_controls->setMode(RunControls::Mode::Running);
    setRunState(QStringLiteral("running"));
}

void RunView::abort()
{
    if (!m_controller->isRunning() || !confirmAbort(this, runSummary()))
        return;
    abortNow(QStringLiteral("aborted in the window by %1").arg(operatorName()));
}

void RunView::abortNow(const QString& why)
{
    if (!m_controller->isRunning())
        return;
    m_controller->resume();   // a paused runner must wake up to see the abort
    m_controller->abort(why);
    showBanner(QStringLiteral("Aborting: the running statement is being cancelled…"), QStringLiteral("warn"));
}

void RunView::stopAtSafePoint(const QString& why)
{
    if (!m_controller->isRunning())
        return;
    m_controller->stopAtSafePoint(why);
    showBanner(QStringLiteral("Stopping at the next safe point: the running statement finishes first…"), QStringLiteral("warn"));
}

bool RunView::isRunActive() const { return m_controller->isRunning(); }

QString RunView::runSummary() const
{
    const Plan& plan = m_controller->plan();
    QString where;
    for (int i = 0; i < plan.steps.size(); ++i) {
        const QString state = m_steps->state(i);
        if (state != QLatin1String("done") && state != QLatin1String("pending") && !state.isEmpty()) {
            where = QStringLiteral(" (step %1 of %2: %3)").arg(i + 1).arg(plan.steps.size()).arg(plan.steps[i].title);
            break;
        }
    }
    return QStringLiteral("Run %1 on %2%3").arg(m_controller->runId()).arg(plan.table, where);
}

void RunView::onStepState(int index, const QString& state, const QString& message)
{
    const QString before = m_steps->state(index);
    // A retry after lock_timeout is reported as "running (attempt N)": to the user the step is still
    // waiting for the same lock until the attempt gets it (then "done" follows).
    if (state == QLatin1String("running") && before == QLatin1String("waiting-for-lock")
        && message.startsWith(QLatin1String("attempt"))) {
        m_steps->setState(index, before, QStringLiteral("retrying: %1").arg(message));
        return;
    }
    m_steps->setState(index, state, message);
    const Step step = m_controller->plan().steps.value(index);
    // A step boundary on the charts' time axes (a rollback is marked once, where it starts).
    if (state == QLatin1String("running") && before == QLatin1String("pending") && !m_controller->isRollingBack())
        queueStepMark(step.title);
    if (state != QLatin1String("waiting-for-lock") && index == m_blockers->stepIndex())
        m_blockers->clear();
    if (index == m_backfillIndex && state == QLatin1String("done")) {
        flushProgress();
        m_progress->setFinished();
    }
    if (m_controller->isRunning() && !m_controller->isRollingBack() && m_state != QLatin1String("paused")) {
        if (state == QLatin1String("waiting-for-lock"))
            setRunState(QStringLiteral("waiting-for-lock"));
        else if (state == QLatin1String("throttled"))
            setRunState(QStringLiteral("throttled"));
        else if (state == QLatin1String("running") || state == QLatin1String("done"))
            setRunState(QStringLiteral("running"));
    }
}

void RunView::flushProgress()
{
    if (!m_pendingProgress)
        return;
    m_progress->setProgress(*m_pendingProgress);
    m_controls->setPaceNote(m_pendingProgress->pace.isEmpty()
                                ? QString()
                                : tr("now gentle: %1-row batches").arg(groupedNumber(m_pendingProgress->batchRows)));
    m_pendingProgress.reset();
    // The progress view holds a throttle reason across the rate cap's short pauses: follow it, not each batch.
    if (m_state == QLatin1String("running") || m_state == QLatin1String("throttled"))
        setRunState(m_progress->throttleText().isEmpty() ? QStringLiteral("running") : QStringLiteral("throttled"));
}

void RunView::queueStepMark(const QString& label)
{
    m_chartMarks.append(qMakePair(QDateTime::currentDateTimeUtc(), label));
    if (!m_frame->isActive())
        m_frame->start();
}

void RunView::flushCharts()
{
    for (const auto& mark : std::as_const(m_chartMarks))
        m_charts->markStep(mark.first, mark.second);
    m_chartMarks.clear();
    for (const pg::MonitorSample& sample : std::as_const(m_chartSamples))
        m_charts->addSample(sample);
    for (const auto& p : std::as_const(m_chartProgress))
        m_charts->addProgress(p.first, p.second);
    m_chartSamples.clear();
    m_chartProgress.clear();
}

void RunView::onFinished(const QString& outcome, const QString& message)
{
    flushProgress();
    flushCharts();
    m_blockers->clear();
    m_controls->setMode(RunControls::Mode::Finished);
    if (outcome == QLatin1String("done")) {
        if (m_controller->untilPhase() == Phase::Constrain) {
            showGate();
        } else {
            const bool contractLeft = m_controller->untilPhase() == Phase::Switch
                && std::any_of(m_controller->plan().steps.cbegin(), m_controller->plan().steps.cend(),
                               [](const Step& s) { return s.phase == Phase::Contract; });
            setRunState(QStringLiteral("done"));
            showBanner(contractLeft ? QStringLiteral("The switch is done: the application uses the new column, and a "
                                                     "rollback is still possible.")
                                    : QStringLiteral("The run is complete: %1.").arg(message),
                       QStringLiteral("ok"));
            if (contractLeft) {
                QStringList titles;
                for (const Step& s : m_controller->plan().steps)
                    if (s.phase == Phase::Contract)
                        titles << s.title;
                m_gateText->setText(QStringLiteral("<b>The switch is done</b>: the application uses %1, and a rollback is "
                                                   "still possible. <b>Next: the contract</b> — %2. It is the point of no "
                                                   "return: after it no rollback is possible.")
                                        .arg(m_controller->plan().change.column.toHtmlEscaped(),
                                             titles.join(QStringLiteral("; ")).toHtmlEscaped()));
                m_gateButton->setText(QStringLiteral("Continue through contract…"));
                m_status->setCurrentWidget(m_gate);
            }
        }
    } else if (outcome == QLatin1String("paused")) {
        setRunState(QStringLiteral("stopped"));
        m_progress->setHalted(QStringLiteral("Stopped"));
        showBanner(QStringLiteral("Stopped: %1. %2 \"Resume run\" continues where it stopped; \"Roll back…\" removes it all.")
                       .arg(message, installedText()),
                   QStringLiteral("warn"));
    } else if (outcome == QLatin1String("refused")) {
        // Another operator's run holds the table (its claim on the server): nothing of this one ran.
        setRunState(m_controller->runId() > 0 ? QStringLiteral("stopped") : QStringLiteral("idle"));
        showBanner(QStringLiteral("Not started: %1.").arg(message), QStringLiteral("warn"));
    } else if (outcome == QLatin1String("rolled-back")) {
        setRunState(QStringLiteral("rolled-back"));
        m_steps->markNotRun(QStringLiteral("never ran"));
        m_progress->setIdle(QStringLiteral("Rolled back: the table is as it was before the run."));
        showBanner(QStringLiteral("Rolled back: %1. The table is as it was before the run.").arg(message), QStringLiteral("ok"));
    } else {
        setRunState(QStringLiteral("failed"));
        m_progress->setHalted(QStringLiteral("Failed"));
        showBanner(QStringLiteral("The run failed: %1. %2 Two ways out: fix the cause and press \"Resume run\" (it "
                                  "continues from the failed step), or \"Roll back…\" (it removes everything above).")
                       .arg(message, installedText()),
                   QStringLiteral("error"));
    }
    refreshStart();
    refreshRollback();
    emit runFinished(outcome, message);
}

} // namespace lockstep::ui
