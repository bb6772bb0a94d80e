// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>
#include <QTextStream>

namespace lockstep::cli {

QTextStream& out();   // stdout, UTF-8
QTextStream& err();   // stderr, UTF-8
// Prints "lockstep: MESSAGE" and a pointer to --help on stderr; returns ExitInvalidInput.
int usageError(const QString& message);
// The parser's help with its usage line naming the subcommand ("Usage: lockstep plan [options]").
QString subcommandHelp(const QString& helpText, const QString& subcommand);

} // namespace lockstep::cli
