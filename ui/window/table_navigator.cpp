// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/window/table_navigator.h"

#include "ui/common/display_format.h"
#include "ui/common/risk_palette.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace lockstep::ui {

TableNavigator::TableNavigator(QWidget* parent)
    : QFrame(parent), m_showMap(new QToolButton(this)), m_name(new QLabel(this)), m_facts(new QLabel(this)),
      m_risk(new QLabel(this))
{
    setObjectName(QStringLiteral("tableNavigator"));
    setFrameShape(QFrame::StyledPanel);
    m_showMap->setText(tr("▾ Tables and map"));
    m_showMap->setToolTip(tr("Show the table list, the schema map and the table's details again (Ctrl+M)"));
    m_showMap->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_showMap->setAutoRaise(false);
    m_name->setTextFormat(Qt::PlainText);
    QFont bold = m_name->font();
    bold.setBold(true);
    m_name->setFont(bold);
    m_facts->setTextFormat(Qt::PlainText);
    m_facts->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_risk->setContentsMargins(6, 1, 6, 1);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 8, 2);
    layout->addWidget(m_showMap);
    layout->addSpacing(8);
    layout->addWidget(m_name);
    layout->addWidget(m_facts, 1);
    layout->addWidget(m_risk);
    connect(m_showMap, &QToolButton::clicked, this, &TableNavigator::showMapRequested);
    clear();
}

void TableNavigator::setTable(const pg::TableStats& t)
{
    m_name->setText(t.qualifiedName() + (t.relkind == 'p' ? tr(" (partitioned)") : QString()));
    const QString facts = QStringLiteral("%1 · %2 rows · %3")
                        .arg(sizeText(t.totalBytes), countText(t.rows), tableWritesText(t.writesPerSecond, t.ownWritesPerSecond));
    m_facts->setText(facts);
    const QColor fill = riskColor(t.risk);
    m_risk->setText(tr("Lock risk %1 — %2").arg(t.risk).arg(riskWord(t.risk)));
    m_risk->setStyleSheet(QStringLiteral("QLabel { background: %1; color: %2; border-radius: 4px; font-weight: bold; }")
                              .arg(fill.name(), textColorOn(fill).name()));
    m_risk->setToolTip(t.riskReasons.join(QLatin1Char('\n')));
    m_risk->show();
}

void TableNavigator::clear()
{
    m_name->setText(tr("No table selected"));
    m_facts->setText(tr("pick one on the map"));
    m_risk->hide();
}

QString TableNavigator::text() const
{
    return QStringList{m_name->text(), m_facts->text(), m_risk->isVisible() ? m_risk->text() : QString()}.join(QStringLiteral(" · "));
}

} // namespace lockstep::ui
