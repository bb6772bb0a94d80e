// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/pg/connection.h"
#include "core/plan/step.h"

#include <QString>
#include <QStringList>

namespace lockstep::run {

// Whether a step's effect is already in the catalog. This is what makes a resume after a crash (SIGKILL
// between COMMIT and the journal write) correct: a step found done is marked done, not run again.
struct StepEffectState {
    bool done = false;
    QString note;                 // what was found, for the journal's events
    QString conflict;             // non-empty: the catalog holds something in the way (the step must fail)
    QStringList invalidIndexes;   // leftovers of a failed CREATE INDEX CONCURRENTLY, quoted and qualified
};

// Checks the catalog for `step` on `table` (quoted, qualified, as in Plan::table). Steps without a
// known check (the backfill, gates, unknown ids) come back not done. With `ownUid` (the run's
// RunIdentity::uid), an object found that carries another run's mark (owner_marks.h) is a conflict, never
// adopted. Throws pg::PgException.
StepEffectState stepEffectState(pg::Connection& conn, const QString& table, const Step& step, const QString& ownUid = {});

// The first object `step` creates that exists and carries the mark of a run other than `ownUid`, in words
// ("column \"total\" belongs to run 3 by alice@db-1 (started ...)"); empty when none. A rollback leaves
// such a step alone: the object is not this run's to drop.
QString objectOwnedByAnotherRun(pg::Connection& conn, const QString& table, const Step& step, const QString& ownUid);

} // namespace lockstep::run
