// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/plan/plan.h"

#include <QString>

namespace lockstep::run {

// Moves a journaled run past the phase it was created to stop at (createRun(..., until)): the run's stored
// plan gains the later steps of `fullPlan` up to and including `until` (as pending steps) and its "until"
// phase moves, so a new Runner on the same run id carries on through them (and a rollback covers them).
// The run's stored steps must be the first steps of `fullPlan` (same ids, in order); nothing is written
// otherwise. Extending to a phase the run already reaches changes nothing. Call it only while no Runner
// works on the run. Throws store::JournalError (journal trouble) or std::invalid_argument (mismatch).
void extendRun(const QString& journalPath, qint64 runId, const Plan& fullPlan, Phase until);

} // namespace lockstep::run
