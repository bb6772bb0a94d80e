// SPDX-License-Identifier: GPL-3.0-or-later
// The Runner after a failover: its connection came back on a new timeline (a promoted replica). The new
// primary may lack the last commits the old one acknowledged, so nothing the journal says was done is
// trusted: every done step is checked against the new primary's catalog again (what is missing runs
// again), and the backfill and the steps after it that write rows walk again from the first key (they
// touch only rows that still differ, so rows that did arrive cost a read).
#include "core/run/runner.h"

#include "core/run/step_effects.h"

namespace lockstep::run {

void Runner::noteTimeline()
{
    const QString timeline = m_conn->exec(pg::sqlResource(QStringLiteral("run_timeline"))).value(0, 0);
    if (!m_timeline.isEmpty() && timeline != m_timeline) {
        m_journal->addEvent(m_runId, QStringLiteral("failover"),
                            QStringLiteral("the server is on timeline %1 (was %2): a promoted replica, which may lack the "
                                           "last commits; what was done is checked again").arg(timeline, m_timeline));
        m_serverChanged = true;
    }
    m_timeline = timeline;
}

void Runner::recheckAfterFailover(const Plan& plan)
{
    m_serverChanged = false;
    const QVector<store::StepRecord> steps = m_journal->steps(m_runId);
    for (int i = 0; i < steps.size() && i < plan.steps.size(); ++i) {
        const Step& step = plan.steps[i];
        const bool writesRows = step.backfill || step.id == QLatin1String("sync_catch_up") || step.id == QLatin1String("failed_rows");
        if (writesRows) {
            m_journal->clearCheckpoint(m_runId, i);
            if (steps[i].state != store::StepState::Pending) {
                setStep(i, store::StepState::Pending, QStringLiteral("walks again from the first key after the failover"));
                m_journal->addEvent(m_runId, QStringLiteral("failover-recheck"), QStringLiteral("step %1 (%2): walks again").arg(i).arg(step.id));
            }
            continue;
        }
        if (steps[i].state != store::StepState::Done)
            continue;
        if (step.phase != Phase::Switch && !stepEffectState(*m_conn, m_table, step, m_identity.uid).done) {
            // Its effect never reached the new primary (or the step has no catalog check: run it again, it is
            // written to be re-runnable).
            setStep(i, store::StepState::Pending, QStringLiteral("not on the new primary after the failover: runs again"));
            m_journal->addEvent(m_runId, QStringLiteral("failover-recheck"), QStringLiteral("step %1 (%2): runs again").arg(i).arg(step.id));
        }
    }
}

} // namespace lockstep::run
