// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/run/run_step_list.h"

#include "ui/common/legible_item_delegate.h"
#include "ui/common/palette_tools.h"
#include "ui/run/run_format.h"

#include <QHeaderView>
#include <QPainter>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <algorithm>

namespace lockstep::ui {

namespace {
enum Column { ColNumber, ColPhase, ColStep, ColState, ColElapsed, ColNote, ColumnCount };
}

RunStepList::RunStepList(QWidget* parent) : QWidget(parent), m_tree(new QTreeWidget(this)), m_clock(new QTimer(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tree);
    m_tree->setObjectName(QStringLiteral("runStepTree"));
    m_tree->setColumnCount(ColumnCount);
    m_tree->setHeaderLabels({QStringLiteral("#"), QStringLiteral("Phase"), QStringLiteral("Step"), QStringLiteral("State"),
                             QStringLiteral("Elapsed"), QStringLiteral("Note")});
    m_tree->setRootIsDecorated(false);
    m_tree->setUniformRowHeights(true);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->setAlternatingRowColors(true);
    m_tree->setItemDelegate(new LegibleItemDelegate(m_tree));   // state colours readable on any palette
    // The step's title takes what the others leave (elided, whole in its tooltip): state and elapsed stay in
    // view in the narrow column beside the graphs.
    m_tree->header()->setStretchLastSection(false);
    for (int c : {ColNumber, ColPhase, ColState, ColElapsed})
        m_tree->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    m_tree->header()->setSectionResizeMode(ColStep, QHeaderView::Stretch);
    // A note can be long ("runs after you confirm the switch"): a fixed share, elided, whole in its tooltip.
    m_tree->header()->setSectionResizeMode(ColNote, QHeaderView::Interactive);
    m_tree->setColumnWidth(ColNote, 130);
    // Elapsed times of running steps move once a second; nothing else needs a clock.
    m_clock->setInterval(1000);
    connect(m_clock, &QTimer::timeout, this, &RunStepList::tick);
}

void RunStepList::setPlan(const Plan& plan)
{
    m_plan = plan;
    m_rows = QVector<Row>(plan.steps.size());
    m_tree->clear();
    for (int i = 0; i < plan.steps.size(); ++i) {
        const Step& s = plan.steps[i];
        auto* item = new QTreeWidgetItem(m_tree);
        item->setText(ColNumber, QString::number(i + 1));
        item->setText(ColPhase, phaseName(s.phase));
        QString title = s.title;
        if (!s.reversible)
            title += QStringLiteral("  — point of no return");
        item->setText(ColStep, title);
        item->setToolTip(ColStep, s.why);
        if (!s.reversible) {
            QFont f = item->font(ColStep);
            f.setBold(true);
            item->setFont(ColStep, f);
            item->setToolTip(ColStep, s.why + QStringLiteral("\n\nNo rollback is possible once this step has run."));
        }
        refreshRow(i);
    }
    // At least four steps stay in view whatever the window's height (more scroll).
    const int rowHeight = qMax(m_tree->sizeHintForRow(0), fontMetrics().height() + 4);
    setMinimumHeight(m_tree->header()->sizeHint().height() + 4 * rowHeight + 2 * m_tree->frameWidth() + 4);
}

void RunStepList::setRunUntil(Phase phase)
{
    for (int i = 0; i < m_rows.size(); ++i) {
        m_rows[i].afterGate = int(m_plan.steps[i].phase) > int(phase);
        refreshRow(i);
    }
}

void RunStepList::setState(int index, const QString& state, const QString& message, const QDateTime& startedAt,
                           const QDateTime& endedAt)
{
    if (index < 0 || index >= m_rows.size())
        return;
    Row& r = m_rows[index];
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (startedAt.isValid())
        r.startedAt = startedAt;
    else if (!r.startedAt.isValid() && state != QLatin1String("pending"))
        r.startedAt = now;
    if (endedAt.isValid())
        r.endedAt = endedAt;
    else if (isEndedStepState(state) && !isEndedStepState(r.state))
        r.endedAt = now;
    else if (!isEndedStepState(state) && state != QLatin1String("pending"))
        r.endedAt = {};   // running again (resumed, retried)
    else if (state == QLatin1String("pending") && r.startedAt.isValid() && !r.endedAt.isValid())
        r.endedAt = now;   // aborted: its clock stops until a resume
    r.state = state;
    r.message = message;
    refreshRow(index);
    const bool anyRunning = std::any_of(m_rows.cbegin(), m_rows.cend(), [](const Row& row) {
        return row.startedAt.isValid() && !row.endedAt.isValid();
    });
    if (anyRunning && !m_clock->isActive())
        m_clock->start();
    else if (!anyRunning)
        m_clock->stop();
}

void RunStepList::resetStates()
{
    for (int i = 0; i < m_rows.size(); ++i) {
        const bool afterGate = m_rows[i].afterGate;
        m_rows[i] = Row{};
        m_rows[i].afterGate = afterGate;
        refreshRow(i);
    }
    m_clock->stop();
}

void RunStepList::markNotRun(const QString& note)
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].state != QLatin1String("pending") || m_rows[i].startedAt.isValid())
            continue;
        m_rows[i].afterGate = false;
        m_rows[i].message = note;
        refreshRow(i);
    }
}

QSize RunStepList::sizeHint() const
{
    const int rows = qBound(4, int(m_rows.size()), 12);
    const int rowHeight = qMax(m_tree->sizeHintForRow(0), fontMetrics().height() + 4);
    const int height = m_tree->header()->sizeHint().height() + rows * rowHeight + 2 * m_tree->frameWidth() + 4;
    return QSize(QWidget::sizeHint().width(), height);
}

QString RunStepList::state(int index) const { return index >= 0 && index < m_rows.size() ? m_rows[index].state : QString(); }
QString RunStepList::message(int index) const { return index >= 0 && index < m_rows.size() ? m_rows[index].message : QString(); }

double RunStepList::elapsedSeconds(int index) const
{
    if (index < 0 || index >= m_rows.size() || !m_rows[index].startedAt.isValid())
        return -1;
    const Row& r = m_rows[index];
    const QDateTime end = r.endedAt.isValid() ? r.endedAt : QDateTime::currentDateTimeUtc();
    return qMax<qint64>(0, r.startedAt.msecsTo(end)) / 1000.0;
}

QString RunStepList::elapsedText(int index) const
{
    const double s = elapsedSeconds(index);
    return s < 0 ? QStringLiteral("—") : durationText(s);
}

void RunStepList::refreshRow(int index)
{
    QTreeWidgetItem* item = m_tree->topLevelItem(index);
    if (!item)
        return;
    const Row& r = m_rows[index];
    const bool waitingBehindGate = r.afterGate && r.state == QLatin1String("pending");
    item->setText(ColState, waitingBehindGate ? QStringLiteral("after the gate") : stepStateWord(r.state));
    item->setForeground(ColState, stepStateColor(waitingBehindGate ? QStringLiteral("pending") : r.state));
    item->setIcon(ColState, QIcon());
    // Drawn at the screen's pixel ratio: a 10 px dot scaled up on a high-DPI screen is a blur.
    const qreal ratio = m_tree->devicePixelRatioF();
    QPixmap dot(QSize(10, 10) * ratio);
    dot.setDevicePixelRatio(ratio);
    dot.fill(Qt::transparent);
    {
        QPainter p(&dot);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(Qt::NoPen);
        const QColor state = stepStateColor(waitingBehindGate ? QStringLiteral("pending") : r.state);
        p.setBrush(legibleOn(state, m_tree->palette().color(QPalette::Base), 3));
        p.drawEllipse(QRectF(1, 1, 8, 8));
    }
    item->setIcon(ColState, QIcon(dot));
    item->setText(ColElapsed, elapsedText(index));
    QString note = r.message;
    if (note.isEmpty() && waitingBehindGate)
        note = m_plan.steps[index].phase == Phase::Contract
                   ? QStringLiteral("runs only after the switch, when you continue through the contract")
                   : QStringLiteral("runs after you confirm the switch gate");
    item->setText(ColNote, note.simplified());
    item->setToolTip(ColNote, r.message);
    // Steps behind the gate are quieter: the view's text half-way to its background (LegibleItemDelegate
    // keeps it readable); the others have no colour of their own, so they follow the palette.
    for (int c : {ColNumber, ColPhase, ColStep, ColElapsed, ColNote}) {
        if (waitingBehindGate)
            item->setForeground(c, quietText(m_tree->palette()));
        else
            item->setData(c, Qt::ForegroundRole, QVariant());
    }
}

void RunStepList::tick()
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].startedAt.isValid() && !m_rows[i].endedAt.isValid())
            if (QTreeWidgetItem* item = m_tree->topLevelItem(i))
                item->setText(ColElapsed, elapsedText(i));
    }
}

} // namespace lockstep::ui
