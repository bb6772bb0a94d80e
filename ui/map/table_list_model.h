// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "ui/server/catalog_types.h"

#include <QAbstractTableModel>
#include <QHash>

namespace lockstep::ui {

// The tables of one catalog snapshot as rows: name, size, rows, writes/s, risk. Qt::UserRole gives the
// number to sort by; kOidRole the table's oid; kRiskRole/kSizeFractionRole feed the delegate's badge and bar.
class TableListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name, Size, Rows, Writes, Risk, ColumnCount };
    static constexpr int kOidRole = Qt::UserRole + 1;
    static constexpr int kSizeFractionRole = Qt::UserRole + 2;
    static constexpr int kRiskRole = Qt::UserRole + 3;

    explicit TableListModel(QObject* parent = nullptr);

    // A different set of tables resets the model; the same set (a rates refresh) only updates values, so
    // selection and scroll position stay.
    void setTables(const QVector<pg::TableStats>& tables);
    const pg::TableStats* table(quint32 oid) const;
    const pg::TableStats& at(int row) const { return m_tables[row]; }
    // Row order for `column` without going through QVariant: sorting 10,000 rows stays a few ms.
    bool rowLessThan(int left, int right, int column) const;
    int rowOf(quint32 oid) const { return m_rowByOid.value(oid, -1); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QVector<pg::TableStats> m_tables;
    QHash<quint32, int> m_rowByOid;
    qint64 m_maxBytes = 1;
};

} // namespace lockstep::ui
