// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/common/legible_item_delegate.h"

#include "ui/common/palette_tools.h"

#include <QWidget>

namespace lockstep::ui {

void LegibleItemDelegate::initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const QVariant own = index.data(Qt::ForegroundRole);
    if (!own.isValid())
        return;
    const QBrush brush = own.value<QBrush>();
    if (brush.style() == Qt::NoBrush) {   // "no colour of its own" (setForeground(QBrush())): the view's text
        option->palette.setColor(QPalette::Text, (option->widget ? option->widget->palette() : QPalette()).color(QPalette::Text));
        return;
    }
    // Selected rows are drawn in HighlightedText by the style; this is the unselected row's colour.
    const QColor background = option->palette.color(
        (option->features & QStyleOptionViewItem::Alternate) ? QPalette::AlternateBase : QPalette::Base);
    option->palette.setColor(QPalette::Text, legibleOn(brush.color(), background));
}

} // namespace lockstep::ui
