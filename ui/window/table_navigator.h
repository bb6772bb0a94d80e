// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/pg/catalog.h"

#include <QFrame>

class QLabel;
class QToolButton;

namespace lockstep::ui {

// The map folded to one line while the work is in the flow (composing, planning, running, history): the
// selected table with its size, rows, writes and lock risk, and one button (or Ctrl+M) that brings the
// tables and the map back.
class TableNavigator : public QFrame {
    Q_OBJECT
public:
    explicit TableNavigator(QWidget* parent = nullptr);

    void setTable(const pg::TableStats& table);   // the selected table, or fresh rates for it
    void clear();                                  // no table selected
    QString text() const;                          // what the line says (tests)
    QToolButton* showMapButton() const { return m_showMap; }

signals:
    void showMapRequested();

private:
    QToolButton* m_showMap;
    QLabel* m_name;
    QLabel* m_facts;
    QLabel* m_risk;
};

} // namespace lockstep::ui
