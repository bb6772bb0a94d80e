// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "ui/catalog_types.h"

#include <QWidget>

class QSplitter;
class QTabWidget;

namespace lockstep::ui {

class SchemaMap;
class TableDetail;
class TableList;

// The connected window's body, laid out in the order of the work: the table list and schema map to pick a
// table, its details beside them, and below the flow of a change (Change, Plan, SQL, Run, History).
// Keeps the three views on one selection.
class Workspace : public QWidget {
    Q_OBJECT
public:
    explicit Workspace(QWidget* parent = nullptr);

    void setSnapshot(const pg::CatalogSnapshot& snapshot);   // a new catalog read
    void updateRates(const pg::CatalogSnapshot& snapshot);   // the same tables with fresh rates
    void setTableStructure(const TableSnapshot& table);
    void setTableStructureError(quint32 oid, const QString& message);
    void clear();

    quint32 selectedOid() const { return m_selected; }
    SchemaMap* map() const { return m_map; }
    TableList* list() const { return m_list; }
    TableDetail* detail() const { return m_detail; }
    QTabWidget* flowTabs() const { return m_flow; }

public slots:
    void selectTable(quint32 oid);

signals:
    void tableSelected(quint32 oid);          // the selection changed (map, list or selectTable)
    void addColumnRequested(quint32 oid);

private:
    SchemaMap* m_map;
    TableList* m_list;
    TableDetail* m_detail;
    QTabWidget* m_flow;
    QSplitter* m_vertical;
    quint32 m_selected = 0;
};

} // namespace lockstep::ui
