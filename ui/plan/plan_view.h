// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/rehearse/rehearsal.h"
#include "ui/server/catalog_types.h"

#include <QWidget>
#include <optional>

class QLabel;
class QPushButton;
class QScrollArea;
class QStackedWidget;
class QVBoxLayout;

namespace lockstep::ui {

class RehearsalBar;
class StepCard;

// The "Plan" flow tab: the composed change's plan as a vertical timeline, steps grouped by phase (expand,
// backfill, constrain, switch, contract), each a StepCard; above it the risk summary against the table's
// live traffic, and the "Try the locks on the server" button (the observed-lock preview). The point of no return
// is a red divider before the first step that cannot be rolled back.
class PlanView : public QWidget {
    Q_OBJECT
public:
    explicit PlanView(QWidget* parent = nullptr);

    void setPlan(const Plan& plan);                  // rebuilt unless it is the plan already shown
    void clearPlan(const QString& why = {});         // the empty state, with why (if any) under it
    const Plan* currentPlan() const { return m_plan ? &*m_plan : nullptr; }
    // Table sizes and traffic for the summary; whether the server is a standby (the preview refuses).
    void setCatalog(const pg::CatalogSnapshot& snapshot);

    // The observed-lock preview's answer (for the plan shown when it was requested) or its failure.
    void setObservations(const QVector<preview::StepObservation>& observations);
    void setPreviewFailed(const pg::PgError& error);

    QStringList stepIds() const;
    StepCard* card(const QString& stepId) const;
    QStringList phaseNames() const;                  // phases shown, in order ("expand", ...)
    QWidget* pointOfNoReturn() const { return m_noReturn; }
    QPushButton* previewButton() const { return m_previewButton; }
    QString summaryText() const;
    QString previewStatusText() const;
    QString emptyText() const;
    bool isPreviewRunning() const { return m_previewPending; }
    // "Rehearse on a copy" (rehearsal_bar.h): its button and line; a report for the plan shown puts each
    // step's rehearsed time on its card.
    RehearsalBar* rehearsalBar() const { return m_rehearsal; }
    void setRehearsal(const rehearse::RehearsalReport& report);

public slots:
    // "Try the locks on the server": refuses on a standby or without a plan, else emits lockPreviewRequested.
    void requestPreview();

signals:
    void planChanged(const lockstep::Plan& plan);
    void planCleared();
    void lockPreviewRequested(const lockstep::Plan& plan);
    void rehearsalRequested(const lockstep::Plan& plan);
    void rehearsalCancelRequested();

private:
    void rebuild();
    void applyPreviewColor();   // the status line's colour, made legible on the current palette
    void dropTimeline();
    static QString emptyHint();
    void updateSummary();
    void setPreviewStatus(const QString& text, const QColor& color = QColor());
    const pg::TableStats* tableStats() const;

    std::optional<Plan> m_plan;
    QVector<pg::TableStats> m_tables;
    bool m_standby = false;
    bool m_previewPending = false;

    QStackedWidget* m_pages;
    QLabel* m_empty;
    QLabel* m_emptyWhy;
    QLabel* m_headline;                      // stays in view: the impact and the plan in one sentence
    QLabel* m_summary;                       // the risk lines, scrolling with the timeline under them
    QPushButton* m_previewButton;
    QLabel* m_previewStatus;
    RehearsalBar* m_rehearsal;
    QColor m_previewColor;   // as asked (setPreviewStatus); drawn through applyPreviewColor
    QScrollArea* m_scroll;
    QVBoxLayout* m_contentLayout;
    QWidget* m_timeline = nullptr;
    QWidget* m_noReturn = nullptr;
    QVector<StepCard*> m_cards;
    QStringList m_phases;
};

} // namespace lockstep::ui
