// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/sql/sql_editor.h"

#include "ui/common/palette_tools.h"
#include "ui/sql/sql_editor_completion.h"

#include <Qsci/qscilexersql.h>

#include <QAction>
#include <QFontDatabase>
#include <QLabel>
#include <QResizeEvent>
#include <QToolTip>

namespace lockstep::ui {

namespace {
// PostgreSQL's words, so CONCURRENTLY, VALIDATE or lock_timeout's SET read as keywords (Scintilla's
// default SQL list is a generic one). Lower case, as the lexer wants them.
const char* const kKeywords =
    "abort access add after all alter always analyze and any array as asc attach authorization before begin "
    "between both by cascade case cast check checkpoint cluster collate column comment commit concurrently "
    "conflict constraint constraints copy create cross current_date current_timestamp current_user cursor "
    "cycle data database declare default deferrable deferred delete desc detach distinct do drop each else "
    "enable disable end escape except exclude exclusive execute exists explain extension false fetch filter "
    "first following for foreign from full function generated grant group having identity if ilike immediate "
    "in include increment index inherit initially inner insert instead intersect into is isolation join key "
    "language last lateral leading left level like limit local lock locked logged materialized mode move "
    "natural no not nothing notify nowait null nulls of off offset on only or order outer over overriding "
    "owned owner partition policy preceding prepare primary procedure publication range read recursive "
    "references referencing refresh reindex release rename repeatable replace replica reset restart restrict "
    "return returning returns revoke right role rollback row rows rule savepoint schema select sequence "
    "serializable session set share show similar skip some start statement stored subscription table "
    "tablespace temp temporary then ties to trailing transaction trigger true truncate type unbounded "
    "uncommitted union unique unlogged until update using vacuum valid validate values variadic verbose view "
    "volatile stable immutable when where window with within without work";

// Types and a few built-ins, in a second colour (keyword set 5 of the SQL lexer).
const char* const kTypes =
    "bigint bigserial bit boolean bool box bytea char character cidr circle date decimal double float float4 "
    "float8 inet int int2 int4 int8 integer interval json jsonb line lseg macaddr money numeric oid path point "
    "polygon precision real regclass serial serial2 serial4 serial8 smallint smallserial text time timestamp "
    "timestamptz tsquery tsvector uuid varchar varying xml zone trigger void record "
    "now gen_random_uuid clock_timestamp coalesce nullif greatest least abs lower upper length";

class PostgresLexer : public QsciLexerSQL {
public:
    using QsciLexerSQL::QsciLexerSQL;
    const char* keywords(int set) const override
    {
        if (set == 1)
            return kKeywords;
        if (set == 5)
            return kTypes;
        return QsciLexerSQL::keywords(set);
    }
    // "schema." and "table." start a completion of what lives inside them.
    QStringList autoCompletionWordSeparators() const override { return {QStringLiteral(".")}; }
};

} // namespace

SqlEditor::SqlEditor(QWidget* parent) : QsciScintilla(parent)
{
    setUtf8(true);
    auto* lexer = new PostgresLexer(this);
    lexer->setFoldComments(true);
    lexer->setFoldCompact(false);
    setLexer(lexer);
    m_apis = new SqlCompletionApis(lexer);
    setupFonts();
    setupMargins();

    setTabWidth(4);
    setIndentationsUseTabs(false);
    setAutoIndent(true);
    setBraceMatching(QsciScintilla::SloppyBraceMatch);
    setCaretLineVisible(true);
    setEdgeMode(QsciScintilla::EdgeNone);
    // The horizontal scroll bar follows the longest line instead of Scintilla's fixed 2000 pixels.
    SendScintilla(SCI_SETSCROLLWIDTH, 1);
    SendScintilla(SCI_SETSCROLLWIDTHTRACKING, 1);

    m_placeholder = new QLabel(viewport());
    m_placeholder->setWordWrap(true);
    m_placeholder->setTextFormat(Qt::RichText);
    m_placeholder->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_placeholder->setAttribute(Qt::WA_TransparentForMouseEvents);
    m_placeholder->setAutoFillBackground(false);
    m_placeholder->hide();
    connect(this, &QsciScintilla::textChanged, this, &SqlEditor::updatePlaceholder);

    setAutoCompletionSource(QsciScintilla::AcsAPIs);
    setAutoCompletionThreshold(2);
    setAutoCompletionCaseSensitivity(false);
    setAutoCompletionUseSingle(QsciScintilla::AcusNever);
    setAutoCompletionReplaceWord(false);
    auto* complete = new QAction(tr("Complete name"), this);
    complete->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Space));
    complete->setShortcutContext(Qt::WidgetShortcut);
    connect(complete, &QAction::triggered, this, &QsciScintilla::autoCompleteFromAPIs);
    addAction(complete);

    // Hover over a mark (or its margin symbol) shows the message.
    SendScintilla(SCI_SETMOUSEDWELLTIME, 400);
    connect(this, &QsciScintillaBase::SCN_DWELLSTART, this, &SqlEditor::onDwellStart);
    connect(this, &QsciScintillaBase::SCN_DWELLEND, this, [] { QToolTip::hideText(); });
    connect(this, &QsciScintilla::linesChanged, this, &SqlEditor::updateLineNumberWidth);
    updateLineNumberWidth();
    followPalette(this, [this] { applyColors(); });   // dark paper under a dark palette, switched live
}

void SqlEditor::setPlaceholderText(const QString& text)
{
    m_placeholder->setText(text);
    updatePlaceholder();
}

QString SqlEditor::placeholderText() const
{
    return m_placeholder->text();
}

bool SqlEditor::isPlaceholderVisible() const
{
    return !m_placeholder->isHidden();
}

void SqlEditor::updatePlaceholder()
{
    const bool empty = SendScintilla(SCI_GETLENGTH) == 0;
    if (empty)   // tracking only ever widens: an emptied editor needs no horizontal scroll bar
        SendScintilla(SCI_SETSCROLLWIDTH, 1);
    const bool show = !m_placeholder->text().isEmpty() && empty;
    if (show) {
        // Under the empty first line (the caret stays visible), clear of the margins.
        int margins = 0;
        for (int m = 0; m < 3; ++m)
            margins += marginWidth(m);
        const int left = margins + 6;
        const int width = qMax(120, qMin(viewport()->width() - left - 16, 560));
        const int top = int(SendScintilla(SCI_TEXTHEIGHT, 0)) + 8;
        m_placeholder->setGeometry(left, top, width, m_placeholder->heightForWidth(width));
    }
    m_placeholder->setVisible(show);
}

void SqlEditor::resizeEvent(QResizeEvent* event)
{
    QsciScintilla::resizeEvent(event);
    updatePlaceholder();
}

void SqlEditor::setupFonts()
{
    auto* lex = static_cast<QsciLexerSQL*>(lexer());
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    mono.setPointSizeF(qMax(10.0, QFont().pointSizeF()));
    QFont bold = mono;
    bold.setBold(true);
    QFont italic = mono;
    italic.setItalic(true);
    lex->setFont(mono, -1);
    for (int style : {QsciLexerSQL::Comment, QsciLexerSQL::CommentLine, QsciLexerSQL::CommentDoc,
                      QsciLexerSQL::CommentLineHash, QsciLexerSQL::PlusComment})
        lex->setFont(italic, style);
    lex->setFont(bold, QsciLexerSQL::Keyword);
    setMarginsFont(mono);
}

void SqlEditor::applyColors()
{
    const SqlColors c = sqlColorsFor(palette());
    applySqlColors(this, c);
    m_colors = c;
    setMarkerBackgroundColor(c.error, m_errorMarker);
    setMarkerForegroundColor(c.error, m_errorMarker);
    setMarkerBackgroundColor(c.warning, m_warningMarker);
    setMarkerForegroundColor(mixColors(c.warning, c.text, 0.3), m_warningMarker);
    setMarkerBackgroundColor(c.note, m_noteMarker);
    setMarkerForegroundColor(c.note, m_noteMarker);
    setIndicatorForegroundColor(c.error, m_errorIndicator);
    setIndicatorForegroundColor(c.warning, m_warningIndicator);
    setIndicatorForegroundColor(c.note, m_noteIndicator);
    QPalette pal = m_placeholder->palette();
    pal.setColor(QPalette::WindowText, legibleOn(mixColors(c.text, c.paper, 0.45), c.paper));
    m_placeholder->setPalette(pal);
}

void SqlEditor::setupMargins()
{
    // 0: line numbers, 1: error and hazard symbols, 2: folding.
    setMarginLineNumbers(0, true);
    setMarginMarkerMask(0, 0);
    setMarginType(1, QsciScintilla::SymbolMargin);
    setMarginWidth(1, 16);
    setMarginSensitivity(1, false);
    setFolding(QsciScintilla::BoxedTreeFoldStyle, 2);

    // Their colours come from the palette (applyColors).
    m_errorMarker = markerDefine(QsciScintilla::Circle);
    m_warningMarker = markerDefine(QsciScintilla::RightTriangle);
    m_noteMarker = markerDefine(QsciScintilla::SmallRectangle);
    setMarginMarkerMask(1, (1 << m_errorMarker) | (1 << m_warningMarker) | (1 << m_noteMarker));

    m_errorIndicator = indicatorDefine(QsciScintilla::SquiggleIndicator);
    m_warningIndicator = indicatorDefine(QsciScintilla::SquiggleLowIndicator);
    m_noteIndicator = indicatorDefine(QsciScintilla::DotsIndicator);
    for (int ind : {m_errorIndicator, m_warningIndicator, m_noteIndicator}) {
        SendScintilla(SCI_INDICSETALPHA, ind, 255);
    }
}

void SqlEditor::updateLineNumberWidth()
{
    const int digits = QString::number(qMax(1, lines())).size();
    setMarginWidth(0, QString(qMax(3, digits) + 1, QLatin1Char('9')));
}

void SqlEditor::setCatalog(const pg::CatalogSnapshot& catalog)
{
    m_apis->setCatalog(catalog);
}

void SqlEditor::setCompletionTables(QMap<QString, QStringList> tablesBySchema)
{
    m_apis->setTables(std::move(tablesBySchema));
}

void SqlEditor::addTableColumns(const TableSnapshot& table)
{
    m_apis->addTableColumns(table);
}

QStringList SqlEditor::completionsFor(const QString& textBeforeCursor) const
{
    // The words QScintilla would pass: the word characters before the cursor, split at dots.
    int start = textBeforeCursor.size();
    while (start > 0) {
        const QChar c = textBeforeCursor[start - 1];
        if (!(c.isLetterOrNumber() || c == QLatin1Char('_') || c == QLatin1Char('.') || c == QLatin1Char('$')))
            break;
        --start;
    }
    return m_apis->completions(textBeforeCursor.mid(start).split(QLatin1Char('.')));
}

int SqlEditor::bytePosition(int charOffset) const
{
    const QString all = text();
    return all.left(qBound(0, charOffset, int(all.size()))).toUtf8().size();
}

int SqlEditor::charOffset(int bytePosition) const
{
    const QByteArray utf8 = text().toUtf8();
    return QString::fromUtf8(utf8.left(qBound(0, bytePosition, int(utf8.size())))).size();
}

int SqlEditor::indicatorFor(Severity severity) const
{
    switch (severity) {
    case Severity::Error: return m_errorIndicator;
    case Severity::Warning: return m_warningIndicator;
    case Severity::Note: return m_noteIndicator;
    }
    return m_noteIndicator;
}

void SqlEditor::showError(int charOffset, const QString& message)
{
    clearErrors();
    const int length = int(SendScintilla(SCI_GETLENGTH));
    int start = bytePosition(charOffset);
    int end = int(SendScintilla(SCI_WORDENDPOSITION, start, 1L));
    if (start >= length) {   // "at end of input": mark the last character
        start = qMax(0, length - 1);
        end = length;
    } else if (end <= start) {
        end = int(SendScintilla(SCI_POSITIONAFTER, start));
    }
    SendScintilla(SCI_SETINDICATORCURRENT, m_errorIndicator);
    SendScintilla(SCI_SETINDICATORVALUE, 1);
    SendScintilla(SCI_INDICATORFILLRANGE, start, end - start);
    markerAdd(int(SendScintilla(SCI_LINEFROMPOSITION, start)), m_errorMarker);
    m_errorMessage = message;
}

void SqlEditor::clearErrors()
{
    SendScintilla(SCI_SETINDICATORCURRENT, m_errorIndicator);
    SendScintilla(SCI_INDICATORCLEARRANGE, 0, SendScintilla(SCI_GETLENGTH));
    markerDeleteAll(m_errorMarker);
    m_errorMessage.clear();
}

void SqlEditor::markStatement(int charOffset, int length, Severity severity, const QString& message)
{
    const int start = bytePosition(charOffset);
    const int end = qMax(start + 1, bytePosition(charOffset + length));
    m_markMessages << message;
    // The value is the message's index + 1: it travels with the text as the user edits.
    SendScintilla(SCI_SETINDICATORCURRENT, indicatorFor(severity));
    SendScintilla(SCI_SETINDICATORVALUE, static_cast<unsigned long>(m_markMessages.size()));
    SendScintilla(SCI_INDICATORFILLRANGE, start, end - start);
    const int marker = severity == Severity::Error ? m_errorMarker : severity == Severity::Warning ? m_warningMarker : m_noteMarker;
    markerAdd(int(SendScintilla(SCI_LINEFROMPOSITION, start)), marker);
}

void SqlEditor::clearStatementMarks()
{
    for (int ind : {m_warningIndicator, m_noteIndicator}) {
        SendScintilla(SCI_SETINDICATORCURRENT, ind);
        SendScintilla(SCI_INDICATORCLEARRANGE, 0, SendScintilla(SCI_GETLENGTH));
    }
    markerDeleteAll(m_warningMarker);
    markerDeleteAll(m_noteMarker);
    m_markMessages.clear();
}

void SqlEditor::selectRange(int charOffset, int length)
{
    const int start = bytePosition(charOffset);
    const int end = bytePosition(charOffset + length);
    const int firstLine = int(SendScintilla(SCI_LINEFROMPOSITION, start));
    const int lastLine = int(SendScintilla(SCI_LINEFROMPOSITION, end));
    for (int line = firstLine; line <= lastLine; ++line)
        ensureLineVisible(line);
    // Caret at the start, so the start is what scrolls into view.
    SendScintilla(SCI_SETSEL, end, start);
    SendScintilla(SCI_SCROLLRANGE, end, start);
}

bool SqlEditor::hasMarkAt(int charOffset, Severity severity) const
{
    return SendScintilla(SCI_INDICATORVALUEAT, indicatorFor(severity), bytePosition(charOffset)) != 0;
}

QString SqlEditor::messageAtByte(int bytePos) const
{
    if (SendScintilla(SCI_INDICATORVALUEAT, m_errorIndicator, bytePos) != 0)
        return m_errorMessage;
    for (int ind : {m_warningIndicator, m_noteIndicator}) {
        const int value = int(SendScintilla(SCI_INDICATORVALUEAT, ind, bytePos));
        if (value > 0 && value <= m_markMessages.size())
            return m_markMessages[value - 1];
    }
    return QString();
}

QString SqlEditor::messageAt(int charOffset) const
{
    return messageAtByte(bytePosition(charOffset));
}

QString SqlEditor::messagesOnLine(int line) const
{
    const int from = int(SendScintilla(SCI_POSITIONFROMLINE, line));
    const int to = int(SendScintilla(SCI_GETLINEENDPOSITION, line));
    QStringList messages;
    for (int ind : {m_errorIndicator, m_warningIndicator, m_noteIndicator}) {
        for (int pos = from; pos <= to;) {
            if (SendScintilla(SCI_INDICATORVALUEAT, ind, pos) != 0) {
                const QString m = messageAtByte(pos);
                if (!m.isEmpty() && !messages.contains(m))
                    messages << m;
            }
            const int next = int(SendScintilla(SCI_INDICATOREND, ind, pos));
            if (next <= pos)
                break;
            pos = next;
        }
    }
    return messages.join(QLatin1String("\n\n"));
}

bool SqlEditor::hasErrorMarker(int line) const
{
    return markersAtLine(line) & (1u << m_errorMarker);
}

bool SqlEditor::hasStatementMarker(int line) const
{
    return markersAtLine(line) & ((1u << m_warningMarker) | (1u << m_noteMarker));
}

void SqlEditor::onDwellStart(int position, int x, int y)
{
    QString message;
    int marginWidth = 0;
    for (int m = 0; m < 3; ++m)
        marginWidth += this->marginWidth(m);
    if (x < marginWidth) {
        const int pos = int(SendScintilla(SCI_POSITIONFROMPOINT, marginWidth + 1, y));
        message = messagesOnLine(int(SendScintilla(SCI_LINEFROMPOSITION, pos)));
    } else if (position >= 0) {
        message = messageAtByte(position);
    }
    if (!message.isEmpty())
        QToolTip::showText(viewport()->mapToGlobal(QPoint(x, y)), message, viewport());
}

} // namespace lockstep::ui
