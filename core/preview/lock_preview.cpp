// SPDX-License-Identifier: GPL-3.0-or-later
// The observed-lock preview: each transactional step tried on the server inside BEGIN ... ROLLBACK, its
// locks read by a second session, its rewrite told by the table's file node.
#include "core/preview/lock_preview.h"

#include "core/preview/lock_observer.h"
#include "core/preview/preview_statements.h"
#include "core/preview/probe_stand_ins.h"
#include "core/preview/step_replay.h"
#include "core/run/statement_splitter.h"

#include <QElapsedTimer>
#include <QVariant>
#include <algorithm>

namespace lockstep::preview {

namespace {
// Rolls the preview transaction back whatever happens; never lets an exception out of a destructor.
class RollbackGuard {
public:
    explicit RollbackGuard(pg::Connection& conn) : m_conn(conn) {}
    ~RollbackGuard()
    {
        if (!m_conn.isOk() || !m_conn.inTransaction())
            return;
        try {
            m_conn.exec(QStringLiteral("ROLLBACK"));
        } catch (const pg::PgException&) {
        }
    }
    RollbackGuard(const RollbackGuard&) = delete;
    RollbackGuard& operator=(const RollbackGuard&) = delete;

private:
    pg::Connection& m_conn;
};

[[noreturn]] void fail(const QString& sqlstate, const QString& message)
{
    pg::PgError e;
    e.sqlstate = sqlstate;
    e.message = message;
    throw pg::PgException(e);
}

bool isFatal(const pg::PgException& e, const pg::Connection& conn)
{
    return e.error().isConnectionError() || !conn.isOk();
}

QStringList statementsOf(const Step& step, QString* error = nullptr)
{
    try {
        return run::stepStatements(step.statements, step.sql);
    } catch (const run::SplitError& e) {
        if (error)
            *error = QStringLiteral("its SQL does not parse: %1").arg(QString::fromUtf8(e.what()));
        return {};
    }
}

bool sameLock(const RelationLock& a, const RelationLock& b) { return a.oid == b.oid && a.mode == b.mode; }

bool containsLock(const QVector<RelationLock>& set, const RelationLock& l)
{
    return std::any_of(set.begin(), set.end(), [&](const RelationLock& x) { return sameLock(x, l); });
}

// Adds `l` to `set`; a mode seen granted once stays granted, seen outside the probe once is not "probed",
// a name found once is kept.
void mergeLock(QVector<RelationLock>* set, const RelationLock& l)
{
    for (RelationLock& x : *set) {
        if (sameLock(x, l)) {
            x.granted = x.granted || l.granted;
            x.probed = x.probed && l.probed;
            if (x.relation.isEmpty())
                x.relation = l.relation;
            return;
        }
    }
    *set << l;
}

std::optional<LockMode> strongestOn(const QVector<RelationLock>& set, quint32 oid)
{
    std::optional<LockMode> out;
    for (const RelationLock& l : set) {
        if (l.oid == oid && (!out || int(l.mode) > int(*out)))
            out = l.mode;
    }
    return out;
}

void refuseStandby(pg::Connection& conn)
{
    const pg::Result r = conn.exec(pg::sqlResource(QStringLiteral("preview_in_recovery")));
    if (r.value(0, "in_recovery") == QLatin1String("t"))
        fail(QStringLiteral("25006"), QStringLiteral("the server is in recovery (a standby): the preview needs a primary"));
}

quint32 currentTableOid(pg::Connection& conn, const Plan& plan)
{
    // The steps name the table, so the table that name finds now is the one they lock.
    const pg::Result r = conn.exec(pg::sqlResource(QStringLiteral("preview_table_oid")), {plan.table});
    if (r.rows() > 0 && !r.isNull(0, "oid"))
        return r.value(0, "oid").toUInt();
    fail(QStringLiteral("42P01"), QStringLiteral("table %1 does not exist on this server").arg(plan.table));
}

// One preview transaction per step: BEGIN, timeouts, probe, replay, the step, ROLLBACK.
class StepTrial {
public:
    StepTrial(pg::Connection& conn, LockObserver& observer, StepReplayer& replayer, const Plan& plan,
              quint32 tableOid, const PreviewOptions& options)
        : m_conn(conn), m_observer(observer), m_replayer(replayer), m_plan(plan), m_tableOid(tableOid),
          m_options(options)
    {
    }

    void run(int index, const QStringList& statements, StepObservation* obs);

private:
    QVector<RelationLock> probe(const QStringList& statements, QStringList* notes);
    QVector<RelationLock> probeOne(const QString& statement, QStringList* notes);
    // Runs `statements` in order until one fails; every lock seen at the observer's polls on the way goes
    // to *polled (a request still waiting with granted false).
    std::optional<pg::PgError> runWatched(const QStringList& statements, QVector<RelationLock>* polled,
                                          int intervalMs = 20);
    QString filenode();
    void nameRelations(QVector<RelationLock>* set);

    pg::Connection& m_conn;
    LockObserver& m_observer;
    StepReplayer& m_replayer;
    const Plan& m_plan;
    quint32 m_tableOid;
    PreviewOptions m_options;
};

std::optional<pg::PgError> StepTrial::runWatched(const QStringList& statements, QVector<RelationLock>* polled,
                                                 int intervalMs)
{
    std::optional<pg::PgError> error;
    std::optional<pg::PgException> fatal;
    const QVector<RelationLock> seen = m_observer.watch([&] {
        for (const QString& s : statements) {
            try {
                m_conn.exec(s);
            } catch (const pg::PgException& e) {
                if (isFatal(e, m_conn))
                    fatal = e;
                error = e.error();
                return;
            }
        }
    }, intervalMs);
    if (fatal)
        throw *fatal;
    for (const RelationLock& l : seen)
        mergeLock(polled, l);
    return error;
}

// One statement tried alone from the transaction's clean start, inside a savepoint rolled back after. Two
// things keep its locks readable although it usually fails there (what it acts on is made by earlier
// steps that are not replayed here): the observer holds SHARE UPDATE EXCLUSIVE on the table, so a request
// of that mode or stronger waits, and is read while it waits, until the probe's short lock_timeout; and a
// DROP TRIGGER gets a stand-in trigger first so it takes the lock it takes on a trigger that exists.
QVector<RelationLock> StepTrial::probeOne(const QString& statement, QStringList* notes)
{
    m_conn.exec(QStringLiteral("SAVEPOINT lockstep_preview_probe"));
    m_conn.exec(QStringLiteral("SELECT set_config('lock_timeout', $1, true)"),
                {QStringLiteral("%1ms").arg(qMax(50, m_options.probeWaitMs))});
    QStringList standIns;
    try {
        standIns = probeStandIns(m_conn, statement);
        for (const QString& s : standIns)
            m_conn.exec(s);
    } catch (const pg::PgException& e) {
        if (isFatal(e, m_conn))
            throw;
        *notes << QStringLiteral("the lock probe could not prepare a stand-in for a DROP TRIGGER: %1").arg(e.error().message);
        m_conn.exec(QStringLiteral("ROLLBACK TO SAVEPOINT lockstep_preview_probe"));
        m_conn.exec(QStringLiteral("RELEASE SAVEPOINT lockstep_preview_probe"));
        return {};
    }
    const QVector<RelationLock> before = m_observer.locks();
    // A stand-in holds SHARE ROW EXCLUSIVE on the table, which the blocker could never get: the DROP then
    // takes its stronger mode as a new one, seen after it ran.
    if (standIns.isEmpty()) {
        const QString blockerError = m_observer.holdBlocker(m_plan.table, m_options.lockTimeoutMs);
        if (!blockerError.isEmpty())
            *notes << QStringLiteral("the lock probe ran without its blocking lock (%1): a failed statement's "
                                     "locks may be missed").arg(blockerError);
    }
    QVector<RelationLock> polled;
    std::optional<pg::PgError> error;
    try {
        error = runWatched({statement}, &polled, 10);
    } catch (...) {
        m_observer.releaseBlocker();
        throw;
    }
    m_observer.releaseBlocker();
    if (!error) {
        for (const RelationLock& l : m_observer.locks())
            mergeLock(&polled, l);
    }
    QVector<RelationLock> seen;
    for (RelationLock l : polled) {
        if (containsLock(before, l))
            continue;
        l.granted = true;   // a wait here is on the probe's own blocker: the request is what counts
        l.probed = true;
        mergeLock(&seen, l);
    }
    m_conn.exec(QStringLiteral("ROLLBACK TO SAVEPOINT lockstep_preview_probe"));
    m_conn.exec(QStringLiteral("RELEASE SAVEPOINT lockstep_preview_probe"));
    return seen;
}

QVector<RelationLock> StepTrial::probe(const QStringList& statements, QStringList* notes)
{
    QVector<RelationLock> seen;
    for (const QString& s : statements) {
        for (const RelationLock& l : probeOne(s, notes))
            mergeLock(&seen, l);
    }
    return seen;
}

QString StepTrial::filenode()
{
    return m_conn.exec(pg::sqlResource(QStringLiteral("preview_table_filenode")), {m_tableOid}).value(0, "filenode");
}

void StepTrial::nameRelations(QVector<RelationLock>* set)
{
    QStringList missing;
    for (const RelationLock& l : *set) {
        if (l.relation.isEmpty())
            missing << QString::number(l.oid);
    }
    if (missing.isEmpty())
        return;
    // Inside the transaction: relations it created are visible here but not to the observer.
    const pg::Result r = m_conn.exec(pg::sqlResource(QStringLiteral("preview_relation_names")),
                                     {QStringLiteral("{%1}").arg(missing.join(QLatin1Char(',')))});
    for (RelationLock& l : *set) {
        for (int i = 0; l.relation.isEmpty() && i < r.rows(); ++i) {
            if (r.value(i, "relation_oid").toUInt() == l.oid)
                l.relation = r.value(i, "relation");
        }
        if (l.relation.isEmpty())
            l.relation = QStringLiteral("(relation %1, gone with the rollback)").arg(l.oid);
    }
}

void StepTrial::run(int index, const QStringList& statements, StepObservation* obs)
{
    RollbackGuard guard(m_conn);
    m_conn.exec(QStringLiteral("BEGIN"));
    m_conn.exec(QStringLiteral("SELECT set_config('lock_timeout', $1, true), set_config('statement_timeout', $2, true)"),
                {QStringLiteral("%1ms").arg(qMax(1, m_options.lockTimeoutMs)),
                 QStringLiteral("%1ms").arg(qMax(1, m_options.statementTimeoutMs))});

    // PostgreSQL shows a lock once per mode a transaction holds: a mode the replayed steps took already does
    // not show again when the step asks for it. So the step's statements are first tried alone, from the
    // clean start, before anything is replayed. Nothing to replay: the step itself starts clean.
    bool replays = false;
    for (int j = 0; j < index && !replays; ++j)
        replays = !statementsOf(m_plan.steps[j]).isEmpty() || m_plan.steps[j].backfill.has_value();
    QVector<RelationLock> seen = replays ? probe(statements, &obs->notes) : QVector<RelationLock>{};

    QString unreplayed;   // the first earlier step whose effect the step will not meet
    for (int j = 0; j < index; ++j) {
        const QString note = m_replayer.replay(m_plan.steps[j]);
        if (note.isEmpty())
            continue;
        obs->notes << note;
        if (unreplayed.isEmpty())
            unreplayed = m_plan.steps[j].backfill ? QStringLiteral("the backfill") : QStringLiteral("step %1").arg(m_plan.steps[j].id);
    }

    const QVector<RelationLock> before = m_observer.locks();
    obs->heldByReplay = strongestOn(before, m_tableOid);
    const QString nodeBefore = filenode();
    m_conn.exec(QStringLiteral("SAVEPOINT lockstep_preview_step"));
    QVector<RelationLock> polled;
    QElapsedTimer timer;
    timer.start();
    const std::optional<pg::PgError> error = runWatched(statements, &polled);
    obs->elapsedMs = timer.elapsed();
    // A failed statement's locks are gone already (released when it failed): only its waits were seen.
    const QVector<RelationLock> after = m_observer.locks();
    for (const RelationLock& l : after)
        mergeLock(&polled, l);
    for (const RelationLock& l : polled) {
        if (!containsLock(before, l))
            mergeLock(&seen, l);
    }

    if (error) {
        obs->error = error->message;
        obs->sqlstate = error->sqlstate;
        obs->needs = unreplayed;
        m_conn.exec(QStringLiteral("ROLLBACK TO SAVEPOINT lockstep_preview_step"));
    } else {
        obs->observedRewrite = filenode() != nodeBefore;
    }
    nameRelations(&seen);
    m_conn.exec(QStringLiteral("ROLLBACK"));

    std::sort(seen.begin(), seen.end(), [](const RelationLock& a, const RelationLock& b) {
        return a.relation != b.relation ? a.relation < b.relation : int(a.mode) > int(b.mode);
    });
    for (const RelationLock& l : seen)
        obs->locks << ObservedLock{l.relation, l.mode, l.granted, l.probed};
    obs->observedLock = strongestOn(seen, m_tableOid);
    if (obs->heldByReplay && obs->predictedLock && int(*obs->heldByReplay) >= int(*obs->predictedLock)
        && (!obs->observedLock || int(*obs->observedLock) < int(*obs->predictedLock)))
        obs->notes << QStringLiteral("the replayed earlier steps already held %1 on the table, and PostgreSQL "
                                     "does not show a second request of a mode a transaction holds: the step "
                                     "may take more than was seen")
                          .arg(lockModeName(*obs->heldByReplay));
}

QString skipReason(const Step& step, const QStringList& statements)
{
    if (statements.isEmpty())
        return QStringLiteral("has no SQL to run on the server (a gate)");
    if (!step.transactional && step.backfill)
        return QStringLiteral("commits after every batch (the backfill): it cannot be tried inside one transaction");
    if (!step.transactional)
        return QStringLiteral("runs outside a transaction (CONCURRENTLY): it cannot be tried inside BEGIN ... ROLLBACK");
    return {};
}
} // namespace

QVector<StepObservation> observeLocks(pg::Connection& conn, const Plan& plan, const PreviewOptions& options)
{
    refuseStandby(conn);
    if (conn.inTransaction())
        fail(QStringLiteral("25001"), QStringLiteral("the connection is inside a transaction: the preview needs one of its own"));
    const quint32 tableOid = currentTableOid(conn, plan);
    LockObserver observer(conn);
    StepReplayer replayer(conn, plan, tableOid, options);
    StepTrial trial(conn, observer, replayer, plan, tableOid, options);

    QVector<StepObservation> out;
    for (int i = 0; i < plan.steps.size(); ++i) {
        const Step& step = plan.steps[i];
        StepObservation obs;
        obs.stepId = step.id;
        obs.predictedLock = step.lock;
        obs.predictedRewrite = step.rewrites;
        QString splitError;
        const QStringList statements = statementsOf(step, &splitError);
        obs.skippedReason = splitError.isEmpty() ? skipReason(step, statements) : splitError;
        if (obs.skippedReason.isEmpty()) {
            const PreviewStatements prepared = previewStatements(statements, /*plainConcurrently=*/false);
            obs.skippedReason = prepared.unusableReason;
            if (obs.skippedReason.isEmpty()) {
                trial.run(i, prepared.statements, &obs);
                obs.observed = obs.needs.isEmpty();
                if (!obs.observed)
                    obs.skippedReason = QStringLiteral("needs %1, which could not be tried here (without it the server said: %2)")
                                            .arg(obs.needs, obs.error);
                obs.matches = !obs.observed
                              || (obs.observedLock == obs.predictedLock
                                  && (!obs.observedRewrite || *obs.observedRewrite == obs.predictedRewrite));
            }
        }
        out << obs;
    }
    return out;
}

} // namespace lockstep::preview
