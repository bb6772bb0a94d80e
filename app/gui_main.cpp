// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/gui_main.h"

#include "app/demo_launcher.h"
#include "ui/window/tour_guide.h"
#include "ui/window/main_window.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QMessageBox>
#include <QStatusBar>
#include <QTimer>
#include <atomic>
#include <csignal>

namespace lockstep {

namespace {
std::atomic<int> g_quitSignal{0};
extern "C" void onQuitSignal(int sig) { g_quitSignal = sig; }
} // namespace

int runGui(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("lockstep"));
    QApplication::setApplicationDisplayName(QStringLiteral("Lockstep"));
    QApplication::setApplicationVersion(QStringLiteral(LOCKSTEP_VERSION));
    QApplication::setOrganizationName(QStringLiteral("lockstep"));   // QSettings: ~/.config/lockstep/lockstep.conf
    QApplication::setDesktopFileName(QStringLiteral("io.github.lockstep.Lockstep"));   // Wayland matches the .desktop
    QIcon icon;
    for (int size : {16, 22, 24, 32, 48, 64, 128, 256, 512})
        icon.addFile(QStringLiteral(":/icons/%1x%1/lockstep.png").arg(size), QSize(size, size));
    QApplication::setWindowIcon(icon);

    QCommandLineParser parser;
    parser.addOption({QStringLiteral("demo"), QStringLiteral("Start a private demo database with live traffic and open it.")});
    parser.addOption({QStringLiteral("tour"), QStringLiteral("With --demo: play a guided example on the demo's big table, "
                                                             "up to the switch gate.")});
    parser.parse(QApplication::arguments());   // Qt's own options (-platform ...) are already consumed

    ui::MainWindow window;
    DemoLauncher demo;   // destroyed before the window: stops traffic, removes the servers
    auto startDemo = [&] {
        if (demo.isStarted())
            return;
        window.statusBar()->showMessage(QObject::tr("Demo: starting a private PostgreSQL…"));
        demo.start();
    };
    QObject::connect(&window, &ui::MainWindow::demoRequested, &window, startDemo);
    QObject::connect(&demo, &DemoLauncher::progress, &window, [&](const QString& stage, double fraction) {
        window.statusBar()->showMessage(QObject::tr("Demo: %1… %2 %").arg(stage).arg(qRound(fraction * 100)));
    });
    QObject::connect(&demo, &DemoLauncher::ready, &window, [&](const QString& conninfo) {
        window.statusBar()->showMessage(QObject::tr("Demo database ready: a private server with a replica and live traffic"), 8000);
        window.connectTo(conninfo, QObject::tr("demo shop"));
    });
    QObject::connect(&demo, &DemoLauncher::failed, &window, [&](const QString& message) {
        window.statusBar()->clearMessage();
        QMessageBox box(QMessageBox::Critical, QObject::tr("The demo could not start"),
                        QObject::tr("Lockstep could not start its private PostgreSQL server. Is PostgreSQL 15 installed "
                                    "(Debian package postgresql-15)?"), QMessageBox::Ok, &window);
        box.setDetailedText(message);
        box.exec();
    });

    // A signal handler may only set a flag; the event loop quits so that everything is torn down in order.
    std::signal(SIGINT, onQuitSignal);
    std::signal(SIGTERM, onQuitSignal);
    QTimer signalPoll;
    QObject::connect(&signalPoll, &QTimer::timeout, &app, [] {
        if (g_quitSignal)
            QApplication::quit();
    });
    signalPoll.start(200);

    window.restoreLayout();
    window.show();
    if (parser.isSet(QStringLiteral("tour")))
        new ui::TourGuide(&window);   // owned by the window
    if (parser.isSet(QStringLiteral("demo")) || parser.isSet(QStringLiteral("tour")))
        startDemo();
    return app.exec();
}

} // namespace lockstep
