// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "ui/server/catalog_types.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QStackedWidget;
class QTabWidget;
class QTreeWidget;

namespace lockstep::ui {

// The detail pane for the selected table: sizes, rows and rates, the lock risk with its reasons in words,
// and the structure (columns, indexes, constraints, triggers) which arrives a moment later from the
// database thread.
class TableDetail : public QWidget {
    Q_OBJECT
public:
    explicit TableDetail(QWidget* parent = nullptr);

    void showTable(const pg::TableStats& stats);     // structure shows "Loading…" until setStructure
    void updateStats(const pg::TableStats& stats);   // a rates refresh of the same table
    void setStructure(const TableSnapshot& table);
    void setStructureError(const QString& message);
    void clear();

    quint32 currentOid() const { return m_oid; }
    QString titleText() const;
    QString reasonsText() const;   // the lock-risk reasons as shown (HTML)
    QString summaryText() const;   // "136 kB · 500 rows · 12 writes/s · 3 reads/s" as shown
    QTreeWidget* columnsView() const { return m_columns; }
    QTreeWidget* indexesView() const { return m_indexes; }
    QTreeWidget* constraintsView() const { return m_constraints; }

signals:
    void addColumnRequested(quint32 oid);

private:
    void fillStats(const pg::TableStats& stats);

    quint32 m_oid = 0;
    QStackedWidget* m_pages;
    QLabel* m_title;
    QLabel* m_summary;
    QLabel* m_badge;
    QLabel* m_reasons;
    QLabel* m_sizes;
    QLabel* m_structureState;
    QTabWidget* m_tabs;
    QTreeWidget* m_columns;
    QTreeWidget* m_indexes;
    QTreeWidget* m_constraints;
    QTreeWidget* m_triggers;
    QPushButton* m_addColumn;
};

} // namespace lockstep::ui
