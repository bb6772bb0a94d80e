// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/journal.h"

#include "core/pg/conninfo_redaction.h"
#include "core/store/journal_schema.h"
#include "core/store/sqlite_db.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QThread>
#include <QUuid>
#include <sqlite3.h>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>
#include <QtGlobal>

// Durability. The journal runs in WAL mode. A commit writes its WAL frames into the file (the OS page
// cache) before returning, so with synchronous=NORMAL a committed transaction survives the process being
// SIGKILLed at any moment; NORMAL only defers the fsync to the next WAL checkpoint, so a power loss or an
// OS crash may forget the last commits (never corrupt the file).
// - Checkpoints, samples, events, attempts and transient step states use NORMAL: they are frequent (a
//   checkpoint after every batch) and forgetting the last few after a power loss only makes resume redo a
//   few batches, which is harmless since every batch only touches rows still to fill.
// - Run creation, run states, final step states and profiles use FULL (fsync of the WAL at commit): they
//   are rare, and after a power loss resume must not forget that a DDL step completed. A FULL commit also
//   makes every earlier NORMAL commit durable, since they sit before it in the same WAL.
// The server's COMMIT and the journal's never form one atomic unit anyway: the runner must check, on
// resume, the state of a step that was running when the process died.

namespace lockstep::store {
namespace {

constexpr int kBusyTimeoutMs = 5000;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QDateTime timeAt(const SqliteStatement& row, int column)
{
    return row.isNull(column) ? QDateTime() : QDateTime::fromMSecsSinceEpoch(row.int64(column));
}

QString redacted(const QString& conninfo)
{
    QString error;
    const QString safe = pg::conninfoWithoutPassword(conninfo, &error);
    // libpq's message may quote a piece of the string (perhaps the password): it stays out of the error.
    if (!error.isEmpty())
        throw JournalError("the connection string does not parse, so its password cannot be removed: not stored");
    return safe;
}

QString compactJson(const QJsonObject& object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QJsonObject parseObject(const QString& text)
{
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

RunState runStateOf(const QString& name)
{
    if (auto state = runStateFromName(name))
        return *state;
    throw JournalError("the journal holds an unknown run state: " + name.toStdString());
}

StepState stepStateOf(const QString& name)
{
    if (auto state = stepStateFromName(name))
        return *state;
    throw JournalError("the journal holds an unknown step state: " + name.toStdString());
}

const char* const kRunColumns = "SELECT id, state, conninfo, server, table_name, plan_json, until_phase, "
                                "started_at, ended_at, last_error, owner_pid, options_json, run_uid FROM runs ";

RunRecord runFromRow(const SqliteStatement& row)
{
    RunRecord r;
    r.id = row.int64(0);
    r.state = runStateOf(row.text(1));
    r.conninfo = row.text(2);
    r.server = row.text(3);
    r.table = row.text(4);
    r.plan = Plan::fromJson(parseObject(row.text(5)));
    r.untilPhase = row.text(6);
    r.startedAt = timeAt(row, 7);
    r.endedAt = timeAt(row, 8);
    r.lastError = row.text(9);
    r.ownerPid = row.int64(10);
    r.options = parseObject(row.text(11));
    r.uid = row.text(12);
    return r;
}

void expectChanged(SqliteDb& db, const char* what, qint64 runId, int stepIndex = -1)
{
    if (db.changes() > 0)
        return;
    std::string where = "run " + std::to_string(runId);
    if (stepIndex >= 0)
        where += " step " + std::to_string(stepIndex);
    throw JournalError(std::string(what) + ": the journal has no " + where);
}

} // namespace

QString Journal::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
        + QStringLiteral("/lockstep/journal.sqlite");
}

Journal::Journal(const QString& path) : m_path(path)
{
    const QString dir = QFileInfo(path).absolutePath();
    if (!QDir().mkpath(dir))
        throw JournalError("cannot create the journal's directory " + dir.toStdString());
    m_db = std::make_unique<SqliteDb>(path);
    // The busy timeout first: switching to WAL and migrating may wait for another process.
    m_db->exec(("PRAGMA busy_timeout = " + std::to_string(kBusyTimeoutMs)).c_str());
    switchToWal();
    m_db->exec("PRAGMA synchronous = NORMAL");
    m_db->exec("PRAGMA foreign_keys = ON");
    // Keep the WAL file from staying large after a burst of samples.
    m_db->exec("PRAGMA journal_size_limit = 4194304");
    migrateJournal(*m_db);
}

Journal::~Journal() = default;

void Journal::switchToWal()
{
    // Two processes creating the same new journal race for the switch to WAL, and SQLite answers the
    // loser SQLITE_BUSY at once, without its busy handler (it will not wait on a lock upgrade): retry
    // within the same busy timeout.
    QElapsedTimer waited;
    waited.start();
    for (;;) {
        try {
            SqliteStatement mode = m_db->prepare("PRAGMA journal_mode = WAL");
            if (!mode.next() || mode.text(0).compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0) {
                // Still crash-safe (rollback journal), but readers then block the writer for a moment.
                qWarning("journal %s: WAL mode unavailable, using %s", qPrintable(m_path), qPrintable(mode.text(0)));
            }
            return;
        } catch (const JournalError& e) {
            if (e.sqliteCode != SQLITE_BUSY || waited.elapsed() >= kBusyTimeoutMs)
                throw;
            QThread::msleep(5);
        }
    }
}

void Journal::setDurability(Durability durability)
{
    if (durability == m_durability)
        return;
    m_db->exec(durability == Durability::PowerLoss ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
    m_durability = durability;
}

template <typename Body>
void Journal::write(Durability durability, Body&& body)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    setDurability(durability); // before BEGIN: the level governs this transaction's commit
    SqliteTransaction tx(*m_db);
    body();
    tx.commit();
}

int Journal::schemaVersion() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return readSchemaVersion(*m_db);
}

qint64 Journal::createRun(const Plan& plan, const QString& conninfo, const QString& server,
                          const QString& untilPhase)
{
    const QString safeConninfo = redacted(conninfo);
    const QString planJson = compactJson(plan.toJson());
    qint64 runId = 0;
    write(Durability::PowerLoss, [&] {
        m_db->prepare("INSERT INTO runs (state, conninfo, server, table_name, plan_json, until_phase, "
                      "started_at, owner_pid, run_uid) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
            .bind(1, runStateName(RunState::Running))
            .bind(2, safeConninfo)
            .bind(3, server)
            .bind(4, plan.table)
            .bind(5, planJson)
            .bind(6, untilPhase)
            .bind(7, nowMs())
            .bind(8, qint64(QCoreApplication::applicationPid()))
            .bind(9, QUuid::createUuid().toString(QUuid::Id128))
            .run();
        runId = m_db->lastInsertId();
        for (int i = 0; i < plan.steps.size(); ++i) {
            m_db->prepare("INSERT INTO steps (run_id, step_index, step_id, state) VALUES (?1, ?2, ?3, ?4)")
                .bind(1, runId)
                .bind(2, qint64(i))
                .bind(3, plan.steps.at(i).id)
                .bind(4, stepStateName(StepState::Pending))
                .run();
        }
    });
    return runId;
}

void Journal::setRunState(qint64 runId, RunState state, const QString& error)
{
    write(Durability::PowerLoss, [&] {
        auto stmt = m_db->prepare("UPDATE runs SET state = ?2, ended_at = ?3, last_error = ?4 WHERE id = ?1");
        stmt.bind(1, runId).bind(2, runStateName(state)).bindOptional(4, error);
        if (isFinalRunState(state))
            stmt.bind(3, nowMs());
        else
            stmt.bindNull(3);
        stmt.run();
        expectChanged(*m_db, "setRunState", runId);
    });
}

void Journal::setRunOwner(qint64 runId, qint64 pid)
{
    write(Durability::PowerLoss, [&] {
        m_db->prepare("UPDATE runs SET owner_pid = ?2 WHERE id = ?1").bind(1, runId).bind(2, pid).run();
        expectChanged(*m_db, "setRunOwner", runId);
    });
}

void Journal::setRunOptions(qint64 runId, const QJsonObject& options)
{
    write(Durability::PowerLoss, [&] {
        m_db->prepare("UPDATE runs SET options_json = ?2 WHERE id = ?1")
            .bind(1, runId)
            .bind(2, QString::fromUtf8(QJsonDocument(options).toJson(QJsonDocument::Compact)))
            .run();
        expectChanged(*m_db, "setRunOptions", runId);
    });
}

void Journal::setStepState(qint64 runId, int stepIndex, StepState state, const QString& sqlstate,
                           const QString& message)
{
    const bool final = isFinalStepState(state);
    write(final ? Durability::PowerLoss : Durability::ProcessCrash, [&] {
        auto stmt = m_db->prepare(
            "UPDATE steps SET state = ?3, "
            "started_at = CASE WHEN ?4 THEN coalesce(started_at, ?5) ELSE started_at END, "
            // A rolled-back step keeps the end of its own run (History showed "took 3 min" for a step of
            // < 0.1 s: its end had become the rollback's time); the run's events date the rollback.
            "ended_at = CASE WHEN NOT ?6 THEN NULL WHEN ?3 = 'rolled-back' AND ended_at IS NOT NULL THEN ended_at ELSE ?5 END, "
            "error_sqlstate = ?7, error_message = ?8 WHERE run_id = ?1 AND step_index = ?2");
        stmt.bind(1, runId)
            .bind(2, qint64(stepIndex))
            .bind(3, stepStateName(state))
            .bind(4, qint64(state != StepState::Pending))
            .bind(5, nowMs())
            .bind(6, qint64(final))
            .bindOptional(7, sqlstate)
            .bindOptional(8, message)
            .run();
        expectChanged(*m_db, "setStepState", runId, stepIndex);
    });
}

void Journal::addStepAttempt(qint64 runId, int stepIndex)
{
    write(Durability::ProcessCrash, [&] {
        m_db->prepare("UPDATE steps SET attempts = attempts + 1 WHERE run_id = ?1 AND step_index = ?2")
            .bind(1, runId)
            .bind(2, qint64(stepIndex))
            .run();
        expectChanged(*m_db, "addStepAttempt", runId, stepIndex);
    });
}

void Journal::clearCheckpoint(qint64 runId, int stepIndex)
{
    write(Durability::PowerLoss, [&] {
        m_db->prepare("DELETE FROM checkpoints WHERE run_id = ?1 AND step_index = ?2").bind(1, runId).bind(2, qint64(stepIndex)).run();
    });
}

void Journal::saveCheckpoint(const Checkpoint& cp)
{
    const QString lastKey =
        QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(cp.lastKey)).toJson(QJsonDocument::Compact));
    const qint64 at = cp.at.isValid() ? cp.at.toMSecsSinceEpoch() : nowMs();
    write(Durability::ProcessCrash, [&] {
        m_db->prepare("INSERT INTO checkpoints (run_id, step_index, last_key, rows_done, batches, at) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (run_id, step_index) DO UPDATE SET "
                      "last_key = excluded.last_key, rows_done = excluded.rows_done, "
                      "batches = excluded.batches, at = excluded.at")
            .bind(1, cp.runId)
            .bind(2, qint64(cp.stepIndex))
            .bind(3, lastKey)
            .bind(4, cp.rowsDone)
            .bind(5, cp.batches)
            .bind(6, at)
            .run();
    });
}

std::optional<Checkpoint> Journal::checkpoint(qint64 runId, int stepIndex) const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    auto row = m_db->prepare("SELECT last_key, rows_done, batches, at FROM checkpoints "
                             "WHERE run_id = ?1 AND step_index = ?2");
    row.bind(1, runId).bind(2, qint64(stepIndex));
    if (!row.next())
        return std::nullopt;
    Checkpoint cp;
    cp.runId = runId;
    cp.stepIndex = stepIndex;
    for (const QJsonValue& v : QJsonDocument::fromJson(row.text(0).toUtf8()).array())
        cp.lastKey << v.toString();
    cp.rowsDone = row.int64(1);
    cp.batches = row.int64(2);
    cp.at = timeAt(row, 3);
    return cp;
}

void Journal::addSample(qint64 runId, const QDateTime& at, const QJsonObject& values)
{
    const QString json = compactJson(values);
    const qint64 atMs = at.isValid() ? at.toMSecsSinceEpoch() : nowMs();
    write(Durability::ProcessCrash, [&] {
        m_db->prepare("INSERT INTO samples (run_id, at, values_json) VALUES (?1, ?2, ?3)")
            .bind(1, runId)
            .bind(2, atMs)
            .bind(3, json)
            .run();
    });
}

QVector<QPair<QDateTime, QJsonObject>> Journal::samples(qint64 runId) const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    QVector<QPair<QDateTime, QJsonObject>> out;
    auto row = m_db->prepare("SELECT at, values_json FROM samples WHERE run_id = ?1 ORDER BY at, id");
    row.bind(1, runId);
    while (row.next())
        out.append({timeAt(row, 0), parseObject(row.text(1))});
    return out;
}

void Journal::addEvent(qint64 runId, const QString& kind, const QString& message)
{
    write(Durability::ProcessCrash, [&] {
        m_db->prepare("INSERT INTO events (run_id, at, kind, message) VALUES (?1, ?2, ?3, ?4)")
            .bind(1, runId)
            .bind(2, nowMs())
            .bind(3, kind)
            .bind(4, message)
            .run();
    });
}

qint64 Journal::addRehearsal(const RehearsalRecord& r)
{
    qint64 id = 0;
    write(Durability::ProcessCrash, [&] {
        m_db->prepare("INSERT INTO rehearsals (at, server, table_name, change, ok, report_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
            .bind(1, nowMs())
            .bind(2, r.server)
            .bind(3, r.table)
            .bind(4, r.change)
            .bind(5, qint64(r.ok ? 1 : 0))
            .bind(6, compactJson(r.report))
            .run();
        id = m_db->lastInsertId();
    });
    return id;
}

QVector<RehearsalRecord> Journal::rehearsals() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    QVector<RehearsalRecord> out;
    auto row = m_db->prepare("SELECT id, at, server, table_name, change, ok, report_json FROM rehearsals ORDER BY id DESC");
    while (row.next()) {
        RehearsalRecord r;
        r.id = row.int64(0);
        r.at = timeAt(row, 1);
        r.server = row.text(2);
        r.table = row.text(3);
        r.change = row.text(4);
        r.ok = row.int64(5) != 0;
        r.report = parseObject(row.text(6));
        out << r;
    }
    return out;
}

QVector<EventRecord> Journal::events(qint64 runId) const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    QVector<EventRecord> out;
    auto row = m_db->prepare("SELECT at, kind, message FROM events WHERE run_id = ?1 ORDER BY id");
    row.bind(1, runId);
    while (row.next())
        out.append(EventRecord{runId, timeAt(row, 0), row.text(1), row.text(2)});
    return out;
}

std::optional<RunRecord> Journal::run(qint64 runId) const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    static const std::string sql = std::string(kRunColumns) + "WHERE id = ?1";
    auto row = m_db->prepare(sql.c_str());
    row.bind(1, runId);
    if (!row.next())
        return std::nullopt;
    return runFromRow(row);
}

QVector<RunRecord> Journal::runs() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    static const std::string sql = std::string(kRunColumns) + "ORDER BY id DESC";
    QVector<RunRecord> out;
    auto row = m_db->prepare(sql.c_str());
    while (row.next())
        out.append(runFromRow(row));
    return out;
}

QVector<StepRecord> Journal::steps(qint64 runId) const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    QVector<StepRecord> out;
    auto row = m_db->prepare("SELECT step_index, step_id, state, started_at, ended_at, attempts, "
                             "error_sqlstate, error_message FROM steps WHERE run_id = ?1 ORDER BY step_index");
    row.bind(1, runId);
    while (row.next()) {
        StepRecord s;
        s.runId = runId;
        s.index = static_cast<int>(row.int64(0));
        s.stepId = row.text(1);
        s.state = stepStateOf(row.text(2));
        s.startedAt = timeAt(row, 3);
        s.endedAt = timeAt(row, 4);
        s.attempts = static_cast<int>(row.int64(5));
        s.errorSqlstate = row.text(6);
        s.errorMessage = row.text(7);
        out.append(s);
    }
    return out;
}

void Journal::saveProfile(const QString& name, const QString& conninfo)
{
    const QString safeConninfo = redacted(conninfo);
    write(Durability::PowerLoss, [&] {
        m_db->prepare("INSERT INTO profiles (name, conninfo, used_seq, used_at) "
                      "VALUES (?1, ?2, (SELECT coalesce(max(used_seq), 0) + 1 FROM profiles), ?3) "
                      "ON CONFLICT (name) DO UPDATE SET conninfo = excluded.conninfo, "
                      "used_seq = excluded.used_seq, used_at = excluded.used_at")
            .bind(1, name)
            .bind(2, safeConninfo)
            .bind(3, nowMs())
            .run();
    });
}

void Journal::removeProfile(const QString& name)
{
    write(Durability::PowerLoss, [&] {
        m_db->prepare("DELETE FROM profiles WHERE name = ?1").bind(1, name).run();
    });
}

QVector<QPair<QString, QString>> Journal::profiles() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    QVector<QPair<QString, QString>> out;
    auto row = m_db->prepare("SELECT name, conninfo FROM profiles ORDER BY used_seq DESC");
    while (row.next())
        out.append({row.text(0), row.text(1)});
    return out;
}

} // namespace lockstep::store
