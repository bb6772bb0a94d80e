// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "ui/server/catalog_types.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTreeView;

namespace lockstep::ui {

class TableListModel;

// The table list beside the map: a filter box, then the tables sortable by name, size, rows, writes and
// risk, with size bars and risk badges. Largest first until the user sorts otherwise.
class TableList : public QWidget {
    Q_OBJECT
public:
    explicit TableList(QWidget* parent = nullptr);

    void setTables(const QVector<pg::TableStats>& tables);
    const pg::TableStats* table(quint32 oid) const;
    int tableCount() const;       // all tables of the snapshot
    int visibleCount() const;     // those the filter lets through
    QTreeView* view() const { return m_view; }
    QLineEdit* filterEdit() const { return m_filter; }

public slots:
    void selectTable(quint32 oid);   // selects and scrolls to it, without emitting tableSelected
    void focusFilter();

signals:
    void tableSelected(quint32 oid);

private:
    void updateCount();

    TableListModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTreeView* m_view;
    QLineEdit* m_filter;
    QLabel* m_count;
    bool m_selecting = false;
};

} // namespace lockstep::ui
