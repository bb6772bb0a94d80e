// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/plan/plan.h"
#include "core/store/journal_error.h"
#include "core/store/journal_types.h"

#include <QDateTime>
#include <QJsonObject>
#include <QPair>
#include <QString>
#include <QVector>
#include <memory>
#include <mutex>
#include <optional>

namespace lockstep::store {

class SqliteDb;

// The crash-safe record of every run (SQLite in WAL mode): what was planned, which steps ran, where a
// backfill got to, what the monitor saw. `lockstep resume` continues from it, `lockstep status` and the
// GUI read it. Any number of Journal objects may use one file at once, in one process or several
// (each has its own SQLite connection; writers wait for each other up to 5 s). One object may be shared
// between threads: its calls are serialised. Every write is one short transaction. Errors throw
// JournalError. Connection strings are stored without passwords (see pg::conninfoWithoutPassword).
class Journal {
public:
    // $XDG_DATA_HOME/lockstep/journal.sqlite (QStandardPaths::GenericDataLocation).
    static QString defaultPath();

    // Creates the directories and the file as needed, opens it and brings its schema up to date.
    explicit Journal(const QString& path);
    ~Journal();
    Journal(const Journal&) = delete;
    Journal& operator=(const Journal&) = delete;

    QString path() const { return m_path; }
    int schemaVersion() const;

    // A new run in state Running, owned by this process, with one Pending step per plan step.
    // Throws JournalError (without storing anything) when `conninfo` does not parse.
    qint64 createRun(const Plan& plan, const QString& conninfo, const QString& server, const QString& untilPhase);
    // `error` replaces lastError (empty clears it). endedAt is set for Done/Failed/RolledBack, cleared
    // otherwise (a resumed run is running again).
    void setRunState(qint64 runId, RunState state, const QString& error = {});
    // The process now running the run (resume takes a run over).
    void setRunOwner(qint64 runId, qint64 pid);
    // The options the run uses (run/run_options_json.h): written when it starts and when one is changed.
    void setRunOptions(qint64 runId, const QJsonObject& options);
    // startedAt is set the first time the step leaves Pending; endedAt for Done/Failed/RolledBack/Skipped.
    // `sqlstate` and `message` replace the step's error (empty clears it).
    void setStepState(qint64 runId, int stepIndex, StepState state, const QString& sqlstate = {},
                      const QString& message = {});
    void addStepAttempt(qint64 runId, int stepIndex);

    // One checkpoint per (run, step): each save replaces the previous one.
    void saveCheckpoint(const Checkpoint& cp);
    // Forgets the step's checkpoint: its walk starts again from the first key (after a failover).
    void clearCheckpoint(qint64 runId, int stepIndex);
    std::optional<Checkpoint> checkpoint(qint64 runId, int stepIndex) const;

    void addSample(qint64 runId, const QDateTime& at, const QJsonObject& values);
    QVector<QPair<QDateTime, QJsonObject>> samples(qint64 runId) const;   // oldest first

    void addEvent(qint64 runId, const QString& kind, const QString& message);
    QVector<EventRecord> events(qint64 runId) const;                      // oldest first

    std::optional<RunRecord> run(qint64 runId) const;
    QVector<RunRecord> runs() const;                                      // newest first
    QVector<StepRecord> steps(qint64 runId) const;                        // in plan order

    // Rehearsals, as `lockstep rehearse` saves them; newest first.
    qint64 addRehearsal(const RehearsalRecord& rehearsal);
    QVector<RehearsalRecord> rehearsals() const;

    // Saved connection profiles for the GUI: name -> conninfo with the password removed. Saving one
    // again replaces it and marks it as just used. Throws JournalError when `conninfo` does not parse.
    void saveProfile(const QString& name, const QString& conninfo);
    void removeProfile(const QString& name);
    QVector<QPair<QString, QString>> profiles() const;                   // most recently used first

private:
    void switchToWal();
    enum class Durability { ProcessCrash, PowerLoss };
    template <typename Body>
    void write(Durability durability, Body&& body);
    void setDurability(Durability durability);

    QString m_path;
    std::unique_ptr<SqliteDb> m_db;
    Durability m_durability = Durability::ProcessCrash;
    mutable std::mutex m_mutex;
};

} // namespace lockstep::store
