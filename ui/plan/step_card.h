// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "ui/server/catalog_types.h"
#include "ui/common/lock_badge.h"

#include <QFrame>
#include <QVector>

#include <optional>

class QLabel;
class QToolButton;
class QVBoxLayout;

namespace lockstep::ui {

// One step of a plan on the plan view's timeline: its number and title, the lock badge coloured by what
// the lock blocks, rewrite/scan/transaction flags in words, the estimated duration, the one-sentence why,
// and the forward and rollback SQL behind toggles. After an observed-lock preview it also shows what the
// server really did, highlighted in red where that differs from the prediction.
class StepCard : public QFrame {
    Q_OBJECT
public:
    // `tableBytes` and `tableName` word the flags ("scans 1.2 GB of public.orders"); -1 when unknown.
    StepCard(const Step& step, int number, qint64 tableBytes, const QString& tableName, QWidget* parent = nullptr);

    const QString& stepId() const { return m_step.id; }
    const Step& step() const { return m_step; }

    void setObservation(const preview::StepObservation& observation);
    void clearObservation();
    bool hasObservation() const { return m_observed; }
    bool isMismatch() const { return m_mismatch; }
    bool isFailed() const { return m_failed; }

    QString badgeText() const;
    LockSeverity badgeSeverity() const { return lockSeverity(m_step.lock); }
    QString flagsText() const;
    QString observationText() const;
    QString estimateText() const;
    // What a rehearsal measured for this step (rehearse/rehearsal.h): shown beside the estimate; empty clears.
    void setRehearsed(const QString& text, const QString& tooltip = {});
    QString shownEstimate() const;   // the estimate label as shown, rehearsal included
    QLabel* badge() const { return m_badge; }
    QLabel* observationLabel() const { return m_observation; }

    void setSqlExpanded(bool expanded);
    void setRollbackExpanded(bool expanded);
    bool isSqlExpanded() const;
    // A caption over a read-only QScintilla view (SQL lexer) of the statements; null until first expanded.
    QWidget* sqlView() const { return m_sqlView; }
    QWidget* rollbackView() const { return m_rollbackView; }

    // The colour a kind of words is drawn in on this card, from the palette (4.5:1 against the card).
    enum class Ink { Plain, Danger, Warning, Ok, Quiet };
    QColor inkColor(Ink ink) const;

private:
    struct Words {
        QString text;
        Ink ink = Ink::Plain;
        bool bold = false;
    };
    QWidget* makeSqlView(const QString& caption, const QString& sql);
    void setHighlight(const QColor& border, const QColor& background);
    QString inked(const QString& text, Ink ink, bool bold = false) const;
    void applyColors();          // flags, observation and highlight again, from the current palette
    QString outlineColor() const;   // the card's and the number's quiet border
    void showObservation();      // m_lastObservation in words

    QVector<Words> m_flagWords;
    QColor m_fill;               // the card's background when highlighted (invalid: the palette's Base)
    std::optional<preview::StepObservation> m_lastObservation;

    Step m_step;
    QLabel* m_number;
    QLabel* m_badge;
    QLabel* m_flags;
    QLabel* m_observation;
    QLabel* m_estimate;
    QToolButton* m_sqlToggle;
    QToolButton* m_rollbackToggle;
    QWidget* m_sqlView = nullptr;
    QWidget* m_rollbackView = nullptr;
    QVBoxLayout* m_layout;
    bool m_observed = false;
    bool m_mismatch = false;
    bool m_failed = false;
};

} // namespace lockstep::ui
