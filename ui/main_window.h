// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QMainWindow>

namespace lockstep::ui {

// The application window. For now a start page; the schema map, composer, plan and run views arrive
// with their issues (see docs/ARCHITECTURE.md).
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
};

} // namespace lockstep::ui
