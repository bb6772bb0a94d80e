// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/sql/sql_colors.h"

#include "ui/common/palette_tools.h"

#include <Qsci/qscilexersql.h>
#include <Qsci/qsciscintilla.h>

namespace lockstep::ui {

namespace {
// Scintilla's fold marks (SC_MARKNUM_FOLDEREND .. SC_MARKNUM_FOLDEROPEN): QScintilla draws them white with
// black lines whatever the paper.
constexpr int kFirstFoldMarker = 25, kLastFoldMarker = 31;
} // namespace

SqlColors sqlColorsFor(const QPalette& palette)
{
    SqlColors c;
    c.paper = palette.color(QPalette::Base);
    c.text = legibleOn(palette.color(QPalette::Text), c.paper, 7);
    const QColor highlight = palette.color(QPalette::Highlight);
    c.marginPaper = mixColors(c.paper, c.text, 0.05);
    c.marginText = legibleOn(mixColors(c.text, c.paper, 0.5), c.marginPaper);
    c.caretLine = mixColors(c.paper, highlight, 0.08);
    c.selection = mixColors(c.paper, highlight, 0.35);
    const bool dark = isDark(palette) || c.paper.lightness() < 128;
    c.matchedBrace = mixColors(c.paper, QColor(0x4c, 0xa8, 0x4c), dark ? 0.35 : 0.2);
    // Light: deep inks on white. Dark: the same families lifted, so a keyword is still blue and a string red.
    c.comment = dark ? QColor(0x8f, 0xaa, 0x92) : QColor(0x5b, 0x6f, 0x5e);
    c.keyword = dark ? QColor(0x86, 0xa8, 0xf5) : QColor(0x1a, 0x3f, 0xa0);
    c.type = dark ? QColor(0x4f, 0xc4, 0xcf) : QColor(0x00, 0x6d, 0x77);
    c.string = dark ? QColor(0xf0, 0x8a, 0x80) : QColor(0xa3, 0x1d, 0x1d);
    c.number = dark ? QColor(0xe3, 0xb3, 0x62) : QColor(0x8a, 0x4b, 0x00);
    c.quoted = dark ? QColor(0xc4, 0xa0, 0xee) : QColor(0x6b, 0x3f, 0x91);
    c.operator_ = mixColors(c.text, c.paper, 0.25);
    for (QColor* ink : {&c.comment, &c.keyword, &c.type, &c.string, &c.number, &c.quoted, &c.operator_})
        *ink = legibleOn(*ink, c.paper);
    c.error = legibleOn(QColor(0xd0, 0x1c, 0x1c), c.paper, 3);
    c.warning = legibleOn(QColor(0xc7, 0x7c, 0x02), c.paper, 3);
    c.note = legibleOn(QColor(0x3b, 0x6e, 0xc5), c.paper, 3);
    return c;
}

void applySqlColors(QsciScintilla* view, const SqlColors& c)
{
    if (auto* lex = qobject_cast<QsciLexerSQL*>(view->lexer())) {
        lex->setDefaultPaper(c.paper);
        lex->setDefaultColor(c.text);
        lex->setPaper(c.paper, -1);
        lex->setColor(c.text, -1);
        for (int style : {QsciLexerSQL::Comment, QsciLexerSQL::CommentLine, QsciLexerSQL::CommentDoc,
                          QsciLexerSQL::CommentLineHash, QsciLexerSQL::PlusComment, QsciLexerSQL::CommentDocKeyword,
                          QsciLexerSQL::CommentDocKeywordError})
            lex->setColor(c.comment, style);
        lex->setColor(c.keyword, QsciLexerSQL::Keyword);
        lex->setColor(c.type, QsciLexerSQL::KeywordSet5);
        lex->setColor(c.string, QsciLexerSQL::SingleQuotedString);
        lex->setColor(c.quoted, QsciLexerSQL::DoubleQuotedString);   // "identifiers" in PostgreSQL
        lex->setColor(c.quoted, QsciLexerSQL::QuotedIdentifier);
        lex->setColor(c.number, QsciLexerSQL::Number);
        lex->setColor(c.operator_, QsciLexerSQL::Operator);
        lex->setColor(c.keyword, QsciLexerSQL::PlusKeyword);
        lex->setColor(c.string, QsciLexerSQL::PlusPrompt);
    } else {
        view->setPaper(c.paper);
        view->setColor(c.text);
    }
    view->setCaretForegroundColor(c.text);
    view->setCaretLineBackgroundColor(c.caretLine);
    view->setSelectionBackgroundColor(c.selection);
    view->setSelectionForegroundColor(c.text);
    view->setMatchedBraceBackgroundColor(c.matchedBrace);
    view->setMatchedBraceForegroundColor(c.text);
    view->setUnmatchedBraceForegroundColor(c.error);
    view->setUnmatchedBraceBackgroundColor(c.paper);
    view->setMarginsBackgroundColor(c.marginPaper);
    view->setMarginsForegroundColor(c.marginText);
    view->setFoldMarginColors(c.marginPaper, c.marginPaper);
    for (int marker = kFirstFoldMarker; marker <= kLastFoldMarker; ++marker) {
        view->setMarkerForegroundColor(c.marginPaper, marker);
        view->setMarkerBackgroundColor(c.marginText, marker);
    }
}

void followPaletteWithSqlColors(QsciScintilla* view)
{
    followPalette(view, [view] { applySqlColors(view, sqlColorsFor(view->palette())); });
}

} // namespace lockstep::ui
