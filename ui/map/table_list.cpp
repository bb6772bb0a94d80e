// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/map/table_list.h"

#include "ui/common/display_format.h"
#include "ui/map/table_list_delegate.h"
#include "ui/map/table_list_model.h"

#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTreeView>
#include <QVBoxLayout>

namespace lockstep::ui {

namespace {
// Sorts with the model's typed comparison rather than QVariants; filters on the shown name.
class TableListProxy : public QSortFilterProxyModel {
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

protected:
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override
    {
        return static_cast<const TableListModel*>(sourceModel())->rowLessThan(left.row(), right.row(), left.column());
    }
};
} // namespace

TableList::TableList(QWidget* parent) : QWidget(parent)
{
    m_model = new TableListModel(this);
    m_proxy = new TableListProxy(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(Qt::UserRole);
    m_proxy->setFilterKeyColumn(TableListModel::Name);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

    m_filter = new QLineEdit(this);
    m_filter->setPlaceholderText(tr("Filter tables (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString& text) {
        m_proxy->setFilterFixedString(text);
        updateCount();
    });

    m_view = new QTreeView(this);
    m_view->setModel(m_proxy);
    m_view->setItemDelegate(new TableListDelegate(m_view));
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);    // keeps 10,000 rows cheap to lay out
    m_view->setAlternatingRowColors(true);
    m_view->setSortingEnabled(true);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAllColumnsShowFocus(true);
    m_view->sortByColumn(TableListModel::Size, Qt::DescendingOrder);
    QHeaderView* header = m_view->header();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(TableListModel::Name, QHeaderView::Stretch);
    const int digit = fontMetrics().horizontalAdvance(QLatin1Char('0'));
    header->resizeSection(TableListModel::Size, digit * 10);
    header->resizeSection(TableListModel::Rows, digit * 6);
    header->resizeSection(TableListModel::Writes, digit * 7);
    header->resizeSection(TableListModel::Risk, digit * 6);
    header->setMinimumSectionSize(digit * 4);

    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& current) {
        if (m_selecting || !current.isValid())
            return;
        emit tableSelected(current.data(TableListModel::kOidRole).toUInt());
    });

    m_count = new QLabel(this);
    m_count->setForegroundRole(QPalette::PlaceholderText);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_filter);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_count);
    updateCount();
}

void TableList::setTables(const QVector<pg::TableStats>& tables)
{
    const quint32 selected = m_view->currentIndex().data(TableListModel::kOidRole).toUInt();
    m_model->setTables(tables);
    if (selected && m_view->currentIndex().data(TableListModel::kOidRole).toUInt() != selected)
        selectTable(selected);
    updateCount();
}

const pg::TableStats* TableList::table(quint32 oid) const { return m_model->table(oid); }
int TableList::tableCount() const { return m_model->rowCount(); }
int TableList::visibleCount() const { return m_proxy->rowCount(); }

void TableList::selectTable(quint32 oid)
{
    const int row = m_model->rowOf(oid);
    if (row < 0)
        return;
    QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    if (!index.isValid()) {          // hidden by the filter: clear the filter rather than hide the selection
        m_filter->clear();
        index = m_proxy->mapFromSource(m_model->index(row, 0));
    }
    m_selecting = true;
    m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_view->scrollTo(index);
    m_selecting = false;
}

void TableList::focusFilter()
{
    m_filter->setFocus(Qt::ShortcutFocusReason);
    m_filter->selectAll();
}

void TableList::updateCount()
{
    const int all = tableCount();
    const int shown = visibleCount();
    if (all == 0)
        m_count->setText(tr("No tables"));
    else if (shown == all)
        m_count->setText(tr("%1 tables").arg(groupedNumber(all)));
    else
        m_count->setText(tr("%1 of %2 tables").arg(groupedNumber(shown), groupedNumber(all)));
}

} // namespace lockstep::ui
