// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/plan/plan.h"
#include "core/store/journal.h"

namespace lockstep::run {

// Records a new run of `plan` up to and including phase `until` (its later steps are not stored), ready
// for a Runner. `conninfo` is stored without its password. Returns the run id.
qint64 createRun(store::Journal& journal, const Plan& plan, const QString& conninfo, Phase until);

} // namespace lockstep::run
