// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/run/left_installed.h"

namespace lockstep::run {

namespace {
bool isDone(const QVector<store::StepRecord>& steps, const QString& id)
{
    for (const store::StepRecord& s : steps)
        if (s.stepId == id)
            return s.state == store::StepState::Done;
    return false;
}
} // namespace

QStringList leftInstalled(const Plan& plan, const QVector<store::StepRecord>& steps)
{
    const QString column = plan.change.column;
    QStringList out;
    const bool triggersGone = isDone(steps, QStringLiteral("contract_drop_sync"));
    for (const store::StepRecord& r : steps) {
        if (r.state != store::StepState::Done || r.index < 0 || r.index >= plan.steps.size())
            continue;
        const Step& s = plan.steps[r.index];
        if (s.id == QLatin1String("add_column")) {
            out << QStringLiteral("column %1 on %2 (NULL in the rows not filled yet; code that does not name it does not "
                                  "see it)").arg(column, plan.table);
        } else if (s.id == QLatin1String("sync_trigger") && !triggersGone) {
            out << QStringLiteral("the sync triggers on %1: every INSERT, and every UPDATE of the columns %2 is computed "
                                  "from, runs one PL/pgSQL call per row written to compute it (a value that cannot be "
                                  "computed leaves it NULL; the write still succeeds)").arg(plan.table, column);
        } else if (s.phase == Phase::Constrain && !s.rollbackSql.trimmed().isEmpty()) {
            out << QStringLiteral("%1 (done: every later write of %2 pays for it)").arg(s.title, plan.table);
        }
    }
    return out;
}

QString leftInstalledSentence(const Plan& plan, const QVector<store::StepRecord>& steps)
{
    const QStringList installed = leftInstalled(plan, steps);
    return installed.isEmpty() ? QStringLiteral("Nothing of this run is installed on the server.")
                               : QStringLiteral("Still installed: %1.").arg(installed.join(QStringLiteral("; ")));
}

} // namespace lockstep::run
