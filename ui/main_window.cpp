// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/main_window.h"

#include <QLabel>
#include <QVBoxLayout>

namespace lockstep::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    setWindowTitle(tr("Lockstep"));
    auto* page = new QWidget(this);
    auto* layout = new QVBoxLayout(page);
    auto* title = new QLabel(tr("<h1>Lockstep</h1><p>Zero-downtime new-column changes for PostgreSQL.</p>"
                                "<p>The desktop views are being built. Meanwhile the command line plans "
                                "changes: <code>lockstep plan --help</code></p>"),
                             page);
    title->setTextFormat(Qt::RichText);
    title->setAlignment(Qt::AlignCenter);
    title->setWordWrap(true);
    layout->addWidget(title);
    setCentralWidget(page);
    resize(1280, 720);
}

} // namespace lockstep::ui
