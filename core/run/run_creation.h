// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/pg/connection.h"
#include "core/plan/plan.h"
#include "core/store/journal.h"

namespace lockstep::run {

// Records a new run of `plan` up to and including phase `until` (its later steps are not stored), ready
// for a Runner. `conninfo` is stored without its password. Returns the run id.
qint64 createRun(store::Journal& journal, const Plan& plan, const QString& conninfo, Phase until);

// Resolves the plan's change again on `conn` (ChangeResolver: the table, the type, and the value proven on
// the table's rows) just before a new run installs anything: rows written since the plan was made may
// not convert. Returns why the run must not start (ChangeError's words), or empty. Throws pg::PgException
// for server trouble.
QString reproveChange(pg::Connection& conn, const Plan& plan);

} // namespace lockstep::run
