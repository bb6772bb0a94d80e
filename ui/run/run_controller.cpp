// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/run/run_controller.h"

#include "core/change/privilege_preflight.h"
#include "core/pg/connection.h"
#include "core/plan/sql_text.h"
#include "core/run/run_creation.h"
#include "core/run/run_extension.h"
#include "core/run/run_options_json.h"
#include "core/run/switch_verification.h"
#include "core/store/journal.h"
#include "ui/run/run_background.h"
#include "ui/run/run_session_host.h"

#include <QTimer>

namespace lockstep::ui {

using store::StepState;

RunController::RunController(QObject* parent) : QObject(parent)
{
    run::registerRunMetaTypes();
    qRegisterMetaType<pg::MonitorSample>();
}

RunController::~RunController() = default;   // ~RunSessionHost aborts a running runner and joins its threads

void RunController::setJournalPath(const QString& path) { m_journalPath = path; }
void RunController::setConnection(const QString& conninfo) { m_conninfo = conninfo; }

void RunController::setOptions(const run::RunOptions& options, double maxLagSeconds)
{
    m_options = options;
    m_maxLagSeconds = maxLagSeconds;
}

void RunController::setPlan(const Plan& plan)
{
    m_plan = plan;
    m_runId = 0;
    m_until = Phase::Constrain;
    m_steps = QVector<StepTrack>(plan.steps.size());
    m_runState.reset();
}

bool RunController::attachRun(qint64 runId, QString* error)
{
    try {
        // One read of a local file, when the user opens a past run.
        store::Journal journal(m_journalPath);
        const auto record = journal.run(runId);
        if (!record) {
            if (error)
                *error = QStringLiteral("no run %1 in the journal").arg(runId);
            return false;
        }
        // Keep a longer plan of the same steps (the gate may extend the run with it); else the stored one.
        bool prefix = m_plan.steps.size() >= record->plan.steps.size();
        for (int i = 0; prefix && i < record->plan.steps.size(); ++i)
            prefix = m_plan.steps[i].id == record->plan.steps[i].id;
        if (!prefix)
            m_plan = record->plan;
        m_runId = runId;
        // Resumed with the options it was started with (and the knobs turned since), not the window's defaults.
        if (!record->options.isEmpty()) {
            const run::JournaledOptions journaled = run::optionsFromJson(record->options, {m_options, m_maxLagSeconds});
            m_options = journaled.run;
            m_maxLagSeconds = journaled.maxLagSeconds;
        }
        m_until = phaseFromName(record->untilPhase).value_or(Phase::Contract);
        m_runState = record->state;
        m_steps = QVector<StepTrack>(m_plan.steps.size());
        const QVector<store::StepRecord> steps = journal.steps(runId);
        for (const store::StepRecord& s : steps) {
            if (s.index < 0 || s.index >= m_steps.size())
                continue;
            m_steps[s.index].state = s.state;
            m_steps[s.index].started = s.state != StepState::Pending || s.startedAt.isValid();
        }
        return true;
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromUtf8(e.what());
        return false;
    }
}

bool RunController::start(QString* error)
{
    if (m_busy) {
        if (error)
            *error = QStringLiteral("the run is already going");
        return false;
    }
    if (m_plan.steps.isEmpty() || m_journalPath.isEmpty() || m_conninfo.isEmpty()) {
        if (error)
            *error = QStringLiteral("a plan, a journal and a connection are needed first");
        return false;
    }
    if (m_runState == store::RunState::RolledBack) {
        if (error)
            *error = QStringLiteral("this run is rolled back: plan the change again for a new run");
        return false;
    }
    if (m_runId > 0) {
        launchAfter({}, false);
        return true;
    }
    // Creating the run is a durable journal write (an fsync): do it off the GUI thread.
    const QString journalPath = m_journalPath, conninfo = m_conninfo;
    const Plan plan = m_plan;
    const QJsonObject options = run::optionsToJson({m_options, m_maxLagSeconds});
    auto runId = std::make_shared<qint64>(0);
    m_pendingRunId = runId;   // read on this thread once the work is done (launchAfter)
    launchAfter(
        [journalPath, conninfo, plan, options, runId] {
            try {
                // The value proven again on the table's rows just before anything is installed: rows
                // written since the plan was made may not convert.
                const auto conn = pg::Connection::open(conninfo);
                const QString refused = run::reproveChange(*conn, plan);
                if (!refused.isEmpty())
                    return QStringLiteral("the plan no longer holds on the table's rows: %1").arg(refused);
                // A role without a privilege the plan needs would fail part-way: refused now, with the GRANT.
                QStringList missing;
                for (const PrivilegeCheck& c : missingRequired(privilegePreflight(*conn, plan)))
                    missing << QStringLiteral("%1 (%2)").arg(c.name, c.fix);
                if (!missing.isEmpty())
                    return QStringLiteral("this role lacks what the plan needs, nothing was done: %1").arg(missing.join(QStringLiteral("; ")));
                store::Journal journal(journalPath);
                *runId = run::createRun(journal, plan, conninfo, Phase::Constrain);
                journal.setRunOptions(*runId, options);   // a resume uses them (rate cap, batch target, ...)
                return QString();
            } catch (const std::exception& e) {
                return QStringLiteral("could not record the run in the journal: %1").arg(QString::fromUtf8(e.what()));
            }
        },
        false);
    return true;
}

bool RunController::continueThrough(Phase phase, QString* error)
{
    if (m_busy || m_runId == 0) {
        if (error)
            *error = m_runId == 0 ? QStringLiteral("there is no run to continue") : QStringLiteral("the run is still going");
        return false;
    }
    const QString journalPath = m_journalPath;
    const qint64 runId = m_runId;
    const Plan plan = m_plan;
    if (int(phase) > int(m_until))
        m_until = phase;
    launchAfter(
        [journalPath, runId, plan, phase] {
            try {
                run::extendRun(journalPath, runId, plan, phase);
                return QString();
            } catch (const std::exception& e) {
                return QStringLiteral("could not extend the run: %1").arg(QString::fromUtf8(e.what()));
            }
        },
        false);
    return true;
}

bool RunController::rollback(QString* error)
{
    if (m_busy) {
        if (error)
            *error = QStringLiteral("abort the run first");
        return false;
    }
    const QString blocked = rollbackBlockedReason();
    if (!blocked.isEmpty()) {
        if (error)
            *error = blocked;
        return false;
    }
    launchAfter({}, true);
    return true;
}

void RunController::launchAfter(std::function<QString()> prepare, bool rollback)
{
    m_busy = true;
    m_rollingBack = rollback;
    m_abortPending = false;
    if (!prepare) {
        launch(rollback);
        return;
    }
    runInBackground<QString>(this, std::move(prepare), [this, rollback](const QString& problem) {
        if (m_pendingRunId) {
            if (problem.isEmpty()) {
                m_runId = *m_pendingRunId;
                m_until = Phase::Constrain;
                m_runState = store::RunState::Running;
                emit runCreated(m_runId);
            }
            m_pendingRunId.reset();
        }
        if (!problem.isEmpty()) {
            m_busy = false;
            emit startFailed(problem);
            return;
        }
        if (m_abortPending) {
            m_busy = false;
            emit finished(QStringLiteral("paused"), QStringLiteral("aborted before it started; resumable"));
            return;
        }
        launch(rollback);
    });
}

void RunController::launch(bool rollback)
{
    auto* host = new RunSessionHost(m_conninfo, m_journalPath, m_runId, m_options, m_maxLagSeconds, this);
    m_session.reset(host);
    connect(host, &RunSessionHost::stepStateChanged, this, [this](int index, const QString& state, const QString& message) {
        onStepState(index, state);
        emit stepStateChanged(index, state, message);
    });
    connect(host, &RunSessionHost::progress, this, &RunController::progress);
    connect(host, &RunSessionHost::waitingForLock, this, &RunController::waitingForLock);
    connect(host, &RunSessionHost::sampled, this, &RunController::sampled);
    connect(host, &RunSessionHost::monitorFailed, this, &RunController::monitorFailed);
    const std::optional<store::RunState> stateBefore = m_runId > 0 ? m_runState : std::nullopt;
    connect(host, &RunSessionHost::finished, this, [this, host, stateBefore](const QString& outcome, const QString& message) {
        // Retire the session first (its Monitor would sample on); it deletes itself off this thread.
        if (m_session.get() == host)
            m_session.release()->retire();
        m_busy = false;
        if (outcome == QLatin1String("refused")) {
            // Another run is working on the table; nothing ran. A new run ended there (the journal says so):
            // the next Start makes a new one. A refused resume leaves the run as it was.
            m_runState = stateBefore;
            if (!stateBefore)
                m_runId = 0;
            emit finished(outcome, message);
            return;
        }
        if (outcome == QLatin1String("done"))
            m_runState = store::RunState::Done;
        else if (outcome == QLatin1String("rolled-back"))
            m_runState = store::RunState::RolledBack;
        else if (outcome == QLatin1String("paused"))
            m_runState = store::RunState::Paused;
        else
            m_runState = store::RunState::Failed;
        emit finished(outcome, message);
    });
    m_runState = rollback ? store::RunState::RollingBack : store::RunState::Running;
    host->start(rollback ? run::RunSession::Action::Rollback : run::RunSession::Action::Start);
    emit started(rollback ? QStringLiteral("rollback") : QStringLiteral("start"));
}

void RunController::onStepState(int index, const QString& state)
{
    if (index < 0 || index >= m_steps.size())
        return;
    const auto parsed = store::stepStateFromName(state);
    if (!parsed)
        return;
    m_steps[index].state = *parsed;
    if (*parsed != StepState::Pending)
        m_steps[index].started = true;
}

void RunController::pause()
{
    if (m_session)
        m_session->pause();
}

void RunController::resume()
{
    if (m_session)
        m_session->resumeRun();
}

void RunController::abort(const QString& why)
{
    if (!m_busy)
        return;
    m_abortPending = true;
    if (m_session)
        m_session->abort(why);
}

void RunController::stopAtSafePoint(const QString& why)
{
    if (!m_busy)
        return;
    m_abortPending = true;   // before the session exists, too: it then stops before it starts
    if (m_session)
        m_session->stopAtSafePoint(why);
}

void RunController::setTargetBatchMs(int ms)
{
    m_options.targetBatchMs = ms;
    if (m_session)
        m_session->setTargetBatchMs(ms);
    journalOptions();
}

void RunController::setMaxRowsPerSecond(int rows)
{
    m_options.maxRowsPerSecond = rows;
    if (m_session)
        m_session->setMaxRowsPerSecond(rows);
    journalOptions();
}

void RunController::journalOptions()
{
    if (m_runId == 0 || m_journalPath.isEmpty())
        return;
    // A knob turned during the run is the run's option from now on: a later resume keeps it. Written once
    // the knob rests (a slider moves in many steps), durably, off the GUI thread.
    if (!m_optionsTimer) {
        m_optionsTimer = new QTimer(this);
        m_optionsTimer->setSingleShot(true);
        m_optionsTimer->setInterval(400);
        connect(m_optionsTimer, &QTimer::timeout, this, [this] {
            const QString journalPath = m_journalPath;
            const qint64 runId = m_runId;
            const QJsonObject options = run::optionsToJson({m_options, m_maxLagSeconds});
            runInBackground<bool>(
                this,
                [journalPath, runId, options] {
                    try {
                        store::Journal(journalPath).setRunOptions(runId, options);
                        return true;
                    } catch (const std::exception&) {
                        return false;   // the run goes on with the knob; only a later resume would miss it
                    }
                },
                [](const bool&) {});
        });
    }
    m_optionsTimer->start();
}

QVector<store::StepRecord> RunController::journalSteps() const
{
    if (m_runId == 0)
        return {};
    try {
        return store::Journal(m_journalPath).steps(m_runId);
    } catch (const std::exception&) {
        return {};
    }
}

QString RunController::stepState(int index) const
{
    return index >= 0 && index < m_steps.size() ? store::stepStateName(m_steps[index].state) : QString();
}

// The step a rollback starts from, as the Runner decides it: the last one that left pending.
int RunController::lastStartedStep() const
{
    int last = -1;
    for (int i = 0; i < m_steps.size(); ++i)
        if (m_steps[i].started || m_steps[i].state != StepState::Pending)
            last = i;
    return last;
}

QVector<RollbackItem> RunController::rollbackItems() const
{
    QVector<RollbackItem> items;
    for (int i = lastStartedStep(); i >= 0; --i) {
        if (m_steps[i].state == StepState::RolledBack)
            continue;
        const Step& s = m_plan.steps[i];
        RollbackItem item;
        item.index = i;
        item.title = s.title;
        item.state = store::stepStateName(m_steps[i].state);
        item.sql = withoutLintDirectives(!s.rollbackStatements.isEmpty() ? s.rollbackStatements.join(QLatin1Char('\n')) : s.rollbackSql);
        if (item.sql.trimmed().isEmpty()) {
            item.sql.clear();
            if (s.backfill)
                item.note = QStringLiteral("nothing to undo: dropping the column (step 1's rollback) removes the values");
            else if (s.phase == Phase::Switch)
                item.note = QStringLiteral("nothing ran on the server: nothing to undo");
            else
                item.note = QStringLiteral("nothing to undo on its own: an earlier step's rollback covers it");
        }
        items << item;
    }
    return items;
}

QString RunController::rollbackBlockedReason() const
{
    if (m_runId == 0)
        return QStringLiteral("Nothing has run yet: there is nothing to roll back.");
    if (m_runState == store::RunState::RolledBack)
        return QStringLiteral("This run is rolled back already.");
    const int last = lastStartedStep();
    for (int i = 0; i <= last; ++i) {
        const Step& s = m_plan.steps[i];
        if (s.phase == Phase::Contract && m_steps[i].state != StepState::RolledBack)
            return QStringLiteral("Past the point of no return: the contract has run (step %1, %2)%3.")
                .arg(i + 1)
                .arg(s.title, s.reversible ? QString() : QStringLiteral(" and what it dropped cannot come back"));
    }
    if (rollbackItems().isEmpty())
        return QStringLiteral("No step has run: there is nothing to roll back.");
    return {};
}

void RunController::cancelBlocker(int pid)
{
    const QString conninfo = m_conninfo;
    struct Answer {
        bool sent = false;
        QString error;
    };
    runInBackground<Answer>(
        this,
        [conninfo, pid] {
            Answer a;
            try {
                auto conn = pg::Connection::open(conninfo);
                a.sent = run::cancelBackend(*conn, pid);
            } catch (const std::exception& e) {
                a.error = QString::fromUtf8(e.what());
            }
            return a;
        },
        [this, pid](const Answer& a) { emit blockerCancelResult(pid, a.sent, a.error); });
}

void RunController::verifySwitch()
{
    const QString conninfo = m_conninfo;
    const Plan plan = m_plan;
    struct Answer {
        qint64 rows = -1;
        QString detail;
        QString error;
    };
    runInBackground<Answer>(
        this,
        [conninfo, plan] {
            Answer a;
            try {
                auto conn = pg::Connection::open(conninfo);
                const run::SwitchVerification v = run::verifySwitch(*conn, plan);
                a.rows = v.rowsDiffering + v.rowsFailed;   // a row whose value failed blocks the switch too
                a.detail = v.detail;
            } catch (const std::exception& e) {
                a.error = QString::fromUtf8(e.what());
            }
            return a;
        },
        [this](const Answer& a) { emit switchVerified(a.rows, a.detail, a.error); });
}

} // namespace lockstep::ui
