// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/map/table_detail.h"

#include "ui/common/display_format.h"
#include "ui/common/risk_palette.h"

#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace lockstep::ui {

namespace {
QTreeWidget* makeTree(const QStringList& headers, QWidget* parent)
{
    auto* tree = new QTreeWidget(parent);
    tree->setHeaderLabels(headers);
    tree->setRootIsDecorated(false);
    tree->setUniformRowHeights(true);
    tree->setAlternatingRowColors(true);
    tree->header()->setStretchLastSection(true);
    return tree;
}

QString constraintKind(char type)
{
    switch (type) {
    case 'p': return QStringLiteral("primary key");
    case 'u': return QStringLiteral("unique");
    case 'f': return QStringLiteral("foreign key");
    case 'c': return QStringLiteral("check");
    case 'x': return QStringLiteral("exclusion");
    case 't': return QStringLiteral("trigger");
    }
    return QString(QLatin1Char(type));
}
} // namespace

TableDetail::TableDetail(QWidget* parent) : QWidget(parent)
{
    m_pages = new QStackedWidget(this);

    auto* empty = new QLabel(tr("Select a table on the map or in the list to see its size, lock risk, columns, "
                                "indexes and constraints."),
                             m_pages);
    empty->setWordWrap(true);
    empty->setAlignment(Qt::AlignCenter);
    empty->setForegroundRole(QPalette::PlaceholderText);
    empty->setMargin(16);
    m_pages->addWidget(empty);

    auto* page = new QWidget(m_pages);
    m_title = new QLabel(page);
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_title->setWordWrap(true);
    m_summary = new QLabel(page);
    m_summary->setWordWrap(true);
    m_badge = new QLabel(page);
    m_badge->setMargin(4);
    m_badge->setSizePolicy(QSizePolicy::Maximum, QSizePolicy::Fixed);
    m_reasons = new QLabel(page);
    m_reasons->setWordWrap(true);
    m_reasons->setTextFormat(Qt::RichText);
    m_sizes = new QLabel(page);
    m_sizes->setWordWrap(true);
    m_sizes->setForegroundRole(QPalette::PlaceholderText);

    m_structureState = new QLabel(page);
    m_structureState->setWordWrap(true);
    m_tabs = new QTabWidget(page);
    m_columns = makeTree({tr("Column"), tr("Type"), tr("Null"), tr("Default")}, m_tabs);
    m_indexes = makeTree({tr("Index"), tr("Definition")}, m_tabs);
    m_constraints = makeTree({tr("Constraint"), tr("Kind"), tr("Definition")}, m_tabs);
    m_triggers = makeTree({tr("Trigger")}, m_tabs);
    m_tabs->addTab(m_columns, tr("Columns"));
    m_tabs->addTab(m_indexes, tr("Indexes"));
    m_tabs->addTab(m_constraints, tr("Constraints"));
    m_tabs->addTab(m_triggers, tr("Triggers"));

    m_addColumn = new QPushButton(tr("Add a column…"), page);
    m_addColumn->setToolTip(tr("Compose a zero-downtime new-column change on this table"));
    connect(m_addColumn, &QPushButton::clicked, this, [this] { emit addColumnRequested(m_oid); });

    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(8, 4, 8, 4);
    layout->addWidget(m_title);
    layout->addWidget(m_summary);
    layout->addWidget(m_badge);
    layout->addWidget(m_reasons);
    layout->addWidget(m_sizes);
    layout->addWidget(m_structureState);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_addColumn, 0, Qt::AlignLeft);
    m_pages->addWidget(page);

    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(m_pages);
    setMinimumWidth(260);
}

QString TableDetail::titleText() const { return m_oid ? m_title->text() : QString(); }
QString TableDetail::reasonsText() const { return m_oid ? m_reasons->text() : QString(); }
QString TableDetail::summaryText() const { return m_oid ? m_summary->text() : QString(); }

void TableDetail::clear()
{
    m_oid = 0;
    m_pages->setCurrentIndex(0);
}

void TableDetail::showTable(const pg::TableStats& stats)
{
    m_oid = stats.oid;
    fillStats(stats);
    for (QTreeWidget* tree : {m_columns, m_indexes, m_constraints, m_triggers})
        tree->clear();
    m_structureState->setText(tr("Loading columns, indexes and constraints…"));
    m_structureState->show();
    m_pages->setCurrentIndex(1);
}

void TableDetail::updateStats(const pg::TableStats& stats)
{
    if (stats.oid == m_oid)
        fillStats(stats);
}

void TableDetail::fillStats(const pg::TableStats& t)
{
    QString title = t.schema + QLatin1Char('.') + t.name;
    if (t.relkind == 'p')
        title += tr(" (partitioned)");
    m_title->setText(title);
    const QString writes = tableWritesText(t.writesPerSecond, t.ownWritesPerSecond);
    m_summary->setText(QStringLiteral("%1 · %2 rows · %3 · %4")
                           .arg(sizeText(t.totalBytes), countText(t.rows), writes, rateText(t.readsPerSecond, tr("reads/s"))));
    const QColor fill = riskColor(t.risk);
    m_badge->setText(tr("Lock risk %1 — %2").arg(t.risk).arg(riskWord(t.risk)));
    m_badge->setStyleSheet(QStringLiteral("QLabel { background: %1; color: %2; border-radius: 4px; font-weight: bold; }")
                               .arg(fill.name(), textColorOn(fill).name()));
    QString reasons;
    for (const QString& r : t.riskReasons)
        reasons += QStringLiteral("<li>%1</li>").arg(r.toHtmlEscaped());
    m_reasons->setText(reasons.isEmpty() ? tr("No risk factors found.")
                                         : QStringLiteral("<ul style=\"margin-left:-20px\">%1</ul>").arg(reasons));
    QStringList sizes{tr("table %1").arg(sizeText(t.heapBytes)), tr("indexes %1").arg(sizeText(t.indexBytes)),
                      tr("TOAST %1").arg(sizeText(t.toastBytes)), tr("%1 dead rows").arg(groupedNumber(t.deadTuples)),
                      tr("autovacuum %1").arg(agoText(t.lastAutovacuum)), tr("autoanalyze %1").arg(agoText(t.lastAutoanalyze))};
    if (!t.hasPrimaryKey)
        sizes << tr("no primary key");
    if (!t.partitionParent.isEmpty())
        sizes << tr("partition of %1").arg(t.partitionParent);
    if (!t.partitionChildren.isEmpty())
        sizes << counted(t.partitionChildren.size(), tr("partition"), tr("partitions"));
    m_sizes->setText(sizes.join(QStringLiteral(" · ")));
}

void TableDetail::setStructure(const TableSnapshot& table)
{
    if (table.oid != m_oid)
        return;
    m_structureState->hide();
    m_columns->clear();
    for (const ColumnInfo& c : table.columns)
        m_columns->addTopLevelItem(new QTreeWidgetItem(
            {c.name, c.type, c.notNull ? tr("not null") : tr("null"), c.defaultExpr}));
    m_indexes->clear();
    for (const IndexInfo& i : table.indexes) {
        QString name = i.name;
        if (!i.valid)
            name += tr(" (INVALID)");
        m_indexes->addTopLevelItem(new QTreeWidgetItem({name, i.definition}));
    }
    m_constraints->clear();
    for (const ConstraintInfo& c : table.constraints) {
        QString kind = constraintKind(c.type);
        if (!c.validated)
            kind += tr(", not validated");
        m_constraints->addTopLevelItem(new QTreeWidgetItem({c.name, kind, c.definition}));
    }
    m_triggers->clear();
    for (const QString& t : table.triggerNames)
        m_triggers->addTopLevelItem(new QTreeWidgetItem({t}));
    m_tabs->setTabText(0, tr("Columns %1").arg(table.columns.size()));
    m_tabs->setTabText(1, tr("Indexes %1").arg(table.indexes.size()));
    m_tabs->setTabText(2, tr("Constraints %1").arg(table.constraints.size()));
    m_tabs->setTabText(3, tr("Triggers %1").arg(table.triggerNames.size()));
    for (QTreeWidget* tree : {m_columns, m_indexes, m_constraints})
        tree->resizeColumnToContents(0);
    m_columns->resizeColumnToContents(1);
}

void TableDetail::setStructureError(const QString& message)
{
    m_structureState->setText(tr("Could not read the table's structure: %1").arg(message));
    m_structureState->show();
}

} // namespace lockstep::ui
