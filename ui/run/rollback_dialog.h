// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QDialog>
#include <QVector>

class QPushButton;
class QTextBrowser;

namespace lockstep::ui {

// One step a rollback will undo, in the order it runs (the last step first).
struct RollbackItem {
    int index = 0;            // position in the plan
    QString title;
    QString state;            // journal name: "done", "failed", "pending" (started and interrupted), ...
    QString sql;              // its rollback SQL; empty: nothing to undo
    QString note;             // when `sql` is empty: why nothing needs undoing
};

// Confirms a rollback: lists exactly the steps it undoes, last first, each with its whole rollback SQL.
class RollbackDialog : public QDialog {
    Q_OBJECT
public:
    RollbackDialog(const QString& table, const QVector<RollbackItem>& items, QWidget* parent = nullptr);

    // For tests.
    int itemCount() const { return m_items.size(); }
    QString itemText(int row) const;     // "3. Add column … (done) — ALTER TABLE … DROP COLUMN …"
    QString shownText() const;           // everything the dialog lists, as plain text
    QPushButton* rollbackButton() const { return m_ok; }

private:
    QVector<RollbackItem> m_items;
    QTextBrowser* m_list;
    QPushButton* m_ok;
};

} // namespace lockstep::ui
