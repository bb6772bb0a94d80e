// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/run/run_extension.h"

#include "core/store/journal_error.h"
#include "core/store/journal_types.h"
#include "core/store/sqlite_db.h"

#include <QJsonDocument>
#include <stdexcept>

namespace lockstep::run {

void extendRun(const QString& journalPath, qint64 runId, const Plan& fullPlan, Phase until)
{
    // The Journal creates a run's rows in one place; this is the one other writer of a run's plan, so it
    // keeps to the same tables and the same conventions (states by name, compact plan JSON).
    store::SqliteDb db(journalPath);
    db.exec("PRAGMA busy_timeout = 5000");   // the runner or the monitor may be writing samples
    store::SqliteTransaction tx(db);

    QString storedJson, storedUntil;
    {
        auto stmt = db.prepare("SELECT plan_json, until_phase FROM runs WHERE id = ?1");
        stmt.bind(1, runId);
        if (!stmt.next())
            throw std::invalid_argument(QStringLiteral("no run %1 in the journal").arg(runId).toStdString());
        storedJson = stmt.text(0);
        storedUntil = stmt.text(1);
    }
    const Plan stored = Plan::fromJson(QJsonDocument::fromJson(storedJson.toUtf8()).object());
    const Phase storedPhase = phaseFromName(storedUntil).value_or(Phase::Contract);
    if (int(until) <= int(storedPhase))
        return;

    const Plan extended = fullPlan.until(until);
    if (extended.steps.size() < stored.steps.size())
        throw std::invalid_argument("the plan has fewer steps than the run already holds");
    for (int i = 0; i < stored.steps.size(); ++i) {
        if (stored.steps[i].id != extended.steps[i].id)
            throw std::invalid_argument(QStringLiteral("the plan does not match run %1 at step %2 (%3 vs %4)")
                                            .arg(runId)
                                            .arg(i + 1)
                                            .arg(stored.steps[i].id, extended.steps[i].id)
                                            .toStdString());
    }

    const QString json = QString::fromUtf8(QJsonDocument(extended.toJson()).toJson(QJsonDocument::Compact));
    db.prepare("UPDATE runs SET plan_json = ?2, until_phase = ?3 WHERE id = ?1")
        .bind(1, runId)
        .bind(2, json)
        .bind(3, phaseName(until))
        .run();
    for (int i = stored.steps.size(); i < extended.steps.size(); ++i) {
        db.prepare("INSERT INTO steps (run_id, step_index, step_id, state) VALUES (?1, ?2, ?3, ?4)")
            .bind(1, runId)
            .bind(2, qint64(i))
            .bind(3, extended.steps[i].id)
            .bind(4, store::stepStateName(store::StepState::Pending))
            .run();
    }
    tx.commit();
}

} // namespace lockstep::run
