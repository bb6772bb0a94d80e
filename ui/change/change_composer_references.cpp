// SPDX-License-Identifier: GPL-3.0-or-later
// The composer's foreign key inputs: the tables it can reference (from the catalog snapshot) and, for the
// one picked, its columns that alone are unique (asked of the server).
#include "ui/change/change_composer.h"

#include <QCheckBox>
#include <QComboBox>
#include <QStringListModel>

namespace lockstep::ui {

void ChangeComposer::setCatalog(const pg::CatalogSnapshot& snapshot)
{
    m_catalogTables = snapshot.tables;
    m_refTablesStale = true;
    if (m_references->isChecked())
        fillReferenceTables();
    for (const pg::TableStats& t : snapshot.tables)
        if (t.oid == m_table.oid) {
            updateStats(t);
            break;
        }
}

void ChangeComposer::fillReferenceTables()
{
    if (!m_refTablesStale)
        return;
    m_refTablesStale = false;
    const QString typed = m_refTable->currentText();
    QStringList names;
    names.reserve(m_catalogTables.size());
    m_refTableOids.clear();
    m_refTableOids.reserve(m_catalogTables.size());
    for (const pg::TableStats& t : m_catalogTables) {
        names << t.qualifiedName();
        m_refTableOids << t.oid;
    }
    const QSignalBlocker block(m_refTable);
    m_refTables->setStringList(names);
    const int again = names.indexOf(typed);
    m_refTable->setCurrentIndex(again);
    if (again < 0)
        m_refTable->setEditText(typed);
}

quint32 ChangeComposer::pickedReferenceOid() const
{
    const int index = m_refTable->currentIndex();
    if (index < 0 || index >= m_refTableOids.size() || m_refTable->itemText(index) != m_refTable->currentText())
        return 0;
    return m_refTableOids.at(index);
}

void ChangeComposer::referenceTableChosen()
{
    const quint32 oid = pickedReferenceOid();
    if (!m_references->isChecked() || oid == 0 || oid == m_refOid) {
        scheduleValidation();
        return;
    }
    m_refOid = oid;
    const QSignalBlocker block(m_refColumn);
    m_refColumn->clear();
    m_refColumn->addItem(tr("(loading…)"));
    m_refColumn->setEnabled(false);
    emit referenceColumnsRequested(oid);
    scheduleValidation();
}

void ChangeComposer::setReferenceColumns(quint32 oid, const QVector<ReferenceColumn>& columns)
{
    if (oid != m_refOid)
        return;
    const QSignalBlocker block(m_refColumn);
    m_refColumn->clear();
    for (const ReferenceColumn& c : columns)
    {
        m_refColumn->addItem(QStringLiteral("%1  —  %2").arg(c.name, c.type), c.name);
        m_refColumn->setItemData(m_refColumn->count() - 1,
                                 c.primary ? tr("%1: the primary key (%2)").arg(c.name, c.type)
                                           : tr("%1: unique (%2)").arg(c.name, c.type),
                                 Qt::ToolTipRole);
    }
    if (columns.isEmpty()) {
        m_refColumn->addItem(tr("(no unique column)"));
        m_refColumn->setToolTip(tr("A foreign key needs a primary key or unique index on exactly one column of the "
                                   "referenced table; this table has none."));
    }
    m_refColumn->setEnabled(m_references->isChecked() && !columns.isEmpty());
    scheduleValidation();
}

void ChangeComposer::setReferenceColumnsError(quint32 oid, const QString& message)
{
    if (oid != m_refOid)
        return;
    const QSignalBlocker block(m_refColumn);
    m_refColumn->clear();
    m_refColumn->addItem(tr("(could not read columns)"));
    m_refColumn->setEnabled(false);
    showProblem(QStringLiteral("references"), tr("could not read the table's unique columns: %1").arg(message));
}

void ChangeComposer::updateReferenceControls()
{
    const bool on = m_references->isChecked();
    m_refTable->setEnabled(on);
    m_refColumn->setEnabled(on && m_refColumn->count() > 0 && !m_refColumn->itemData(0).toString().isEmpty());
    m_onDelete->setEnabled(on);
}

} // namespace lockstep::ui
