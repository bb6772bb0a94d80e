// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief-lock steps that follow each other and need no stronger lock than the first one takes are run in
// one transaction, so the application queues behind one lock request instead of several (e.g. ADD COLUMN
// then the sync trigger: ACCESS EXCLUSIVE covers SHARE ROW EXCLUSIVE; SET NOT NULL then the drop of the
// helper check). Only catalog-only DDL is combined: a step that reads or writes rows (the catch-up UPDATE,
// VALIDATE, CONCURRENTLY, a backfill) would hold the lock for its whole duration, so it runs alone. Each
// step keeps its own journal entry and rollback.
#include "core/plan/plan.h"

namespace lockstep::run {

// True when `step` takes a lock that traffic queues behind and only changes the catalog.
bool isBriefCatalogStep(const Step& step);

// The last index of the group starting at `first`: `first` itself when it runs alone. The group stays in
// `first`'s phase (a run may stop between phases) and never includes a step in `skip` (already finished).
int lockGroupEnd(const Plan& plan, int first, const QVector<bool>& skip = {});

} // namespace lockstep::run
