// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/lint/sql_lint.h"
#include "ui/plan/lint_panel_looks.h"

#include <QVector>
#include <QWidget>

class QCheckBox;
class QFrame;
class QLabel;
class QScrollArea;
class QStackedWidget;
class QVBoxLayout;

namespace lockstep::ui {

// The lint results beside the SQL editor: a summary line ("3 statements · 2 hazards in 1 statement"), an
// index of the statements with hazards (a plan script has dozens of statements: the hazards must not hide
// below the fold), then one card per statement with its number and line, the lock badge of every view
// (ui/lock_badge.h: red blocks reads and writes, amber writes, green nothing ordinary), what it does to
// the table in words (rewrites, scans), and each hazard with its fix. Statements that lock nothing and
// have no hazard (SET, BEGIN, COMMIT) are one quiet line. Clicking a card or an index entry selects the
// statement in the editor. A parse error shows as one red card with the parser's message and position.
class LintPanel : public QWidget {
    Q_OBJECT
public:
    explicit LintPanel(QWidget* parent = nullptr);

    void setResult(const lint::LintResult& result);
    void clear();   // the empty state: nothing to lint
    const lint::LintResult& result() const { return m_result; }

    // Hide statements without hazards (the checkbox above the list).
    void setHazardsOnly(bool only);
    bool hazardsOnly() const;
    // Highlights the card of the statement containing `charOffset` (the editor's cursor); no scrolling.
    void highlightStatementAt(int charOffset);
    int highlightedStatement() const { return m_highlighted; }   // 1-based, 0: none

    QString summaryText() const;
    int visibleStatementCount() const;
    int visibleHazardCount() const;   // hazard rows on screen

    // The lock badge's colour for `mode`: what the lock blocks decides it (shared with other views).
    static QColor lockColor(LockMode mode);

    // Scrolls the list to statement `number` (1-based) and highlights its card, as the index's links do.
    void revealStatement(int number);

signals:
    // A card was clicked: the statement (or the parse error's position, length 0) to select in the editor.
    void statementActivated(int charOffset, int length);

private:
    void rebuild();
    QWidget* makeStatementCard(const lint::StatementReport& report, QWidget* parent);
    QWidget* makeErrorCard(const lint::ParseError& error, QWidget* parent);
    void rebuildIndex();
    void activateStatement(int number);
    void setCardSelected(QWidget* card, bool selected);

    lint::LintResult m_result;
    bool m_hasResult = false;
    int m_highlighted = 0;
    QLabel* m_summary;
    QFrame* m_index;          // the statements with hazards, as links
    QLabel* m_indexText;
    QCheckBox* m_hazardsOnly;
    QStackedWidget* m_pages;
    QLabel* m_empty;
    QScrollArea* m_scroll;
    QWidget* m_list;
    QVBoxLayout* m_listLayout;
    QVector<QWidget*> m_cards;   // index = statement - 1 (nullptr when hidden)
    lint_widgets::LintLooks m_looks;   // from the current palette
};

} // namespace lockstep::ui
