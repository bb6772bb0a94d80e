// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QStringList>

namespace lockstep::cli {

// `lockstep plan`: validate a change, read the table from the server and print its phased plan.
int planCommand(const QStringList& args);

} // namespace lockstep::cli
