// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QStringList>

namespace lockstep::cli {

// `lockstep status [RUN_ID] [--format text|json] [--journal PATH]`: runs and their steps from the journal.
int statusCommand(const QStringList& args);

} // namespace lockstep::cli
