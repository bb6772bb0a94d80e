// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/run/run_ownership.h"

#include "core/change/qualified_name.h"
#include "core/pg/server_key.h"
#include "core/store/run_history.h"

namespace lockstep::run {

bool parkedAtSwitchGate(const store::RunRecord& run)
{
    return run.state == store::RunState::Done && run.untilPhase == phaseName(Phase::Constrain);
}

bool ownsItsColumn(const store::RunRecord& run)
{
    if (run.state == store::RunState::RolledBack)
        return false;
    return !(run.state == store::RunState::Done && run.untilPhase == phaseName(Phase::Contract));
}

namespace {
bool sameTable(const QString& planTable, const std::optional<QualifiedName>& wanted)
{
    QString why;
    const auto have = parseQualifiedName(planTable, &why);
    return have && wanted && have->name == wanted->name && (wanted->schema.isEmpty() || have->schema == wanted->schema);
}
} // namespace

std::optional<store::RunRecord> owningRun(const store::Journal& journal, const QString& conninfo, const QString& table,
                                          const QString& column)
{
    QString why;
    const auto wanted = parseQualifiedName(table, &why);
    const QString server = pg::serverKey(conninfo);
    for (const store::RunRecord& r : journal.runs()) {   // newest first
        if (r.plan.change.column == column && ownsItsColumn(r) && sameTable(r.plan.table, wanted)
            && pg::serverKey(r.conninfo) == server)
            return r;
    }
    return std::nullopt;
}

QString describeOwner(const store::Journal& journal, const store::RunRecord& run)
{
    const store::RunHistory h = store::loadRunHistory(journal, run.id);
    QString where;
    for (const store::StepRecord& s : h.steps) {
        if (s.state != store::StepState::Done) {
            where = QStringLiteral(" in step %1 of %2 (%3)").arg(s.index + 1).arg(h.steps.size()).arg(s.stepId);
            break;
        }
    }
    QString state;
    switch (store::runLiveness(h)) {
    case store::RunLiveness::Active:
        state = QStringLiteral("in progress%1 in process %2").arg(where).arg(run.ownerPid);
        break;
    case store::RunLiveness::CutOff:
        state = QStringLiteral("cut off%1: its process %2 is gone").arg(where).arg(run.ownerPid);
        break;
    case store::RunLiveness::Stopped:
        state = QStringLiteral("%1%2").arg(store::runStateName(run.state), where);
        break;
    case store::RunLiveness::Finished:
        state = parkedAtSwitchGate(run) ? QStringLiteral("parked at the switch gate")
                                        : QStringLiteral("done through %1").arg(run.untilPhase);
        break;
    }
    return QStringLiteral("run %1 (%2)").arg(run.id).arg(state);
}

} // namespace lockstep::run
