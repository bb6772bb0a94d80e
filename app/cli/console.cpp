// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/console.h"

#include "app/cli/cli.h"

#include <cstdio>

namespace lockstep::cli {

QTextStream& out()
{
    static QTextStream s(stdout);
    return s;
}

QTextStream& err()
{
    static QTextStream s(stderr);
    return s;
}

int usageError(const QString& message)
{
    err() << "lockstep: " << message << "\n(see --help)" << Qt::endl;
    return ExitInvalidInput;
}

QString subcommandHelp(const QString& helpText, const QString& subcommand)
{
    // QCommandLineParser names the binary's path; scripts and the man page expect the subcommand.
    const int end = helpText.indexOf(QLatin1Char('\n'));
    return QStringLiteral("Usage: lockstep %1 [options]").arg(subcommand) + helpText.mid(end);
}

} // namespace lockstep::cli
