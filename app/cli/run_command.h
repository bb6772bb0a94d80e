// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QStringList>

namespace lockstep::cli {

// `lockstep run`: plan a change (flags or --plan FILE.json), journal it and execute it up to --until.
int runCommand(const QStringList& args);
// `lockstep resume RUN_ID`: continue a journaled run from where it stopped.
int resumeCommand(const QStringList& args);
// `lockstep rollback RUN_ID`: undo the run's completed steps, last first.
int rollbackCommand(const QStringList& args);

} // namespace lockstep::cli
