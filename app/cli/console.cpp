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

} // namespace lockstep::cli
