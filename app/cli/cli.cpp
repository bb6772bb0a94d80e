// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/cli.h"

#include "app/cli/console.h"
#include "app/cli/inspect_command.h"
#include "app/cli/rehearse_command.h"
#include "app/cli/lint_command.h"
#include "app/cli/plan_command.h"
#include "app/cli/run_command.h"
#include "app/cli/status_command.h"

#include <QCoreApplication>
#include <exception>

namespace lockstep::cli {

namespace {
const char* kUsage =
    "Usage: lockstep [SUBCOMMAND] [OPTIONS]\n"
    "\n"
    "Zero-downtime new-column changes for PostgreSQL. Without a subcommand, opens the window;\n"
    "`lockstep --demo` opens it on a private demo database with live traffic.\n"
    "\n"
    "Subcommands:\n"
    "  plan     validate a new-column change and print its phased plan (text, sql or json)\n"
    "  run      plan a change and execute it, journaled, up to a phase (default constrain)\n"
    "  resume   continue a journaled run from where it stopped\n"
    "  rollback undo a journaled run's completed steps, last first\n"
    "  rehearse run a change on a private copy of its table with production-shaped rows; report each step\n"
    "  status   show runs from the journal and the state of each step (text or json)\n"
    "  inspect  show the server, its replicas and long transactions, and every table's size, traffic and lock risk\n"
    "  lint     show each SQL statement's lock, rewrite and scan, and its hazards with a fix (text or json)\n"
    "\n"
    "Run `lockstep SUBCOMMAND --help` for its options.\n"
    "Exit codes: 0 ok, 2 invalid input, 3 cannot connect, 4 a step failed (run left resumable),\n"
    "5 lint found hazards, 6 run refused: another run owns the column or is working on the table, 130\n"
    "interrupted by Ctrl+C (run left resumable).\n";
}

int run(const QStringList& args)
{
    if (args.size() < 2 || args[1] == QLatin1String("--help") || args[1] == QLatin1String("-h")) {
        out() << kUsage;
        return ExitOk;
    }
    if (args[1] == QLatin1String("--version") || args[1] == QLatin1String("-v")) {
        out() << "lockstep " << QCoreApplication::applicationVersion() << Qt::endl;
        return ExitOk;
    }
    const QString command = args[1];
    // The subcommand sees itself as the program name, so its --help reads "lockstep plan [options]".
    QStringList rest = args.mid(2);
    rest.prepend(QStringLiteral("lockstep ") + command);
    try {
        if (command == QLatin1String("plan"))
            return planCommand(rest);
        if (command == QLatin1String("status"))
            return statusCommand(rest);
        if (command == QLatin1String("run"))
            return runCommand(rest);
        if (command == QLatin1String("resume"))
            return resumeCommand(rest);
        if (command == QLatin1String("rollback"))
            return rollbackCommand(rest);
        if (command == QLatin1String("inspect")) return inspectCommand(rest);
        if (command == QLatin1String("rehearse")) return rehearseCommand(rest);
        if (command == QLatin1String("lint")) return lintCommand(rest);
    } catch (const std::exception& e) {
        err() << "lockstep " << command << ": internal error: " << e.what() << Qt::endl;
        return ExitFailure;
    }
    return usageError(QStringLiteral("unknown subcommand \"%1\"").arg(command));
}

} // namespace lockstep::cli
