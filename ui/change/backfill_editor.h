// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <Qsci/qsciscintilla.h>

#include <QStringList>

class QLabel;

namespace lockstep::ui {

// A one-line SQL expression editor (QScintilla with the SQL lexer) for the composer's backfill
// expression: no margins or scroll bars, Enter and newlines never enter the text (a paste of several
// lines becomes one), Tab moves on like in a line edit, and the table's columns complete as one types
// (or on Ctrl+Space), inserted quoted when their name needs it.
class BackfillEditor : public QsciScintilla {
    Q_OBJECT
public:
    explicit BackfillEditor(QWidget* parent = nullptr);

    void setColumns(const QStringList& literalNames);
    QStringList columns() const { return m_columns; }
    void setPlaceholderText(const QString& text);
    // The columns that complete the word before the cursor (all of them for an empty word).
    QStringList completionsAt(int position) const;
    // Shows the completion list for the word before the cursor; false if nothing matches.
    bool showCompletions();

    // One line: text given with line breaks arrives with them turned into spaces.
    void setText(const QString& text) override;
    void insert(const QString& text) override;
    void append(const QString& text) override;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    // How a column name is written in an expression: bare when PostgreSQL reads it back unchanged, else
    // double-quoted (mixed case, spaces, reserved words).
    static QString columnReference(const QString& literalName);

signals:
    void returnPressed();

protected:
    void keyPressEvent(QKeyEvent* event) override;
    QByteArray fromMimeData(const QMimeData* source, bool& rectangular) const override;
    void resizeEvent(QResizeEvent* event) override;

private:
    int wordStart(int position) const;
    void insertCompletion(const QString& column);
    void updatePlaceholder();

    QStringList m_columns;
    QLabel* m_placeholder;
};

} // namespace lockstep::ui
