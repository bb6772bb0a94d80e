// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/map/table_list_model.h"

#include "ui/common/display_format.h"
#include "ui/common/risk_palette.h"

namespace lockstep::ui {

TableListModel::TableListModel(QObject* parent) : QAbstractTableModel(parent) {}

void TableListModel::setTables(const QVector<pg::TableStats>& tables)
{
    bool sameSet = tables.size() == m_tables.size();
    for (int i = 0; sameSet && i < tables.size(); ++i)
        sameSet = tables[i].oid == m_tables[i].oid;
    qint64 maxBytes = 1;
    for (const auto& t : tables)
        maxBytes = std::max(maxBytes, t.totalBytes);
    if (sameSet) {
        m_tables = tables;
        m_maxBytes = maxBytes;
        if (!m_tables.isEmpty())
            emit dataChanged(index(0, 0), index(int(m_tables.size()) - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_tables = tables;
    m_maxBytes = maxBytes;
    m_rowByOid.clear();
    m_rowByOid.reserve(m_tables.size());
    for (int i = 0; i < m_tables.size(); ++i)
        m_rowByOid.insert(m_tables[i].oid, i);
    endResetModel();
}

const pg::TableStats* TableListModel::table(quint32 oid) const
{
    const int row = rowOf(oid);
    return row < 0 ? nullptr : &m_tables[row];
}

bool TableListModel::rowLessThan(int left, int right, int column) const
{
    const pg::TableStats& a = m_tables[left];
    const pg::TableStats& b = m_tables[right];
    switch (column) {
    case Size: return a.totalBytes < b.totalBytes;
    case Rows: return a.rows < b.rows;
    case Writes: return a.writesPerSecond < b.writesPerSecond;
    case Risk: return a.risk < b.risk;
    default: {
        const int bySchema = a.schema.compare(b.schema, Qt::CaseInsensitive);
        return bySchema != 0 ? bySchema < 0 : a.name.compare(b.name, Qt::CaseInsensitive) < 0;
    }
    }
}

int TableListModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_tables.size()); }
int TableListModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant TableListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_tables.size())
        return {};
    const pg::TableStats& t = m_tables[index.row()];
    if (role == kOidRole)
        return t.oid;
    if (role == kRiskRole)
        return t.risk;
    if (role == kSizeFractionRole)
        return double(t.totalBytes) / double(m_maxBytes);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Name: return t.schema == QLatin1String("public") ? t.name : t.schema + QLatin1Char('.') + t.name;
        case Size: return sizeText(t.totalBytes);
        case Rows: return countText(t.rows);
        case Writes:   // compact above 10,000 so the column stays narrow
            return t.writesPerSecond < 10000 ? rateText(t.writesPerSecond, tr("/s")) : countText(t.writesPerSecond) + tr("/s");
        case Risk: return QString::number(t.risk);
        }
        break;
    case Qt::UserRole:   // sort key
        switch (index.column()) {
        case Name: return QString(t.schema + QLatin1Char('.') + t.name).toLower();
        case Size: return t.totalBytes;
        case Rows: return t.rows;
        case Writes: return t.writesPerSecond;
        case Risk: return t.risk;
        }
        break;
    case Qt::ToolTipRole: {
        QString tip = QStringLiteral("%1.%2 — lock risk %3 (%4)").arg(t.schema, t.name).arg(t.risk).arg(riskWord(t.risk));
        for (const QString& r : t.riskReasons)
            tip += QStringLiteral("\n• ") + r;
        return tip;
    }
    case Qt::TextAlignmentRole:
        return index.column() == Name ? QVariant(Qt::AlignLeft | Qt::AlignVCenter) : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

QVariant TableListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name: return tr("Table");
    case Size: return tr("Size");
    case Rows: return tr("Rows");
    case Writes: return tr("Writes");
    case Risk: return tr("Risk");
    }
    return {};
}

} // namespace lockstep::ui
