// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/plan/plan_view.h"

#include "core/plan/lock_risk.h"
#include "core/plan/plan_render.h"
#include "core/plan/planner.h"
#include "ui/common/lock_badge.h"
#include "ui/common/palette_tools.h"
#include "ui/plan/plan_view_summary.h"
#include "ui/plan/rehearsal_bar.h"
#include "ui/plan/step_card.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <algorithm>

namespace lockstep::ui {

namespace {
QString phaseDescription(Phase phase)
{
    switch (phase) {
    case Phase::Expand: return QStringLiteral("Add the column and keep it in step with writes; brief locks only");
    case Phase::Backfill: return QStringLiteral("Fill the existing rows in small batches while traffic continues");
    case Phase::Constrain: return QStringLiteral("Add constraints and indexes without long locks");
    case Phase::Switch: return QStringLiteral("Your application starts using the new column");
    case Phase::Contract: return QStringLiteral("Remove what only the old shape needed");
    }
    return {};
}

QWidget* pointOfNoReturnDivider(const Step& step, int number, QWidget* parent)
{
    auto* divider = new QWidget(parent);
    divider->setObjectName(QStringLiteral("pointOfNoReturn"));
    QVector<QFrame*> lines;
    auto line = [&] {
        auto* l = new QFrame(divider);
        l->setFrameShape(QFrame::HLine);
        l->setFixedHeight(3);
        lines << l;
        return l;
    };
    auto* label = new QLabel(QObject::tr("POINT OF NO RETURN — step %1 and after cannot be rolled back").arg(number), divider);
    label->setToolTip(QObject::tr("“%1”: %2\nUntil here every step has rollback SQL; from here on the change is final. "
                                  "The rollback button is disabled past this point.")
                          .arg(step.title, step.why));
    auto* row = new QHBoxLayout(divider);
    row->setContentsMargins(0, 6, 0, 6);
    row->addWidget(line(), 1);
    row->addWidget(label);
    row->addWidget(line(), 1);
    // Red that reads on the window, light or dark.
    followPalette(divider, [divider, lines, label] {
        const QString red = legibleOn(dangerColor(), divider->palette().color(QPalette::Window)).name();
        for (QFrame* l : lines)
            l->setStyleSheet(QStringLiteral("QFrame { background: %1; border: none; }").arg(red));
        label->setStyleSheet(QStringLiteral("QLabel { color: %1; font-weight: bold; }").arg(red));
    });
    return divider;
}
} // namespace

PlanView::PlanView(QWidget* parent) : QWidget(parent)
{
    m_pages = new QStackedWidget(this);

    auto* emptyPage = new QWidget(m_pages);
    m_empty = new QLabel(tr("Compose a change to see its plan"), emptyPage);
    QFont big = m_empty->font();
    big.setPointSizeF(big.pointSizeF() * 1.2);
    m_empty->setFont(big);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    m_emptyWhy = new QLabel(emptyPage);
    m_emptyWhy->setAlignment(Qt::AlignCenter);
    m_emptyWhy->setWordWrap(true);
    m_emptyWhy->setForegroundRole(QPalette::PlaceholderText);
    m_emptyWhy->setText(emptyHint());
    auto* emptyLayout = new QVBoxLayout(emptyPage);
    emptyLayout->addStretch(1);
    emptyLayout->addWidget(m_empty);
    emptyLayout->addWidget(m_emptyWhy);
    emptyLayout->addStretch(1);
    m_pages->addWidget(emptyPage);

    auto* page = new QWidget(m_pages);
    m_headline = new QLabel(page);
    m_headline->setTextFormat(Qt::RichText);
    m_headline->setWordWrap(true);
    m_headline->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_headline->setObjectName(QStringLiteral("planHeadline"));
    m_headline->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);

    m_previewButton = new QPushButton(tr("Try the locks on the server"), page);
    m_previewButton->setToolTip(
        tr("Runs each step that can run in a transaction on the connected server, inside BEGIN … ROLLBACK with a short "
           "lock_timeout (0.5 s): the locks it really takes (pg_locks) and whether it rewrites the table (its relfilenode "
           "changes) appear beside the prediction on each step, a difference in red.\n"
           "Nothing is committed, but each step holds its real locks for an instant (ACCESS EXCLUSIVE included): avoid "
           "the busiest moments. Steps that cannot run in a transaction (CONCURRENTLY, the batched backfill) are not "
           "tried. Refused on a standby."));
    connect(m_previewButton, &QPushButton::clicked, this, &PlanView::requestPreview);

    m_previewStatus = new QLabel(page);
    m_previewStatus->setWordWrap(true);
    m_previewStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_previewStatus->hide();
    followPalette(this, [this] { applyPreviewColor(); });

    m_rehearsal = new RehearsalBar(page);
    connect(m_rehearsal, &RehearsalBar::requested, this, [this] {
        if (m_plan) {
            m_rehearsal->setRunning(true);
            emit rehearsalRequested(*m_plan);
        }
    });
    connect(m_rehearsal, &RehearsalBar::cancelRequested, this, &PlanView::rehearsalCancelRequested);

    auto* top = new QHBoxLayout;
    top->addWidget(m_headline, 1);
    top->addWidget(m_rehearsal->button(), 0, Qt::AlignTop);
    top->addWidget(m_previewButton, 0, Qt::AlignTop);

    // The risk lines and the timeline scroll together: on a 720-pixel screen the lines alone would
    // otherwise leave the steps no room.
    auto* content = new QWidget;
    m_contentLayout = new QVBoxLayout(content);
    m_contentLayout->setContentsMargins(0, 0, 8, 0);
    m_contentLayout->setSpacing(6);
    m_summary = new QLabel(content);
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setObjectName(QStringLiteral("planSummary"));
    m_summary->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_contentLayout->addWidget(m_summary);
    m_contentLayout->addStretch(1);

    m_scroll = new QScrollArea(page);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setWidget(content);

    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(8, 6, 8, 4);
    layout->setSpacing(4);
    layout->addLayout(top);
    layout->addWidget(m_previewStatus);
    layout->addWidget(m_rehearsal->status());
    layout->addWidget(m_scroll, 1);
    m_pages->addWidget(page);

    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(m_pages);
}

void PlanView::setPlan(const Plan& plan)
{
    if (m_plan && m_plan->toJson() == plan.toJson()) {
        updateSummary();
        m_pages->setCurrentIndex(1);
        return;
    }
    m_plan = plan;
    m_previewPending = false;
    m_previewButton->setEnabled(true);
    setPreviewStatus(QString());
    if (!m_rehearsal->isRunning())
        m_rehearsal->reset();
    rebuild();
    m_pages->setCurrentIndex(1);
    emit planChanged(*m_plan);
}

void PlanView::clearPlan(const QString& why)
{
    m_emptyWhy->setText(why.isEmpty() ? emptyHint() : why);
    m_pages->setCurrentIndex(0);
    if (!m_plan)
        return;
    m_plan.reset();
    m_previewPending = false;
    dropTimeline();
    emit planCleared();
}

void PlanView::setCatalog(const pg::CatalogSnapshot& snapshot)
{
    m_tables = snapshot.tables;
    m_standby = snapshot.server.inRecovery;
    if (m_plan)
        updateSummary();
}

const pg::TableStats* PlanView::tableStats() const
{
    if (!m_plan || m_plan->tableOid == 0)
        return nullptr;
    for (const pg::TableStats& t : m_tables)
        if (t.oid == m_plan->tableOid)
            return &t;
    return nullptr;
}

void PlanView::updateSummary()
{
    const pg::TableStats* stats = tableStats();
    const PlanRiskSummary summary = summarizePlanRisk(*m_plan, stats, PlannerOptions{}.lockTimeoutMs);
    m_headline->setText(summary.headlineHtml());
    m_summary->setText(summary.linesHtml());
    m_summary->setToolTip(tr("Against the table's traffic as last measured; F5 reads the catalog again"));
    m_summary->setStyleSheet(QStringLiteral("QLabel#planSummary { border-left: 4px solid %1; padding: 2px 0 2px 8px; }")
                                 .arg(lockColor(summary.impact).name()));
}

void PlanView::dropTimeline()
{
    m_cards.clear();
    m_phases.clear();
    m_noReturn = nullptr;
    delete m_timeline;
    m_timeline = nullptr;
}

void PlanView::rebuild()
{
    dropTimeline();
    updateSummary();

    const pg::TableStats* stats = tableStats();
    const qint64 bytes = stats ? stats->totalBytes : -1;
    const QString tableName = stats ? stats->qualifiedName() : m_plan->table;

    m_timeline = new QWidget;
    m_timeline->setObjectName(QStringLiteral("planTimeline"));
    auto* layout = new QVBoxLayout(m_timeline);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);

    QVBoxLayout* rail = nullptr;
    std::optional<Phase> current;
    int phaseNumber = 0;
    for (int i = 0; i < m_plan->steps.size(); ++i) {
        const Step& step = m_plan->steps[i];
        if (!current || *current != step.phase) {
            current = step.phase;
            ++phaseNumber;
            m_phases << phaseName(step.phase);
            int last = i;
            while (last + 1 < m_plan->steps.size() && m_plan->steps[last + 1].phase == step.phase)
                ++last;
            auto* header = new QLabel(m_timeline);
            header->setTextFormat(Qt::RichText);
            const QString title = tr("<span style=\"background-color:#4a5560; color:white; font-weight:bold;\">&nbsp;%1 · %2&nbsp;</span>"
                                     "&nbsp; %3 <span style=\"color:%4\">(%5)</span>")
                                      .arg(phaseNumber)
                                      .arg(phaseName(step.phase).toUpper(), phaseDescription(step.phase).toHtmlEscaped(),
                                           QStringLiteral("%QUIET%"),
                                           last == i ? tr("step %1").arg(i + 1) : tr("steps %1–%2").arg(i + 1).arg(last + 1));
            followPalette(header, [header, title] {
                header->setText(QString(title).replace(QLatin1String("%QUIET%"), quietText(header->palette()).name()));
            });
            header->setObjectName(QStringLiteral("phase_") + phaseName(step.phase));
            layout->addSpacing(phaseNumber == 1 ? 0 : 6);
            layout->addWidget(header);
            auto* railWidget = new QWidget(m_timeline);
            railWidget->setObjectName(QStringLiteral("phaseRail"));
            railWidget->setAttribute(Qt::WA_StyledBackground);
            railWidget->setStyleSheet(QStringLiteral("QWidget#phaseRail { border-left: 3px solid #8a96a3; margin-left: 12px; }"));
            rail = new QVBoxLayout(railWidget);
            rail->setContentsMargins(14, 2, 0, 2);
            rail->setSpacing(6);
            layout->addWidget(railWidget);
        }
        if (!step.reversible && !m_noReturn) {
            m_noReturn = pointOfNoReturnDivider(step, i + 1, m_timeline);
            rail->addWidget(m_noReturn);
        }
        auto* card = new StepCard(step, i + 1, bytes, tableName, m_timeline);
        rail->addWidget(card);
        m_cards << card;
    }
    m_contentLayout->insertWidget(1, m_timeline);   // under the risk lines, above the stretch
}

void PlanView::requestPreview()
{
    if (!m_plan) {
        setPreviewStatus(tr("Compose a change first: there is no plan to try."), dangerColor());
        return;
    }
    if (m_standby) {
        setPreviewStatus(tr("Not tried: this server is a standby (in recovery), where no step can take its locks. "
                            "Connect to the primary to try them."),
                         dangerColor());
        return;
    }
    m_previewPending = true;
    m_previewButton->setEnabled(false);
    for (StepCard* c : m_cards)
        c->clearObservation();
    setPreviewStatus(tr("Trying each step on the server inside BEGIN … ROLLBACK…"));
    emit lockPreviewRequested(*m_plan);
}

void PlanView::setObservations(const QVector<preview::StepObservation>& observations)
{
    if (!m_previewPending)
        return;   // the plan changed since the request: these results describe another plan
    m_previewPending = false;
    m_previewButton->setEnabled(true);
    int tried = 0, skipped = 0, mismatched = 0, failed = 0, needing = 0;
    QString needed;   // what the first step not tried for want of an earlier one needs
    for (StepCard* c : m_cards) {
        const auto it = std::find_if(observations.begin(), observations.end(),
                                     [c](const preview::StepObservation& o) { return o.stepId == c->stepId(); });
        if (it == observations.end()) {
            c->clearObservation();
            continue;
        }
        c->setObservation(*it);
        if (!it->needs.isEmpty()) {
            if (needing++ == 0)
                needed = it->needs;
        } else if (!it->error.isEmpty())
            ++failed;
        else if (!it->observed)
            ++skipped;
        else {
            ++tried;
            if (!it->matches)
                ++mismatched;
        }
    }
    QString text = tr("Tried %1 inside BEGIN … ROLLBACK on the server; nothing was committed.")
                       .arg(tried + failed == 1 ? tr("1 step") : tr("%1 steps").arg(tried + failed));
    if (skipped > 0)
        text += tr(" %1 not tried (they cannot run in a transaction).").arg(skipped == 1 ? tr("1 step was") : tr("%1 steps were").arg(skipped));
    if (needing > 0)
        text += tr(" %1 not tried: %2 %3, which could not be tried here.")
                    .arg(needing == 1 ? tr("1 step was") : tr("%1 steps were").arg(needing),
                         needing == 1 ? tr("it needs") : tr("they need"), needed);
    QColor color = okColor();
    if (mismatched > 0 || failed > 0) {
        color = dangerColor();
        if (mismatched > 0)
            text += tr(" %1 from the prediction: marked in red below.")
                        .arg(mismatched == 1 ? tr("1 step differs") : tr("%1 steps differ").arg(mismatched));
        if (failed > 0)
            text += tr(" %1 on the server: the reason is on the step.")
                        .arg(failed == 1 ? tr("1 step failed") : tr("%1 steps failed").arg(failed));
    } else if (tried > 0) {
        text += tr(" Every step tried took the predicted locks.");
    }
    setPreviewStatus(text, color);
}

void PlanView::setPreviewFailed(const pg::PgError& error)
{
    if (!m_previewPending)
        return;
    m_previewPending = false;
    m_previewButton->setEnabled(true);
    setPreviewStatus(tr("Could not try the locks: %1").arg(error.toString()), dangerColor());
}

void PlanView::setPreviewStatus(const QString& text, const QColor& color)
{
    m_previewStatus->setText(text);
    m_previewStatus->setVisible(!text.isEmpty());
    m_previewColor = color;
    applyPreviewColor();
}

void PlanView::applyPreviewColor()
{
    const QColor ink = m_previewColor.isValid() ? legibleOn(m_previewColor, palette().color(QPalette::Window)) : QColor();
    m_previewStatus->setStyleSheet(ink.isValid() ? QStringLiteral("QLabel { color: %1; font-weight: bold; }").arg(ink.name())
                                                 : QString());
}

QStringList PlanView::stepIds() const
{
    QStringList ids;
    for (const StepCard* c : m_cards)
        ids << c->stepId();
    return ids;
}

StepCard* PlanView::card(const QString& stepId) const
{
    for (StepCard* c : m_cards)
        if (c->stepId() == stepId)
            return c;
    return nullptr;
}

QStringList PlanView::phaseNames() const { return m_phases; }

QString PlanView::summaryText() const
{
    if (!m_plan)
        return {};
    return summarizePlanRisk(*m_plan, tableStats(), PlannerOptions{}.lockTimeoutMs).toPlainText();
}

void PlanView::setRehearsal(const rehearse::RehearsalReport& report)
{
    if (!m_plan)
        return;
    m_rehearsal->setReport(report, m_plan->until(Phase::Constrain).estimatedSeconds());
    for (const rehearse::StepTiming& t : report.steps) {
        StepCard* c = card(t.id);
        if (!c || t.state == QLatin1String("pending"))
            continue;
        const QString shown = formatDuration(t.scaledSeconds) + (t.scaled ? tr(" at full size") : QString());
        c->setRehearsed(t.state == QLatin1String("done") ? shown : tr("%1 (%2)").arg(shown, t.state),
                        tr("Rehearsed on a private copy: %1 for %2 synthetic rows%3")
                            .arg(formatDuration(t.rehearsedSeconds), groupedCount(report.copyRows),
                                 t.scaled ? tr(", scaled to the table's %1 rows").arg(groupedCount(report.productionRows)) : QString()));
    }
}

QString PlanView::previewStatusText() const { return m_previewStatus->text(); }

QString PlanView::emptyText() const
{
    if (m_plan)
        return {};
    return m_empty->text() + QLatin1Char('\n') + m_emptyWhy->text();
}

QString PlanView::emptyHint()
{
    return tr("Pick a table on the map or in the list, press “Add a column…”, and give the new column a name and a type: "
              "its steps appear here as you type, each with the lock it takes and its SQL.");
}

} // namespace lockstep::ui
