// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/change/backfill_editor.h"

#include "core/change/sql_syntax.h"
#include "core/plan/ident_quoter.h"
#include "ui/sql/sql_colors.h"

#include <Qsci/qscilexersql.h>

#include <QFontDatabase>
#include <QKeyEvent>
#include <QLabel>
#include <QMimeData>
#include <QRegularExpression>
#include <QTimer>

namespace lockstep::ui {

namespace {
constexpr int kCompletionList = 1;

QString oneLine(QString text)
{
    static const QRegularExpression breaks(QStringLiteral("[\\r\\n]+"));
    return text.replace(breaks, QStringLiteral(" "));
}

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber() || c == QLatin1Char('_') || c == QLatin1Char('$');
}
} // namespace

BackfillEditor::BackfillEditor(QWidget* parent) : QsciScintilla(parent)
{
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    auto* lexer = new QsciLexerSQL(this);
    lexer->setDefaultFont(mono);
    lexer->setFont(mono);
    setLexer(lexer);
    setUtf8(true);
    setMarginWidth(0, 0);
    setMarginWidth(1, 0);
    setMarginWidth(2, 0);
    setFolding(NoFoldStyle);
    setWrapMode(WrapNone);
    setEolMode(EolUnix);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    SendScintilla(SCI_SETHSCROLLBAR, 0L);
    SendScintilla(SCI_SETVSCROLLBAR, 0L);
    SendScintilla(SCI_SETEXTRAASCENT, 2L);
    SendScintilla(SCI_SETEXTRADESCENT, 2L);
    setCaretLineVisible(false);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);   // one line, however tall the form row
    setAutoCompletionSource(AcsNone);   // our own list: the table's columns, quoted as needed
    setAutoCompletionCaseSensitivity(false);

    m_placeholder = new QLabel(viewport());
    m_placeholder->setAttribute(Qt::WA_TransparentForMouseEvents);
    m_placeholder->setForegroundRole(QPalette::PlaceholderText);
    m_placeholder->setFont(mono);
    m_placeholder->move(4, 0);

    connect(this, &QsciScintilla::textChanged, this, [this] {
        // Scintilla forbids changing the document inside its change notification: a line break that came
        // in some other way (a key binding, a direct Scintilla call) is flattened right after it.
        if (text().contains(QLatin1Char('\n')) || text().contains(QLatin1Char('\r')))
            QTimer::singleShot(0, this, [this] { setText(text()); });
        updatePlaceholder();
    });
    followPaletteWithSqlColors(this);
    connect(this, &QsciScintillaBase::SCN_CHARADDED, this, [this](int ch) {
        if (ch < 0x80 && isWordChar(QChar(ch)))
            showCompletions();
        else if (isListActive())
            cancelList();
    });
    connect(this, &QsciScintilla::userListActivated, this, [this](int id, const QString& text) {
        if (id == kCompletionList)
            insertCompletion(text);
    });
    updatePlaceholder();
}

void BackfillEditor::setColumns(const QStringList& literalNames)
{
    m_columns = literalNames;
}

void BackfillEditor::setText(const QString& text)
{
    const QString flat = oneLine(text);
    if (flat != this->text())
        QsciScintilla::setText(flat);
}

void BackfillEditor::insert(const QString& text) { QsciScintilla::insert(oneLine(text)); }

void BackfillEditor::append(const QString& text) { QsciScintilla::append(oneLine(text)); }

void BackfillEditor::setPlaceholderText(const QString& text)
{
    m_placeholder->setText(text);
    m_placeholder->adjustSize();
    updatePlaceholder();
}

void BackfillEditor::updatePlaceholder()
{
    m_placeholder->setVisible(text().isEmpty());
    m_placeholder->resize(viewport()->width() - 8, viewport()->height());
}

void BackfillEditor::resizeEvent(QResizeEvent* event)
{
    QsciScintilla::resizeEvent(event);
    updatePlaceholder();
}

QSize BackfillEditor::sizeHint() const
{
    const int line = int(const_cast<BackfillEditor*>(this)->SendScintilla(SCI_TEXTHEIGHT, 0L));
    return QSize(320, line + 2 * frameWidth() + 4);
}

QSize BackfillEditor::minimumSizeHint() const
{
    return QSize(80, sizeHint().height());
}

QString BackfillEditor::columnReference(const QString& literalName)
{
    static const QRegularExpression plain(QStringLiteral("^[a-z_][a-z0-9_$]*$"));
    if (plain.match(literalName).hasMatch()) {
        QVector<sqlsyntax::Token> tokens;
        sqlsyntax::SyntaxError error;
        const QByteArray utf8 = literalName.toUtf8();
        // Unreserved keywords (name, type, key, ...) read back as columns; the others need quotes.
        if (sqlsyntax::scan(utf8, &tokens, &error) && tokens.size() == 1
            && (tokens[0].kind == sqlsyntax::Ident || tokens[0].keywordKind == sqlsyntax::Unreserved))
            return literalName;
    }
    return offlineIdentQuoter()(literalName);
}

int BackfillEditor::wordStart(int position) const
{
    const QString all = text();
    // QScintilla positions are byte offsets into UTF-8; map back through the text before the cursor.
    const QString before = QString::fromUtf8(all.toUtf8().left(position));
    int i = before.size();
    while (i > 0 && isWordChar(before.at(i - 1)))
        --i;
    return before.left(i).toUtf8().size();
}

QStringList BackfillEditor::completionsAt(int position) const
{
    const QByteArray utf8 = text().toUtf8();
    const QString word = QString::fromUtf8(utf8.mid(wordStart(position), position - wordStart(position)));
    QStringList out;
    for (const QString& c : m_columns)
        if (word.isEmpty() || c.startsWith(word, Qt::CaseInsensitive))
            out << c;
    // A word that is already a whole column name needs no list.
    if (out.size() == 1 && out.first() == word)
        out.clear();
    return out;
}

bool BackfillEditor::showCompletions()
{
    const int position = int(SendScintilla(SCI_GETCURRENTPOS));
    const QStringList matches = completionsAt(position);
    if (matches.isEmpty()) {
        if (isListActive())
            cancelList();
        return false;
    }
    showUserList(kCompletionList, matches);
    return true;
}

void BackfillEditor::insertCompletion(const QString& column)
{
    const int position = int(SendScintilla(SCI_GETCURRENTPOS));
    const int start = wordStart(position);
    SendScintilla(SCI_SETSELECTIONSTART, long(start));
    SendScintilla(SCI_SETSELECTIONEND, long(position));
    replaceSelectedText(columnReference(column));
}

void BackfillEditor::keyPressEvent(QKeyEvent* event)
{
    const bool listOpen = isListActive();
    if (!listOpen && (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter)) {
        emit returnPressed();
        event->accept();
        return;
    }
    if (!listOpen && (event->key() == Qt::Key_Tab || event->key() == Qt::Key_Backtab)) {
        // Like a line edit in a form: Tab moves to the next field.
        QWidget::focusNextPrevChild(event->key() == Qt::Key_Tab && !(event->modifiers() & Qt::ShiftModifier));
        event->accept();
        return;
    }
    if (event->key() == Qt::Key_Space && (event->modifiers() & Qt::ControlModifier)) {
        showCompletions();
        event->accept();
        return;
    }
    QsciScintilla::keyPressEvent(event);
}

// One line only: whatever is pasted or dropped arrives with its line breaks turned into spaces.
QByteArray BackfillEditor::fromMimeData(const QMimeData* source, bool& rectangular) const
{
    QByteArray data = QsciScintilla::fromMimeData(source, rectangular);
    rectangular = false;
    data.replace("\r\n", " ");
    data.replace('\n', ' ');
    data.replace('\r', ' ');
    return data;
}

} // namespace lockstep::ui
