// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>
#include <QTextStream>

namespace lockstep::cli {

QTextStream& out();   // stdout, UTF-8
QTextStream& err();   // stderr, UTF-8
// Prints "lockstep: MESSAGE" and a pointer to --help on stderr; returns ExitInvalidInput.
int usageError(const QString& message);

} // namespace lockstep::cli
