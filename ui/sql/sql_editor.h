// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/pg/catalog.h"
#include "core/pg/table_snapshot.h"
#include "ui/sql/sql_colors.h"

#include <Qsci/qsciscintilla.h>

#include <QString>

class QLabel;
#include <QVector>

namespace lockstep::ui {

class SqlCompletionApis;

// The SQL editor: PostgreSQL highlighting in the palette's colours (ui/sql_colors.h: dark paper under a
// dark palette), line numbers, folding, completion of schema, table and column names (after two letters,
// after "schema." or "table.", or on Ctrl+Space), and marks
// for what the linter or the server found: a red squiggle with a margin dot for the parse error, an amber
// squiggle with a margin triangle for a statement with hazards. Hovering a mark shows its message.
// Offsets are character offsets into text() (QString indices), as the linter reports them; the editor
// converts them to Scintilla's UTF-8 byte positions.
class SqlEditor : public QsciScintilla {
    Q_OBJECT
public:
    enum class Severity { Note, Warning, Error };

    explicit SqlEditor(QWidget* parent = nullptr);

    // Shown over the empty editor (QScintilla has no placeholder of its own).
    void setPlaceholderText(const QString& text);
    QString placeholderText() const;
    bool isPlaceholderVisible() const;

    void setCatalog(const pg::CatalogSnapshot& catalog);
    void setCompletionTables(QMap<QString, QStringList> tablesBySchema);   // built off the GUI thread
    void addTableColumns(const TableSnapshot& table);
    // What completion offers for the text before the cursor, e.g. "public.ord" (the popup's list).
    QStringList completionsFor(const QString& textBeforeCursor) const;

    // The parse or server error at `charOffset` (the word there is underlined; the end of the text marks
    // its last character). One error at a time: a new one replaces the old.
    void showError(int charOffset, const QString& message);
    void clearErrors();
    QString errorMessage() const { return m_errorMessage; }

    // Underlines a statement (lint hazards); `message` is its tooltip.
    void markStatement(int charOffset, int length, Severity severity, const QString& message = QString());
    void clearStatementMarks();

    // Selects the range and scrolls it into view (unfolding it).
    void selectRange(int charOffset, int length);

    // Whether a mark of `severity` covers the character at `charOffset`, and its message (for tests and tooltips).
    bool hasMarkAt(int charOffset, Severity severity) const;
    QString messageAt(int charOffset) const;
    // Lines (0-based) carrying the error or a statement marker in the margin.
    bool hasErrorMarker(int line) const;
    bool hasStatementMarker(int line) const;
    // The colours in use, from the current palette (tests check their contrast).
    const SqlColors& colors() const { return m_colors; }

    int bytePosition(int charOffset) const;
    int charOffset(int bytePosition) const;

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void updatePlaceholder();
    void setupFonts();
    void applyColors();
    void setupMargins();
    void onDwellStart(int position, int x, int y);
    void updateLineNumberWidth();
    int indicatorFor(Severity severity) const;
    QString messagesOnLine(int line) const;
    QString messageAtByte(int bytePos) const;

    SqlCompletionApis* m_apis = nullptr;
    QLabel* m_placeholder = nullptr;
    int m_errorIndicator = -1, m_warningIndicator = -1, m_noteIndicator = -1;
    int m_errorMarker = -1, m_warningMarker = -1, m_noteMarker = -1;
    QString m_errorMessage;
    QVector<QString> m_markMessages;   // indicator value - 1 -> message
    SqlColors m_colors;
};

} // namespace lockstep::ui
