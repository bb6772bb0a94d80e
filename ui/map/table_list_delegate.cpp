// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/map/table_list_delegate.h"

#include "ui/common/risk_palette.h"
#include "ui/map/table_list_model.h"

#include <QPainter>

namespace lockstep::ui {

QSize TableListDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setHeight(std::max(size.height(), option.fontMetrics.height() + 8));
    return size;
}

void TableListDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    if (index.column() == TableListModel::Size) {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        const QString text = opt.text;
        opt.text.clear();
        option.widget->style()->drawControl(QStyle::CE_ItemViewItem, &opt, painter, option.widget);
        const double fraction = index.data(TableListModel::kSizeFractionRole).toDouble();
        const QRect bar = option.rect.adjusted(3, 4, -3, -4);
        QColor barColor = option.palette.color(QPalette::Highlight);
        barColor.setAlpha(70);
        painter->fillRect(QRect(bar.left(), bar.top(), std::max(1, int(bar.width() * fraction)), bar.height()), barColor);
        painter->setPen(option.palette.color(option.state & QStyle::State_Selected ? QPalette::HighlightedText : QPalette::Text));
        painter->drawText(option.rect.adjusted(4, 0, -4, 0), Qt::AlignRight | Qt::AlignVCenter, text);
        return;
    }
    if (index.column() == TableListModel::Risk) {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        opt.text.clear();
        option.widget->style()->drawControl(QStyle::CE_ItemViewItem, &opt, painter, option.widget);
        const int risk = index.data(TableListModel::kRiskRole).toInt();
        const QColor fill = riskColor(risk);
        const QRect badge = option.rect.adjusted(4, 2, -4, -2);
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing);
        painter->setPen(Qt::NoPen);
        painter->setBrush(fill);
        painter->drawRoundedRect(badge, 4, 4);
        painter->setPen(textColorOn(fill));
        painter->drawText(badge, Qt::AlignCenter, QString::number(risk));
        painter->restore();
        return;
    }
    QStyledItemDelegate::paint(painter, option, index);
}

} // namespace lockstep::ui
