// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/plan/step_card.h"

#include "core/plan/plan_render.h"
#include "core/plan/sql_text.h"
#include "ui/common/display_format.h"
#include "ui/common/palette_tools.h"
#include "ui/sql/sql_colors.h"

#include <Qsci/qscilexersql.h>
#include <Qsci/qsciscintilla.h>

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QRegularExpression>
#include <QScrollBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace lockstep::ui {

namespace {
constexpr int kMaxSqlLines = 14;

// An inline badge inside rich text, for the observed lock beside the words.
QString inlineBadge(std::optional<LockMode> mode)
{
    const QColor fill = lockColor(lockSeverity(mode));
    const QColor ink = readableTextOn(fill);
    return QStringLiteral("<span style=\"background-color:%1; color:%2; font-weight:bold;\">&nbsp;%3&nbsp;</span>")
        .arg(fill.name(), ink.name(), lockBadgeText(mode).toHtmlEscaped());
}

QToolButton* makeToggle(const QString& text, QWidget* parent)
{
    auto* b = new QToolButton(parent);
    b->setText(text);
    b->setCheckable(true);
    b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    b->setArrowType(Qt::RightArrow);
    b->setAutoRaise(true);
    return b;
}
} // namespace

StepCard::StepCard(const Step& step, int number, qint64 tableBytes, const QString& tableName, QWidget* parent)
    : QFrame(parent), m_step(step)
{
    setObjectName(QStringLiteral("stepCard"));
    setAttribute(Qt::WA_StyledBackground);

    auto* numberLabel = m_number = new QLabel(QString::number(number), this);
    numberLabel->setAlignment(Qt::AlignCenter);
    numberLabel->setFixedWidth(26);
    numberLabel->setToolTip(tr("Step %1 (%2)").arg(number).arg(step.id));

    m_badge = new QLabel(this);
    styleLockBadge(m_badge, step.lock);
    m_badge->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    QString badgeTip = lockBlocksSentence(step.lock);
    if (step.lock) {
        badgeTip += tr(" (%1 on %2).").arg(lockModeName(*step.lock), tableName);
        if (lockSeverity(step.lock) != LockSeverity::None && step.estimatedSeconds <= 1)
            badgeTip += tr("\nExpected to hold it briefly (about %1), under lock_timeout: if the lock is not granted "
                           "quickly the statement gives up and is retried, so traffic never queues behind it for long.")
                            .arg(formatDuration(step.estimatedSeconds));
        else
            badgeTip += tr("\nExpected to hold it for about %1.").arg(formatDuration(step.estimatedSeconds));
    }
    m_badge->setToolTip(badgeTip);

    auto* title = new QLabel(step.title, this);
    QFont bold = title->font();
    bold.setBold(true);
    title->setFont(bold);
    title->setWordWrap(true);
    title->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* estimate = new QLabel(estimateText(), this);
    estimate->setToolTip(tr("Estimated duration, from the table's size and measured rates"));
    m_estimate = estimate;

    auto* top = new QHBoxLayout;
    top->setSpacing(8);
    top->addWidget(numberLabel);
    top->addWidget(m_badge);
    top->addWidget(title, 1);
    top->addWidget(estimate);

    const QString size = tableBytes >= 0 ? sizeText(tableBytes) : tr("the table");
    if (step.rewrites)
        m_flagWords.append({tr("⚠ rewrites the whole table (%1) while holding the lock").arg(size), Ink::Danger, true});
    if (step.backfill)
        m_flagWords.append({tr("⟳ updates every row in small batches, one short transaction each; reads and writes continue"),
                            Ink::Warning});
    else if (step.scans)
        m_flagWords.append({lockSeverity(step.lock) == LockSeverity::None ? tr("⟳ scans %1; reads and writes continue").arg(size)
                                                                          : tr("⟳ scans %1 while holding the lock").arg(size),
                            Ink::Warning});
    if (!step.transactional && !step.backfill && !step.statements.isEmpty())
        m_flagWords.append({tr("runs outside a transaction (CONCURRENTLY)")});
    if (!step.reversible)
        m_flagWords.append({tr("✗ cannot be rolled back"), Ink::Danger, true});
    m_flags = new QLabel(this);
    m_flags->setTextFormat(Qt::RichText);
    m_flags->setWordWrap(true);
    m_flags->setVisible(!m_flagWords.isEmpty());

    auto* why = new QLabel(step.why, this);
    why->setWordWrap(true);
    why->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_observation = new QLabel(this);
    m_observation->setTextFormat(Qt::RichText);
    m_observation->setWordWrap(true);
    m_observation->hide();

    m_sqlToggle = makeToggle(tr("SQL"), this);
    m_sqlToggle->setToolTip(tr("Show the statements this step runs"));
    m_rollbackToggle = makeToggle(step.rollbackSql.trimmed().isEmpty() ? tr("No rollback SQL") : tr("Rollback SQL"), this);
    m_rollbackToggle->setEnabled(!step.rollbackSql.trimmed().isEmpty());
    m_rollbackToggle->setToolTip(step.reversible ? tr("Show the statements that undo this step")
                                                 : tr("This step cannot be undone"));
    m_sqlToggle->setEnabled(!step.sql.trimmed().isEmpty());
    connect(m_sqlToggle, &QToolButton::toggled, this, &StepCard::setSqlExpanded);
    connect(m_rollbackToggle, &QToolButton::toggled, this, &StepCard::setRollbackExpanded);
    auto* toggles = new QHBoxLayout;
    toggles->setContentsMargins(0, 0, 0, 0);
    toggles->addWidget(m_sqlToggle);
    toggles->addWidget(m_rollbackToggle);
    toggles->addStretch(1);

    m_layout = new QVBoxLayout(this);
    m_layout->setContentsMargins(10, 6, 10, 4);
    m_layout->setSpacing(3);
    m_layout->addLayout(top);
    m_layout->addWidget(m_flags);
    m_layout->addWidget(why);
    m_layout->addWidget(m_observation);
    m_layout->addLayout(toggles);
    followPalette(this, [this] { applyColors(); });
}

QColor StepCard::inkColor(Ink ink) const
{
    const QPalette pal = surroundingPalette(this);   // our own palette carries the style sheet's colours
    const QColor card = m_fill.isValid() ? m_fill : pal.color(QPalette::Base);
    switch (ink) {
    case Ink::Danger: return legibleOn(dangerColor(), card);
    case Ink::Warning: return legibleOn(isDark(pal) ? warningColor() : warningColor().darker(170), card);
    case Ink::Ok: return legibleOn(okColor(), card);
    case Ink::Quiet: return legibleOn(quietText(pal), card);
    case Ink::Plain: break;
    }
    return pal.color(QPalette::Text);
}

QString StepCard::inked(const QString& text, Ink ink, bool bold) const
{
    if (ink == Ink::Plain && !bold)
        return text.toHtmlEscaped();
    return QStringLiteral("<span style=\"color:%1;%2\">%3</span>")
        .arg(inkColor(ink).name(), bold ? QStringLiteral(" font-weight:bold;") : QString(), text.toHtmlEscaped());
}

// Mid, the light palette's quiet outline, is nearly the card's own colour in a dark palette.
QString StepCard::outlineColor() const
{
    const QPalette around = surroundingPalette(this);
    return isDark(around) ? mixColors(around.color(QPalette::Base), around.color(QPalette::Text), 0.25).name()
                          : QStringLiteral("palette(mid)");
}

void StepCard::applyColors()
{
    m_number->setStyleSheet(QStringLiteral("QLabel { border: 1px solid %1; border-radius: 11px; font-weight: bold; }")
                                .arg(outlineColor()));
    QStringList flags;
    for (const Words& w : std::as_const(m_flagWords))
        flags << inked(w.text, w.ink, w.bold);
    m_flags->setText(flags.join(QStringLiteral(" · ")));
    if (m_lastObservation)
        showObservation();
    else
        setHighlight(QColor(), QColor());
}

void StepCard::setRehearsed(const QString& text, const QString& tooltip)
{
    m_estimate->setText(text.isEmpty() ? estimateText() : tr("%1 · rehearsed %2").arg(estimateText(), text));
    m_estimate->setToolTip(text.isEmpty() ? tr("Estimated duration, from the table's size and measured rates") : tooltip);
}

QString StepCard::shownEstimate() const { return m_estimate->text(); }

QString StepCard::estimateText() const
{
    if (m_step.estimatedSeconds <= 0)
        return m_step.statements.isEmpty() ? tr("waits for you") : tr("≈ instant");
    return tr("≈ %1").arg(formatDuration(m_step.estimatedSeconds));
}

QString StepCard::badgeText() const { return m_badge->text(); }

QString StepCard::flagsText() const
{
    QString plain = m_flags->text();
    plain.remove(QRegularExpression(QStringLiteral("<[^>]*>")));
    return plain;
}

QString StepCard::observationText() const
{
    QString plain = m_observation->text();
    plain.remove(QRegularExpression(QStringLiteral("<[^>]*>")));
    plain.replace(QStringLiteral("&nbsp;"), QStringLiteral(" "));
    plain.replace(QStringLiteral("&quot;"), QStringLiteral("\""));
    plain.replace(QStringLiteral("&lt;"), QStringLiteral("<"));
    plain.replace(QStringLiteral("&gt;"), QStringLiteral(">"));
    plain.replace(QStringLiteral("&amp;"), QStringLiteral("&"));
    plain = plain.simplified();
    plain.replace(QStringLiteral(" ,"), QStringLiteral(","));   // a badge's padding before the comma after it
    return plain;
}

void StepCard::setHighlight(const QColor& border, const QColor& background)
{
    const QString b = border.isValid() ? border.name() : outlineColor();
    const QString bg = background.isValid() ? background.name() : QStringLiteral("palette(base)");
    const int width = border.isValid() ? 2 : 1;
    m_fill = background;
    setStyleSheet(QStringLiteral("QFrame#stepCard { border: %1px solid %2; border-radius: 6px; background: %3; }")
                      .arg(width)
                      .arg(b, bg));
}

void StepCard::clearObservation()
{
    m_lastObservation.reset();
    m_observed = m_mismatch = m_failed = false;
    m_observation->clear();
    m_observation->hide();
    setHighlight(QColor(), QColor());
}

void StepCard::setObservation(const preview::StepObservation& observation)
{
    m_lastObservation = observation;
    showObservation();
}

void StepCard::showObservation()
{
    const preview::StepObservation& o = *m_lastObservation;
    m_observed = true;
    m_failed = !o.error.isEmpty() && o.needs.isEmpty();   // failing for want of an untried step is not a failure
    m_mismatch = o.observed && !o.matches;
    // The card's colours first: the words below are inked against its background.
    const QPalette around = surroundingPalette(this);
    const QColor card = around.color(QPalette::Base);
    if (m_failed || m_mismatch)   // a pale red card on a light palette, a deep red one on a dark palette
        setHighlight(legibleOn(dangerColor(), card, 3), isDark(around) ? washOn(dangerColor(), card, 0.22) : QColor(0xfb, 0xe9, 0xe7));
    else
        setHighlight(QColor(), QColor());
    QStringList parts;
    if (!o.observed && !m_failed) {
        parts << inked((o.needs.isEmpty() ? tr("Not tried on the server: %1") : tr("Not tried: %1")).arg(o.skippedReason.isEmpty() ? tr("no reason given") : o.skippedReason),
                       Ink::Quiet);
    } else {
        const QString lockPart = tr("Observed on the server: %1").arg(inlineBadge(o.observedLock));
        QString rewrite;
        if (o.observedRewrite)
            rewrite = *o.observedRewrite ? tr("rewrote the table") : tr("did not rewrite the table");
        if (m_failed) {
            parts << inked(tr("✗ The step failed on the server: %1%2")
                               .arg(o.error, o.sqlstate.isEmpty() ? QString() : tr(" (SQLSTATE %1)").arg(o.sqlstate)),
                           Ink::Danger, true);
            if (o.observedLock)
                parts << lockPart;
        } else if (m_mismatch) {
            const bool lockDiffers = o.observedLock != o.predictedLock;
            const bool rewriteDiffers = o.observedRewrite && *o.observedRewrite != o.predictedRewrite;
            QString what = inked(tr("✗ Differs from the prediction:"), Ink::Danger, true) + QLatin1Char(' ');
            QStringList diffs;
            if (lockDiffers)
                diffs << tr("took %1, predicted %2").arg(inlineBadge(o.observedLock), inlineBadge(o.predictedLock));
            if (rewriteDiffers)
                diffs << inked(*o.observedRewrite ? tr("rewrote the table, predicted no rewrite")
                                                  : tr("did not rewrite the table, predicted a rewrite"),
                               Ink::Danger, true);
            if (diffs.isEmpty())
                diffs << lockPart;
            parts << what + diffs.join(QStringLiteral("; "));
        } else {
            parts << inked(tr("✓ As predicted:"), Ink::Ok, true) + QLatin1Char(' ') + lockPart.section(QLatin1String(": "), 1)
                         + (rewrite.isEmpty() ? QString() : QStringLiteral(", ") + rewrite.toHtmlEscaped());
        }
    }
    m_observation->setText(parts.join(QStringLiteral("<br>")));
    QStringList locks;
    for (const preview::ObservedLock& l : o.locks)
        locks << tr("%1 %2%3").arg(lockModeName(l.mode), l.relation, l.granted ? QString() : tr(" (waiting)"));
    m_observation->setToolTip(locks.isEmpty() ? tr("No table locks were seen")
                                              : tr("Locks the step took:\n") + locks.join(QLatin1Char('\n')));
    m_observation->show();
}

QWidget* StepCard::makeSqlView(const QString& caption, const QString& sql)
{
    auto* box = new QWidget(this);
    auto* label = new QLabel(caption, box);
    label->setForegroundRole(QPalette::PlaceholderText);
    auto* view = new QsciScintilla(box);
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    auto* lexer = new QsciLexerSQL(view);
    lexer->setDefaultFont(mono);
    lexer->setFont(mono);
    view->setLexer(lexer);
    view->setUtf8(true);
    view->setText(sql.trimmed());
    view->setReadOnly(true);
    view->setMarginWidth(1, 0);
    view->setMarginWidth(0, 0);
    view->setWrapMode(QsciScintilla::WrapNone);
    view->setCaretLineVisible(false);
    view->SendScintilla(QsciScintillaBase::SCI_SETCARETSTYLE, 0L);
    followPaletteWithSqlColors(view);
    // A horizontal scroll bar only when a line is wider than the view (Scintilla assumes 2000 px).
    view->SendScintilla(QsciScintillaBase::SCI_SETSCROLLWIDTH, 1L);
    view->SendScintilla(QsciScintillaBase::SCI_SETSCROLLWIDTHTRACKING, 1L);
    const int lines = qMin(view->lines(), kMaxSqlLines);
    const int lineHeight = int(view->SendScintilla(QsciScintillaBase::SCI_TEXTHEIGHT, 0L));
    const int scrollBar = view->horizontalScrollBar()->sizeHint().height();
    view->setFixedHeight(lines * lineHeight + 2 * view->frameWidth() + scrollBar + 4);
    view->setVerticalScrollBarPolicy(view->lines() > kMaxSqlLines ? Qt::ScrollBarAsNeeded : Qt::ScrollBarAlwaysOff);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 2, 0, 0);
    layout->setSpacing(1);
    layout->addWidget(label);
    layout->addWidget(view);
    return box;
}

void StepCard::setSqlExpanded(bool expanded)
{
    if (m_sqlToggle->isChecked() != expanded) {
        m_sqlToggle->setChecked(expanded);   // comes back here through toggled
        return;
    }
    m_sqlToggle->setArrowType(expanded ? Qt::DownArrow : Qt::RightArrow);
    if (expanded && !m_sqlView) {
        m_sqlView = makeSqlView(tr("Forward SQL — what this step runs:"), m_step.sql);
        m_layout->insertWidget(5, m_sqlView);   // right under the toggles, above any rollback SQL
    }
    if (m_sqlView)
        m_sqlView->setVisible(expanded);
}

void StepCard::setRollbackExpanded(bool expanded)
{
    if (m_rollbackToggle->isChecked() != expanded) {
        m_rollbackToggle->setChecked(expanded);
        return;
    }
    m_rollbackToggle->setArrowType(expanded ? Qt::DownArrow : Qt::RightArrow);
    if (expanded && !m_rollbackView) {
        m_rollbackView = makeSqlView(tr("Rollback SQL — what undoes this step:"), withoutLintDirectives(m_step.rollbackSql));
        m_layout->addWidget(m_rollbackView);
    }
    if (m_rollbackView)
        m_rollbackView->setVisible(expanded);
}

bool StepCard::isSqlExpanded() const { return m_sqlView && m_sqlView->isVisible(); }

} // namespace lockstep::ui
