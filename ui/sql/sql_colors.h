// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The colours of every SQL view (the SQL tab's editor, the composer's backfill line, the plan's SQL views),
// taken from the palette: dark paper under a dark palette, syntax colours chosen for each and kept at
// 4.5:1 or better against the paper.
#include <QColor>
#include <QPalette>

class QsciScintilla;

namespace lockstep::ui {

struct SqlColors {
    QColor paper, text;                              // the palette's Base and Text
    QColor marginPaper, marginText;
    QColor caretLine, selection, matchedBrace;
    QColor comment, keyword, type, string, number, quoted, operator_;
    QColor error, warning, note;                     // squiggles and margin marks (3:1 against the paper)
};

SqlColors sqlColorsFor(const QPalette& palette);

// Colours `view` and its SQL lexer (paper, text, syntax, caret, selection, margins, fold marks) from its
// palette, now and again whenever the palette changes. Fonts are left as they are.
void followPaletteWithSqlColors(QsciScintilla* view);
void applySqlColors(QsciScintilla* view, const SqlColors& colors);

} // namespace lockstep::ui
