// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/workspace.h"

#include "ui/schema_map.h"
#include "ui/table_detail.h"
#include "ui/table_list.h"

#include <QLabel>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

namespace lockstep::ui {

namespace {
QWidget* placeholder(const QString& text, QWidget* parent)
{
    auto* label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setAlignment(Qt::AlignCenter);
    label->setForegroundRole(QPalette::PlaceholderText);
    label->setMargin(12);
    return label;
}
} // namespace

Workspace::Workspace(QWidget* parent) : QWidget(parent)
{
    m_list = new TableList(this);
    m_map = new SchemaMap(this);
    m_detail = new TableDetail(this);

    auto* top = new QSplitter(Qt::Horizontal, this);
    top->addWidget(m_list);
    top->addWidget(m_map);
    top->addWidget(m_detail);
    top->setStretchFactor(0, 3);
    top->setStretchFactor(1, 6);
    top->setStretchFactor(2, 3);
    top->setChildrenCollapsible(false);
    m_list->setMinimumWidth(330);

    m_flow = new QTabWidget(this);
    m_flow->setDocumentMode(true);
    m_flow->addTab(placeholder(tr("Pick a table, then “Add a column…” to compose a change."), m_flow), tr("Change"));
    m_flow->addTab(placeholder(tr("The phased plan appears here once a change is composed."), m_flow), tr("Plan"));
    m_flow->addTab(placeholder(tr("The plan as a SQL script appears here."), m_flow), tr("SQL"));
    m_flow->addTab(placeholder(tr("Nothing is running."), m_flow), tr("Run"));
    m_flow->addTab(placeholder(tr("Past runs appear here."), m_flow), tr("History"));

    m_vertical = new QSplitter(Qt::Vertical, this);
    m_vertical->addWidget(top);
    m_vertical->addWidget(m_flow);
    m_vertical->setStretchFactor(0, 3);
    m_vertical->setStretchFactor(1, 1);
    m_vertical->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_vertical);

    connect(m_map, &SchemaMap::tableClicked, this, &Workspace::selectTable);
    connect(m_list, &TableList::tableSelected, this, &Workspace::selectTable);
    connect(m_detail, &TableDetail::addColumnRequested, this, &Workspace::addColumnRequested);
}

void Workspace::setSnapshot(const pg::CatalogSnapshot& snapshot)
{
    m_map->setEmptyText(tr("This database has no tables yet."));
    m_map->setTables(snapshot.tables);
    m_list->setTables(snapshot.tables);
    if (m_selected && !m_list->table(m_selected)) {
        m_selected = 0;
        m_detail->clear();
    } else if (m_selected) {
        m_detail->updateStats(*m_list->table(m_selected));
    }
}

void Workspace::updateRates(const pg::CatalogSnapshot& snapshot)
{
    m_map->updateTables(snapshot.tables);
    m_list->setTables(snapshot.tables);
    if (const pg::TableStats* t = m_list->table(m_selected))
        m_detail->updateStats(*t);
}

void Workspace::selectTable(quint32 oid)
{
    const pg::TableStats* t = m_list->table(oid);
    if (!t || oid == m_selected)
        return;
    m_selected = oid;
    m_map->selectTable(oid);
    m_list->selectTable(oid);
    m_detail->showTable(*t);
    emit tableSelected(oid);
}

void Workspace::setTableStructure(const TableSnapshot& table) { m_detail->setStructure(table); }

void Workspace::setTableStructureError(quint32 oid, const QString& message)
{
    if (oid == m_detail->currentOid())
        m_detail->setStructureError(message);
}

void Workspace::clear()
{
    m_selected = 0;
    m_map->setEmptyText(tr("Not connected"));
    m_map->setTables({});
    m_list->setTables({});
    m_detail->clear();
}

} // namespace lockstep::ui
