// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/history/history_view.h"

#include "core/run/run_ownership.h"

#include "core/pg/server_key.h"
#include "core/plan/plan_render.h"
#include "core/store/journal.h"
#include "core/store/run_history.h"
#include "ui/history/history_format.h"
#include "ui/common/legible_item_delegate.h"
#include "ui/common/palette_tools.h"
#include "ui/charts/run_charts.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace lockstep::ui {

namespace {

constexpr int kRunIdRole = Qt::UserRole + 1;

enum RunColumn { RunColId, RunColTable, RunColState, RunColStarted, RunColTook, RunColServer, RunColCount };
enum StepColumn { StepColIndex, StepColTitle, StepColPhase, StepColState, StepColStarted, StepColTook,
                  StepColTries, StepColError, StepColCount };

} // namespace

HistoryView::HistoryView(QWidget* parent) : QWidget(parent)
{
    m_runs = new QTreeWidget;
    m_runs->setObjectName(QStringLiteral("historyRuns"));
    m_runs->setColumnCount(RunColCount);
    m_runs->setHeaderLabels({tr("Run"), tr("Table"), tr("State"), tr("Started"), tr("Took"), tr("Server")});
    m_runs->setRootIsDecorated(false);
    m_runs->setUniformRowHeights(true);
    m_runs->setAlternatingRowColors(true);
    m_runs->setItemDelegate(new LegibleItemDelegate(m_runs));   // state colours readable on any palette
    // The server last: long, and the state must stay in view in the narrow list.
    m_runs->header()->setStretchLastSection(true);
    for (int c : {RunColId, RunColTable, RunColState, RunColStarted, RunColTook})
        m_runs->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);

    m_refresh = new QPushButton(tr("Refresh"));
    m_refresh->setToolTip(tr("Read the journal again"));
    auto* runsTitle = new QLabel(tr("<b>Past runs</b>"));
    auto* runsHeader = new QHBoxLayout;
    runsHeader->addWidget(runsTitle);
    runsHeader->addStretch();
    runsHeader->addWidget(m_refresh);
    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addLayout(runsHeader);
    leftLayout->addWidget(m_runs);

    m_title = new QLabel;
    m_title->setObjectName(QStringLiteral("historyTitle"));
    m_title->setTextFormat(Qt::RichText);
    m_title->setWordWrap(true);
    followPalette(m_title, [this] {
        if (m_titleRun)
            m_title->setText(runTitleHtml(*m_titleRun, quietText(m_title->palette())));
    });
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("historyStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_resume = new QPushButton(tr("Resume"));
    m_resume->setObjectName(QStringLiteral("resumeButton"));
    m_rollback = new QPushButton(tr("Rollback"));
    m_rollback->setObjectName(QStringLiteral("rollbackButton"));
    m_resume->setEnabled(false);
    m_rollback->setEnabled(false);
    auto* actions = new QHBoxLayout;
    actions->addWidget(m_status, 1);
    actions->addWidget(m_resume, 0, Qt::AlignTop);
    actions->addWidget(m_rollback, 0, Qt::AlignTop);

    m_steps = new QTreeWidget;
    m_steps->setObjectName(QStringLiteral("historySteps"));
    m_steps->setColumnCount(StepColCount);
    m_steps->setHeaderLabels({tr("#"), tr("Step"), tr("Phase"), tr("State"), tr("Started"), tr("Took"),
                              tr("Tries"), tr("Error")});
    m_steps->setRootIsDecorated(false);
    m_steps->setItemDelegate(new LegibleItemDelegate(m_steps));
    m_steps->setUniformRowHeights(true);
    m_steps->setSelectionMode(QAbstractItemView::NoSelection);
    m_steps->header()->setStretchLastSection(true);
    for (int c : {StepColIndex, StepColPhase, StepColState, StepColStarted, StepColTook, StepColTries})
        m_steps->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    m_steps->header()->setSectionResizeMode(StepColTitle, QHeaderView::Interactive);
    m_steps->setColumnWidth(StepColTitle, 300);

    m_charts = new RunCharts;
    m_charts->setLive(false);

    auto* right = new QWidget;
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_title);
    rightLayout->addLayout(actions);
    rightLayout->addWidget(m_steps);
    rightLayout->addWidget(m_charts, 1);

    auto* split = new QSplitter(Qt::Horizontal);
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    left->setMinimumWidth(300);
    split->setSizes({360, 1000});
    split->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(split);

    connect(m_refresh, &QPushButton::clicked, this, &HistoryView::reload);
    connect(m_runs, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        showRun(item ? item->data(RunColId, kRunIdRole).toLongLong() : 0);
    });
    connect(m_resume, &QPushButton::clicked, this, [this] {
        if (m_shown > 0)
            emit resumeRequested(m_shown);
    });
    connect(m_rollback, &QPushButton::clicked, this, [this] {
        if (m_shown > 0)
            emit rollbackRequested(m_shown);
    });
    showMessage(tr("No journal chosen yet."));
}

HistoryView::~HistoryView() = default;

void HistoryView::setJournalPath(const QString& path)
{
    m_path = path;
    m_shown = 0;
    reload();
}

void HistoryView::setCurrentServer(const QString& serverKey)
{
    if (serverKey == m_currentServer)
        return;
    m_currentServer = serverKey;
    m_shown = 0;   // the buttons depend on it
    reload();
}

void HistoryView::reload()
{
    const qint64 keep = selectedRunId();
    const QSignalBlocker blocker(m_runs);
    m_runs->clear();
    if (m_path.isEmpty() || !QFileInfo::exists(m_path)) {
        showMessage(m_path.isEmpty() ? tr("No journal chosen yet.")
                                     : tr("No runs yet: the journal %1 does not exist. Runs appear here once one "
                                          "has started.").arg(m_path));
        return;
    }
    QVector<store::RunRecord> runs;
    try {
        store::Journal journal(m_path);
        runs = journal.runs();
    } catch (const store::JournalError& e) {
        showMessage(tr("The journal %1 could not be read: %2").arg(m_path, QString::fromStdString(e.what())));
        return;
    }
    QTreeWidgetItem* select = nullptr;
    for (const store::RunRecord& run : std::as_const(runs)) {
        // The list only asks whether the owner process exists; the detail also checks it is not a recycled pid.
        const store::RunLiveness liveness = store::runLiveness(run, QDateTime());
        auto* item = new QTreeWidgetItem(m_runs);
        item->setData(RunColId, kRunIdRole, run.id);
        item->setText(RunColId, QString::number(run.id));
        item->setTextAlignment(RunColId, Qt::AlignRight | Qt::AlignVCenter);
        const QString table = run.table.isEmpty() ? run.plan.table : run.table;
        item->setText(RunColTable, tableText(table));
        item->setToolTip(RunColTable, QStringLiteral("%1: %2").arg(table, describeChange(run.plan)));
        const bool parked = run::parkedAtSwitchGate(run);   // never listed as "done": it waits for the operator
        const QString server = pg::serverKey(run.conninfo);
        const bool elsewhere = !m_currentServer.isEmpty() && server != m_currentServer;
        item->setText(RunColServer, server);
        item->setToolTip(RunColServer, elsewhere ? tr("%1 (this window is connected to %2)").arg(run.server, m_currentServer)
                                                 : run.server);
        if (elsewhere)
            item->setForeground(RunColServer, quietText(m_runs->palette()));
        item->setText(RunColState, parked ? tr("at the switch gate") : runStateText(run.state, liveness));
        item->setForeground(RunColState, parked ? runStateColour(store::RunState::Paused, liveness)
                                                : runStateColour(run.state, liveness));
        item->setText(RunColStarted, shortTimeText(run.startedAt));
        item->setToolTip(RunColStarted, timeText(run.startedAt));
        item->setText(RunColTook, run.endedAt.isValid()
                                      ? formatDuration(run.startedAt.msecsTo(run.endedAt) / 1000.0)
                                      : tr("not ended"));
        if (run.id == keep)
            select = item;
    }
    if (runs.isEmpty()) {
        showMessage(tr("No runs in the journal yet. Start one from the Run tab (or `lockstep run`)."));
        return;
    }
    if (!select)
        select = m_runs->topLevelItem(0);
    m_runs->setCurrentItem(select);
    m_shown = 0;   // the selected run may have moved on since: read it again
    showRun(select->data(RunColId, kRunIdRole).toLongLong());
}

int HistoryView::runCount() const
{
    return m_runs->topLevelItemCount();
}

qint64 HistoryView::selectedRunId() const
{
    const QTreeWidgetItem* item = m_runs->currentItem();
    return item ? item->data(RunColId, kRunIdRole).toLongLong() : 0;
}

bool HistoryView::selectRun(qint64 runId)
{
    for (int i = 0; i < m_runs->topLevelItemCount(); ++i) {
        QTreeWidgetItem* item = m_runs->topLevelItem(i);
        if (item->data(RunColId, kRunIdRole).toLongLong() == runId) {
            m_runs->setCurrentItem(item);
            return true;
        }
    }
    return false;
}

bool HistoryView::canResume() const
{
    return m_resume->isEnabled();
}

bool HistoryView::canRollback() const
{
    return m_rollback->isEnabled();
}

void HistoryView::fitStepsHeight()
{
    // Every step visible up to ten (a plan has 3 to 12), the charts take the rest.
    const int rows = std::clamp(m_steps->topLevelItemCount(), 1, 10);
    const int rowHeight = m_steps->topLevelItemCount() > 0 ? m_steps->visualItemRect(m_steps->topLevelItem(0)).height() : 0;
    const int height = m_steps->header()->sizeHint().height() + rows * std::max(rowHeight, fontMetrics().height() + 2)
                       + 2 * m_steps->frameWidth() + 2;
    m_steps->setFixedHeight(height);
}

void HistoryView::showMessage(const QString& text)
{
    m_shown = 0;
    m_titleRun.reset();
    m_title->setText(tr("<b>History</b>"));
    m_status->setText(text);
    m_steps->clear();
    m_charts->clear();
    m_resume->setEnabled(false);
    m_rollback->setEnabled(false);
    m_resume->setToolTip({});
    m_rollback->setToolTip({});
}

void HistoryView::showRun(qint64 runId)
{
    if (runId == m_shown)
        return;
    if (runId <= 0) {
        showMessage(tr("Choose a run on the left."));
        return;
    }
    store::RunHistory h;
    try {
        const store::Journal journal(m_path);
        h = store::loadRunHistory(journal, runId);
    } catch (const store::JournalError& e) {
        showMessage(tr("Run %1 could not be read from the journal: %2").arg(runId).arg(QString::fromStdString(e.what())));
        return;
    }
    m_shown = runId;
    const store::RunLiveness liveness = store::runLiveness(h);

    m_titleRun = h.run;
    m_title->setText(runTitleHtml(h.run, quietText(m_title->palette())));
    m_status->setText(runStatusText(h, liveness));

    // A run parked at the switch gate is not over: it is opened at the gate (continue through the switch, or
    // roll back), never started again.
    const bool parked = run::parkedAtSwitchGate(h.run);
    const bool resumable = liveness == store::RunLiveness::CutOff || liveness == store::RunLiveness::Stopped;
    // Made on another server (or one that is gone): nothing to resume or roll back from this window.
    const QString server = pg::serverKey(h.run.conninfo);
    if ((resumable || parked) && server != m_currentServer) {
        const QString why = m_currentServer.isEmpty()
                                ? tr("Run %1 was made on %2: connect to it to resume or roll it back.").arg(runId).arg(server)
                                : tr("Run %1 was made on %2; this window is connected to %3. Connect to %2 to resume "
                                     "or roll it back (if that server is gone, there is nothing left to undo).")
                                      .arg(runId).arg(server, m_currentServer);
        QString state = parked ? tr("at the switch gate") : runStateText(h.run.state, liveness);
        state[0] = state[0].toUpper();
        m_status->setText(QStringLiteral("%1. %2").arg(state, why));
        m_resume->setText(parked ? tr("Open at the gate") : tr("Resume"));
        m_rollback->setText(tr("Rollback"));
        m_resume->setEnabled(false);
        m_rollback->setEnabled(false);
        m_resume->setToolTip(why);
        m_rollback->setToolTip(why);
    } else {
        showRunActions(h, liveness, parked, resumable);
    }
    showSteps(h);
}

void HistoryView::showRunActions(const store::RunHistory& h, store::RunLiveness liveness, bool parked, bool resumable)
{
    const qint64 runId = h.run.id;
    const QString rollbackBlocked = store::rollbackBlockedReason(h);
    const bool wasRollingBack = h.run.state == store::RunState::RollingBack;
    m_resume->setEnabled((resumable && !wasRollingBack) || parked);
    m_rollback->setEnabled((resumable || parked) && rollbackBlocked.isEmpty());
    m_resume->setText(parked ? tr("Open at the gate") : tr("Resume"));
    m_rollback->setText(wasRollingBack ? tr("Finish rollback") : tr("Rollback"));
    m_resume->setToolTip(parked ? tr("Every step before the switch is done: open run %1 in the Run tab to continue "
                                     "through the switch or roll it back").arg(runId)
                         : !resumable ? actionBlockedReason(h, liveness)
                         : wasRollingBack ? tr("It was rolling back: finish the rollback instead")
                                          : tr("Continue run %1 from its last completed step and checkpoint").arg(runId));
    m_rollback->setToolTip(!resumable && !parked ? actionBlockedReason(h, liveness)
                           : !rollbackBlocked.isEmpty() ? tr("Cannot roll back: %1").arg(rollbackBlocked)
                                                        : tr("Undo the completed steps of run %1 in reverse order").arg(runId));
}

void HistoryView::showSteps(const store::RunHistory& h)
{
    m_steps->clear();
    for (const store::StepRecord& s : std::as_const(h.steps)) {
        auto* item = new QTreeWidgetItem(m_steps);
        const Step* step = s.index >= 0 && s.index < h.run.plan.steps.size() ? &h.run.plan.steps.at(s.index) : nullptr;
        item->setText(StepColIndex, QString::number(s.index + 1));
        item->setText(StepColTitle, step ? step->title : s.stepId);
        item->setToolTip(StepColTitle, step ? step->why : QString());
        item->setText(StepColPhase, step ? phaseName(step->phase) : QString());
        item->setText(StepColState, store::stepStateName(s.state));
        item->setForeground(StepColState, stepStateColour(s.state));
        item->setText(StepColStarted, timeText(s.startedAt));
        item->setText(StepColTook, stepDurationText(s, h));
        item->setText(StepColTries, s.attempts > 0 ? QString::number(s.attempts) : QString());
        const QString error = s.errorMessage.isEmpty() ? QString()
                              : s.errorSqlstate.isEmpty() ? s.errorMessage
                                                          : QStringLiteral("%1 (%2)").arg(s.errorMessage, s.errorSqlstate);
        item->setText(StepColError, error.simplified());
        item->setToolTip(StepColError, error);
    }

    fitStepsHeight();
    replayIntoCharts(h, m_charts);
}

} // namespace lockstep::ui
