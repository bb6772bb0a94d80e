// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/plan/plan.h"
#include "core/store/journal_types.h"

#include <QString>
#include <QStringList>
#include <QVector>

namespace lockstep::run {

// What a run that stopped part way leaves on the server and what each piece costs the application, one
// sentence per piece, from the steps the journal says are done (and not undone by a later step): the new
// column, the sync triggers, constraints, indexes. Empty when nothing of the run is installed.
QStringList leftInstalled(const Plan& plan, const QVector<store::StepRecord>& steps);

// The same as one sentence for a banner: "Still installed: ...; ... ." or "Nothing of this run is installed
// on the server."
QString leftInstalledSentence(const Plan& plan, const QVector<store::StepRecord>& steps);

} // namespace lockstep::run
