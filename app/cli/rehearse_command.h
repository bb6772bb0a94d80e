// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QStringList>

namespace lockstep::cli {

// lockstep rehearse: the plan run on a private copy of its table with production-shaped synthetic rows
// (core/rehearse/rehearsal.h); production is only read.
int rehearseCommand(const QStringList& args);

} // namespace lockstep::cli
