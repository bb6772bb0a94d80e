// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/plan/lint_panel.h"

#include "ui/common/display_format.h"
#include "ui/plan/lint_panel_looks.h"
#include "ui/plan/lint_panel_widgets.h"
#include "ui/common/palette_tools.h"

#include <QCheckBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QStackedWidget>
#include <QStyle>
#include <QTimer>
#include <QVBoxLayout>

#include <functional>

namespace lockstep::ui {

using namespace lint_widgets;

namespace {
// Past this many cards statements are left out, those without hazards first: widgets cost.
constexpr int kMaxCards = 250;

// A hazard's message up to its first colon or parenthesis: the index names the problem, the card explains.
QString headline(const QString& message)
{
    int cut = message.size();
    for (const QString& sep : {QStringLiteral(": "), QStringLiteral(" (")}) {
        const int at = message.indexOf(sep);
        if (at > 20 && at < cut)
            cut = at;
    }
    QString text = message.left(cut);
    if (text.size() > 110)
        text = text.left(108) + QStringLiteral(" …");
    return text;
}

constexpr int kIndexRows = 5;

QLabel* wrapped(const QString& text, QWidget* parent, Qt::TextFormat format = Qt::PlainText)
{
    auto* label = new QLabel(parent);
    label->setTextFormat(format);
    label->setText(text);
    label->setWordWrap(true);
    label->setAttribute(Qt::WA_TransparentForMouseEvents);
    return label;
}

QString blocksText(const QStringList& blocks)
{
    if (blocks.contains(QStringLiteral("reads")))
        return QObject::tr("blocks reads and writes while it runs");
    if (blocks.contains(QStringLiteral("writes")))
        return QObject::tr("blocks writes while it runs; reads continue");
    return QObject::tr("blocks no ordinary reads or writes");
}

// The statement on one line (the card shows which statement, the editor shows all of it); the label elides it.
QString preview(const QString& sql)
{
    QString text = sql.left(400).simplified();
    return sql.size() > 400 ? text + QStringLiteral(" …") : text;
}

} // namespace

QColor LintPanel::lockColor(LockMode mode)
{
    return ui::lockColor(lockSeverity(mode));   // the same colours as the plan view's badges
}

LintPanel::LintPanel(QWidget* parent) : QWidget(parent)
{
    m_summary = new QLabel(this);
    QFont summaryFont = m_summary->font();
    summaryFont.setBold(true);
    m_summary->setFont(summaryFont);
    m_summary->setWordWrap(true);
    m_hazardsOnly = new QCheckBox(tr("Only statements with hazards"), this);
    m_hazardsOnly->setToolTip(tr("Hide statements that lint found nothing wrong with"));
    connect(m_hazardsOnly, &QCheckBox::toggled, this, [this] { rebuild(); });

    m_looks = lintLooksFor(palette());
    m_index = new PaintedBox(m_looks.index, this);
    m_index->setObjectName(QStringLiteral("lintIndex"));
    m_indexText = new QLabel(m_index);
    m_indexText->setTextFormat(Qt::RichText);
    m_indexText->setWordWrap(true);
    m_indexText->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    connect(m_indexText, &QLabel::linkActivated, this, [this](const QString& link) { activateStatement(link.toInt()); });
    auto* indexLayout = new QVBoxLayout(m_index);
    indexLayout->setContentsMargins(12, 6, 10, 6);
    indexLayout->addWidget(m_indexText);
    m_index->hide();

    m_pages = new QStackedWidget(this);
    m_empty = new QLabel(tr("<p><b>Nothing to lint yet.</b></p>"
                            "<p>Lint reads SQL the way PostgreSQL will run it and tells, for each statement, the "
                            "lock it takes, what that lock blocks, whether it rewrites or scans the table, and "
                            "its hazards, each with a safer way to write it.</p>"
                            "<p>Type or paste SQL in the editor, or compose a change on the Change tab to see "
                            "its plan here. Nothing is sent to the database.</p>"),
                         m_pages);
    m_empty->setTextFormat(Qt::RichText);
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignHCenter | Qt::AlignTop);
    m_empty->setMargin(24);
    m_pages->addWidget(m_empty);

    m_scroll = new QScrollArea(m_pages);
    m_scroll->setWidgetResizable(true);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_list = new QWidget(m_scroll);
    m_list->setObjectName(QStringLiteral("lintList"));
    m_listLayout = new QVBoxLayout(m_list);
    m_listLayout->setContentsMargins(4, 4, 8, 4);
    m_listLayout->setSpacing(6);
    m_scroll->setWidget(m_list);
    m_pages->addWidget(m_scroll);

    auto* header = new QHBoxLayout;
    header->addWidget(m_summary, 1);
    header->addWidget(m_hazardsOnly);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 2, 2);
    layout->addLayout(header);
    layout->addWidget(m_index);
    layout->addWidget(m_pages, 1);
    setMinimumWidth(280);
    // Every colour from the palette, again when it changes (the cards are rebuilt in the new colours).
    followPalette(this, [this] {
        m_looks = lintLooksFor(palette());
        static_cast<PaintedBox*>(m_index)->setLook(m_looks.index);
        setTextColor(m_indexText, m_looks.indexText);
        QPalette links = m_indexText->palette();
        links.setColor(QPalette::Link, m_looks.indexLink);
        m_indexText->setPalette(links);
        setTextColor(m_empty, m_looks.emptyText);
        rebuild();
    });
}

void LintPanel::clear()
{
    m_result = lint::LintResult();
    m_hasResult = false;
    rebuild();
}

void LintPanel::setResult(const lint::LintResult& result)
{
    m_result = result;
    m_hasResult = true;
    rebuild();
}

void LintPanel::setHazardsOnly(bool only)
{
    m_hazardsOnly->setChecked(only);
}

bool LintPanel::hazardsOnly() const
{
    return m_hazardsOnly->isChecked();
}

QString LintPanel::summaryText() const
{
    return m_summary->text();
}

void LintPanel::rebuild()
{
    const int scroll = m_scroll->verticalScrollBar()->value();
    for (QWidget* card : m_list->findChildren<QWidget*>(QString(), Qt::FindDirectChildrenOnly))
        delete card;
    while (QLayoutItem* item = m_listLayout->takeAt(0))
        delete item;
    m_cards.clear();
    rebuildIndex();

    if (m_hasResult && m_result.error) {
        m_summary->setText(tr("The SQL does not parse"));
        setTextColor(m_summary, m_looks.summaryError);
        m_hazardsOnly->hide();
        m_listLayout->addWidget(makeErrorCard(*m_result.error, m_list));
    } else if (!m_hasResult || m_result.statements.isEmpty()) {
        m_summary->setText(m_hasResult ? tr("No statements (only comments)") : tr("Lint"));
        setTextColor(m_summary, palette().color(QPalette::WindowText));
        m_hazardsOnly->hide();
        m_pages->setCurrentWidget(m_empty);
        m_highlighted = 0;
        return;
    } else {
        const int hazards = m_result.hazardCount();
        int risky = 0;
        for (const lint::StatementReport& r : m_result.statements)
            risky += !r.hazards.isEmpty();
        const QString statements = counted(m_result.statements.size(), tr("statement"), tr("statements"));
        m_summary->setText(hazards ? tr("%1 · %2 in %3").arg(statements, counted(hazards, tr("hazard"), tr("hazards")),
                                                            counted(risky, tr("statement"), tr("statements")))
                                   : tr("%1 · no hazards").arg(statements));
        setTextColor(m_summary, hazards ? m_looks.summaryHazards : m_looks.summaryClean);
        m_hazardsOnly->setVisible(hazards > 0 || hazardsOnly());
        m_cards.resize(m_result.statements.size());
        int shown = 0, quietShown = 0, leftQuiet = 0, leftRisky = 0;
        const int budget = qMax(0, kMaxCards - risky);   // statements with hazards come first
        for (int i = 0; i < m_result.statements.size(); ++i) {
            const lint::StatementReport& r = m_result.statements[i];
            if (hazardsOnly() && r.hazards.isEmpty())
                continue;
            if (r.hazards.isEmpty() ? quietShown >= budget : shown - quietShown >= kMaxCards) {
                ++(r.hazards.isEmpty() ? leftQuiet : leftRisky);
                continue;
            }
            m_cards[i] = makeStatementCard(r, m_list);
            m_listLayout->addWidget(m_cards[i]);
            ++shown;
            quietShown += r.hazards.isEmpty();
        }
        if (shown == 0)
            m_listLayout->addWidget(wrapped(tr("No statement has a hazard."), m_list));
        if (leftQuiet + leftRisky > 0) {
            // Thousands of cards would freeze the window; the editor still marks every hazard.
            auto* more = wrapped(tr("… and %1 more (%2 with hazards) not listed: the panel shows %3 statements "
                                    "at most, those with hazards first. The editor marks every hazard.")
                                     .arg(counted(leftQuiet + leftRisky, tr("statement"), tr("statements")))
                                     .arg(leftRisky)
                                     .arg(kMaxCards),
                                 m_list);
            setTextColor(more, m_looks.emptyText);
            m_listLayout->addWidget(more);
        }
    }
    m_listLayout->addStretch(1);
    m_pages->setCurrentWidget(m_scroll);
    const int keep = m_highlighted;
    m_highlighted = 0;
    if (keep > 0 && keep <= m_cards.size() && m_cards[keep - 1]) {
        m_highlighted = keep;
        setCardSelected(m_cards[keep - 1], true);
    }
    // Relinting as the user types must not throw the list back to the top.
    QTimer::singleShot(0, this, [this, scroll] { m_scroll->verticalScrollBar()->setValue(scroll); });
}

void LintPanel::rebuildIndex()
{
    QStringList rows;
    int risky = 0;
    if (m_hasResult && !m_result.error) {
        for (const lint::StatementReport& r : m_result.statements) {
            if (r.hazards.isEmpty())
                continue;
            if (++risky > kIndexRows)
                continue;
            QString row = QStringLiteral("<a href=\"%1\">%2</a>&nbsp;&nbsp;%3")
                              .arg(r.statement)
                              .arg(tr("Line %1").arg(r.line).toHtmlEscaped(), headline(r.hazards.first().message).toHtmlEscaped());
            if (r.hazards.size() > 1)
                row += QStringLiteral(" <span style=\"color:%1\">%2</span>").arg(m_looks.moreText.name(), tr("(+%1 more)").arg(r.hazards.size() - 1));
            rows << row;
        }
    }
    if (rows.isEmpty()) {
        m_index->hide();
        return;
    }
    QString html = QStringLiteral("<b>%1</b><br>").arg(tr("⚠ Hazards — click one to select its statement:").toHtmlEscaped());
    html += rows.join(QStringLiteral("<br>"));
    if (risky > kIndexRows)
        html += QStringLiteral("<br><i>%1</i>").arg(tr("… and %1 more below").arg(counted(risky - kIndexRows, tr("statement"), tr("statements"))).toHtmlEscaped());
    m_indexText->setText(html);
    m_index->show();
}

void LintPanel::activateStatement(int number)
{
    if (number < 1 || number > m_result.statements.size())
        return;
    const lint::StatementReport& r = m_result.statements[number - 1];
    revealStatement(number);
    emit statementActivated(r.offset, r.length);
}

void LintPanel::revealStatement(int number)
{
    highlightStatementAt(-1);
    if (number < 1 || number > m_cards.size() || !m_cards[number - 1])
        return;
    m_highlighted = number;
    setCardSelected(m_cards[number - 1], true);
    // The card's top near the top of the list (its hazards follow it), once the layout has placed it.
    QWidget* card = m_cards[number - 1];
    const auto scrollTo = [this, card] {
        m_list->layout()->activate();
        m_scroll->verticalScrollBar()->setValue(qMax(0, card->y() - 6));
    };
    scrollTo();
    QTimer::singleShot(0, card, scrollTo);
}

QWidget* LintPanel::makeStatementCard(const lint::StatementReport& r, QWidget* parent)
{
    const int offset = r.offset, length = r.length, number = r.statement;
    const bool quiet = !r.lock && r.hazards.isEmpty();
    auto* card = new ClickableCard(
        quiet ? m_looks.quietCard : r.hazards.isEmpty() ? m_looks.card : m_looks.hazardCard,
        [this, offset, length, number] {
            highlightStatementAt(-1);
            if (number > 0 && number <= m_cards.size() && m_cards[number - 1]) {
                m_highlighted = number;
                setCardSelected(m_cards[number - 1], true);
            }
            emit statementActivated(offset, length);
        },
        parent);
    card->setObjectName(QStringLiteral("lintCard"));
    card->setProperty("hazard", !r.hazards.isEmpty());
    card->setProperty("quiet", quiet);
    card->setToolTip(tr("Statement %1, line %2. Click to select it in the editor.").arg(r.statement).arg(r.line));
    auto* layout = new QVBoxLayout(card);
    layout->setContentsMargins(r.hazards.isEmpty() ? 10 : 12, quiet ? 2 : 6, 8, quiet ? 2 : 6);
    layout->setSpacing(4);

    // Number, line and the statement on one line: which statement this is.
    auto* head = new QHBoxLayout;
    head->setSpacing(8);
    auto* number_ = new WrappedText({{QStringLiteral("#%1").arg(r.statement), true, QColor()},
                                     {tr(" line %1").arg(r.line), false, m_looks.lineNumber}},
                                    card, false);
    head->addWidget(number_);
    auto* sql = new ElidedLabel(preview(r.sql), card);
    sql->setObjectName(QStringLiteral("lintSql"));
    sql->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    if (quiet)
        setTextColor(sql, m_looks.quietSql);
    head->addWidget(sql, 1);
    layout->addLayout(head);
    if (quiet)
        return card;

    // The lock badge, then what it does to the table in words.
    if (r.lock) {
        auto* row = new QHBoxLayout;
        row->setSpacing(8);
        auto* badge = new BadgeLabel(r.lock, card);
        badge->setObjectName(QStringLiteral("lockBadge"));
        row->addWidget(badge, 0, Qt::AlignTop);
        QStringList effects;
        effects << (r.table.isEmpty() ? QString() : tr("on %1: ").arg(r.table)) + blocksText(r.blocks);
        if (r.rewrites)
            effects << tr("↻ rewrites the whole table");
        if (r.scans)
            effects << tr("⌕ scans the whole table");
        auto* label = new WrappedText({{effects.join(QStringLiteral(" · ")), false, m_looks.effects}}, card);
        row->addWidget(label, 1);
        layout->addLayout(row);
    }

    for (const lint::Hazard& h : r.hazards) {
        auto* box = new PaintedBox(m_looks.hazardBox, card);
        box->setObjectName(QStringLiteral("lintHazard"));
        box->setAttribute(Qt::WA_TransparentForMouseEvents);
        box->setToolTip(h.rule);
        auto* hl = new QVBoxLayout(box);
        hl->setContentsMargins(8, 4, 8, 4);
        hl->setSpacing(2);
        hl->addWidget(new WrappedText({{QStringLiteral("⚠ ") + h.message, true, m_looks.hazardText}}, box));
        if (!h.fix.isEmpty())
            hl->addWidget(new WrappedText({{tr("Fix: "), true, QColor()}, {h.fix, false, QColor()}}, box));
        layout->addWidget(box);
    }
    return card;
}

QWidget* LintPanel::makeErrorCard(const lint::ParseError& e, QWidget* parent)
{
    const int offset = qMax(0, e.offset);
    auto* card = new ClickableCard(m_looks.error, [this, offset] { emit statementActivated(offset, 0); }, parent);
    card->setObjectName(QStringLiteral("lintError"));
    card->setToolTip(tr("Click to put the cursor where the parser stopped"));
    auto* layout = new QVBoxLayout(card);
    layout->setContentsMargins(12, 8, 8, 8);
    QString where = e.line > 0 ? tr("Line %1, column %2").arg(e.line).arg(e.column) : tr("At character %1").arg(offset + 1);
    layout->addWidget(wrapped(QStringLiteral("<b>%1:</b> %2").arg(where.toHtmlEscaped(), e.message.toHtmlEscaped()), card,
                              Qt::RichText));
    auto* hint = wrapped(tr("Nothing is linted until the whole text parses: fix the SQL at the red mark in the "
                            "editor."),
                         card);
    setTextColor(hint, m_looks.errorHint);
    layout->addWidget(hint);
    return card;
}

void LintPanel::setCardSelected(QWidget* card, bool selected)
{
    static_cast<ClickableCard*>(card)->setSelected(selected);
}

void LintPanel::highlightStatementAt(int charOffset)
{
    int found = 0;
    for (const lint::StatementReport& r : m_result.statements)
        if (charOffset >= r.offset && charOffset <= r.offset + r.length)
            found = r.statement;
    if (found == m_highlighted)
        return;
    if (m_highlighted > 0 && m_highlighted <= m_cards.size() && m_cards[m_highlighted - 1])
        setCardSelected(m_cards[m_highlighted - 1], false);
    m_highlighted = 0;
    if (found > 0 && found <= m_cards.size() && m_cards[found - 1]) {
        m_highlighted = found;
        setCardSelected(m_cards[found - 1], true);
    }
}

int LintPanel::visibleStatementCount() const
{
    int n = 0;
    for (QWidget* c : m_cards)
        n += c != nullptr;
    return n;
}

int LintPanel::visibleHazardCount() const
{
    return m_list->findChildren<QFrame*>(QStringLiteral("lintHazard")).size();
}

} // namespace lockstep::ui
