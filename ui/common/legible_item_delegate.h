// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QStyledItemDelegate>

namespace lockstep::ui {

// Draws an item's own text colour (Qt::ForegroundRole: a run state in green or red) lifted or deepened at
// paint time until it reads at 4.5:1 on the row's background, so the colours the models choose for a
// light palette stay readable under a dark one, and follow a palette switch without refilling the view.
class LegibleItemDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override;
};

} // namespace lockstep::ui
