// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// One run per change: a run owns the column it adds from its creation until it is rolled back or has run
// its contract, so a second run for that column on the same server is refused with the owner named, and
// the window reopens the owner instead of starting another (its steps would all be "already done" and a
// rollback of either would drop the column the other owns).
#include "core/plan/plan.h"
#include "core/store/journal.h"

#include <QString>
#include <optional>

namespace lockstep::run {

// Every step up to the switch is done and the run waits for the operator at the switch gate.
bool parkedAtSwitchGate(const store::RunRecord& run);
// Whether the run still owns its column: not rolled back, not done through contract.
bool ownsItsColumn(const store::RunRecord& run);
// The newest run of `journal` on the server `conninfo` reaches (pg::serverKey) that owns `column` of
// `table`, if any. `table` as SQL writes it (`orders`, `sales."Order Items"`, a plan's quoted name); an
// unqualified name matches that table in any schema.
std::optional<store::RunRecord> owningRun(const store::Journal& journal, const QString& conninfo, const QString& table,
                                          const QString& column);
inline std::optional<store::RunRecord> owningRun(const store::Journal& journal, const QString& conninfo, const Plan& plan)
{
    return owningRun(journal, conninfo, plan.table, plan.change.column);
}
// "run 7 (failed in step 5 of 9: ...)", "run 7 (parked at the switch gate)", "run 7 (in progress in
// process 4711)": who owns the column, in words for the refusal.
QString describeOwner(const store::Journal& journal, const store::RunRecord& run);

} // namespace lockstep::run
