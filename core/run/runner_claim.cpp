// SPDX-License-Identifier: GPL-3.0-or-later
// The Runner's claim on its table and its name on the server (table_claim.h, run_identity.h): taken
// after connecting, taken again after every reconnect, given back when start() or rollback() ends.
#include "core/run/runner.h"

#include "core/pg/pooler_check.h"
#include "core/run/owner_marks.h"
#include "core/run/run_takeover.h"
#include "core/run/table_claim.h"

#include <algorithm>
#include <stdexcept>

namespace lockstep::run {

bool Runner::claimTable(const store::RunRecord& run)
{
    m_identity = RunIdentity::local(run.uid, run.id, run.startedAt);
    // Through a pooler that does not keep sessions (PgBouncer in transaction mode) the claim, lock_timeout
    // and the backfill's settings would land on other clients' sessions: refused (the window's path; the
    // CLI says so before journaling).
    const pg::PoolerCheck pooler = pg::detectPooler(*m_conn, m_conninfo);
    if (pooler.detected && !pooler.mode.isEmpty() && !pooler.keepsSessions()) {
        refuse(QStringLiteral("refused: connected through %1, which does not keep this run's session; nothing was "
                              "done. Connect directly to the server").arg(pooler.describe()));
        return false;
    }
    setActivity(QStringLiteral("starting"));
    if (tryClaimTable(*m_conn, m_table)) {
        m_claimed = true;
        return true;
    }
    const auto holder = tableClaimHolder(*m_conn, m_table);
    const QString who = holder ? holder->describe() : QStringLiteral("a session that has just ended");
    refuse(QStringLiteral("refused: another run is working on %1: %2; nothing was done. Wait for it to finish, or "
                          "ask its operator").arg(m_table, who));
    return false;
}

bool Runner::columnStillOurs(const Plan& plan)
{
    // Another run's column: taken over from another machine while this run was stopped (run_takeover.h), or
    // added by another run before this one started. Nothing is done from this journal: even a rollback
    // would drop what is shared by name (the sync function, the helper tables).
    const auto owner = columnOwner(*m_conn, m_table, plan.change.column);
    const auto abandoned = RunIdentity::fromMark(plan.takesOver);
    if (!owner || owner->uid == m_identity.uid || (abandoned && owner->uid == abandoned->uid))
        return true;
    refuse(QStringLiteral("refused: column \"%1\" of %2 belongs to lockstep %3 (the run that added it, or that took this "
                          "one over); nothing was done. Continue or undo the change from that run's journal")
               .arg(plan.change.column, m_table, owner->describe()));
    return false;
}

void Runner::takeOverObjects(const Plan& plan)
{
    // Holding the claim, so the abandoned run cannot come back in between; again on every start (a
    // crash right after the re-mark leaves nothing to do the second time).
    const auto abandoned = RunIdentity::fromMark(plan.takesOver);
    if (!abandoned || abandoned->uid == m_identity.uid)
        return;
    const QVector<MarkedObject> objects = remarkObjects(*m_conn, m_table, abandoned->uid, m_identity.mark());
    if (objects.isEmpty())
        return;
    QStringList names;
    for (const MarkedObject& o : objects)
        names << QStringLiteral("%1 \"%2\"").arg(o.kind, o.name);
    m_journal->addEvent(m_runId, QStringLiteral("take-over"),
                        QStringLiteral("took over lockstep %1: %2 now marked as this run's (its own journal can no longer "
                                       "resume or roll them back)").arg(abandoned->describe(), names.join(QStringLiteral(", "))));
}

void Runner::refuse(const QString& message)
{
    m_journal->addEvent(m_runId, QStringLiteral("refused"), message);
    // A run refused before any step started owns nothing: it ends here (else it would stay "running" and
    // own its column). A refused resume stays as it was.
    const QVector<store::StepRecord> steps = m_journal->steps(m_runId);
    if (std::none_of(steps.begin(), steps.end(), [](const store::StepRecord& s) { return s.hasStarted(); }))
        m_journal->setRunState(m_runId, store::RunState::RolledBack, message);
    emit finished(QStringLiteral("refused"), message);
}

void Runner::reclaimAfterReconnect()
{
    if (!m_claimed)
        return;
    setActivity(QStringLiteral("reconnected"));
    if (!tryClaimTable(*m_conn, m_table)) {
        m_claimed = false;
        const auto holder = tableClaimHolder(*m_conn, m_table);
        throw std::runtime_error(QStringLiteral("while this run was disconnected, another run claimed %1: %2; this run "
                                                "stops here, resumable once that one is done")
                                     .arg(m_table, holder ? holder->describe() : QStringLiteral("unknown"))
                                     .toStdString());
    }
}

void Runner::releaseClaim()
{
    if (!m_claimed)
        return;
    m_claimed = false;
    try {
        if (m_conn && m_conn->isOk()) {
            releaseTable(*m_conn, m_table);
            m_conn->exec(QStringLiteral("SET application_name = 'lockstep runner'"));
        }
    } catch (const pg::PgException&) {
        // The session's end gives the claim back anyway.
    }
}

void Runner::setStepActivity(int index, const Step& step)
{
    setActivity(QStringLiteral("step %1/%2 %3").arg(index + 1).arg(m_stepCount).arg(step.id));
}

void Runner::setActivity(const QString& what)
{
    if (!m_conn || m_identity.uid.isEmpty())
        return;
    m_conn->exec(QStringLiteral("SELECT set_config('application_name', $1, false)"), {m_identity.applicationName(what)});
}

} // namespace lockstep::run
