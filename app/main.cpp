// SPDX-License-Identifier: GPL-3.0-or-later
// One executable, two faces: `lockstep` (or `lockstep --demo`) opens the window; `lockstep SUBCOMMAND ...`
// is the CLI, which runs on a QCoreApplication so it needs no display.
#include "app/cli/cli.h"
#include "app/gui_main.h"

#include <QCoreApplication>
#include <cstring>

int main(int argc, char** argv)
{
    const bool cli = argc > 1 && argv[1][0] != '-';
    const bool version = argc > 1 && (std::strcmp(argv[1], "--version") == 0 || std::strcmp(argv[1], "-v") == 0);
    const bool help = argc > 1 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0);
    if (cli || version || help) {
        QCoreApplication app(argc, argv);
        QCoreApplication::setApplicationName(QStringLiteral("lockstep"));
        QCoreApplication::setApplicationVersion(QStringLiteral(LOCKSTEP_VERSION));
        return lockstep::cli::run(QCoreApplication::arguments());
    }
    return lockstep::runGui(argc, argv);
}
