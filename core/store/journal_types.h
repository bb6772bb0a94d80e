// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/plan/plan.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <optional>

namespace lockstep::store {

enum class RunState { Running, Paused, Failed, Done, RollingBack, RolledBack, Interrupted };
enum class StepState { Pending, Running, WaitingForLock, Throttled, Done, Failed, RolledBack, Skipped };

// Names as stored in the journal and printed by `lockstep status`: "running", "rolling-back", ...
QString runStateName(RunState state);
std::optional<RunState> runStateFromName(const QString& name);
// "pending", "running", "waiting-for-lock", "throttled", "done", "failed", "rolled-back", "skipped".
QString stepStateName(StepState state);
std::optional<StepState> stepStateFromName(const QString& name);

// A run ends (endedAt is set) in these states; any other state clears endedAt again.
bool isFinalRunState(RunState state);
// A step has ended (endedAt is set) in these states.
bool isFinalStepState(StepState state);

struct RunRecord {
    qint64 id = 0;
    RunState state = RunState::Running;
    QString conninfo;       // password removed
    QString server;         // "15.4 on host:port/db"
    QString table;
    Plan plan;
    QString untilPhase;
    QDateTime startedAt;
    QDateTime endedAt;      // invalid while not ended
    QString lastError;
    qint64 ownerPid = 0;    // the process that runs (or last ran) it
    QJsonObject options;    // its run options (run/run_options_json.h); empty for runs journaled before them
    QString uid;            // 32 hex digits: the run's identity on the server (run/owner_marks.h)
};

struct StepRecord {
    qint64 runId = 0;
    int index = 0;          // position in plan.steps
    QString stepId;
    StepState state = StepState::Pending;
    QDateTime startedAt;    // first time it left Pending; invalid before
    QDateTime endedAt;
    int attempts = 0;
    QString errorSqlstate;
    QString errorMessage;

    // It left Pending at some point (a rollback undoes it; a run with none started owns nothing).
    bool hasStarted() const { return state != StepState::Pending || startedAt.isValid(); }
};

// Where a batched step got to: written after every committed batch, one per (run, step).
struct Checkpoint {
    qint64 runId = 0;
    int stepIndex = 0;
    QStringList lastKey;    // the last key done, as text (ctid walks: the page)
    qint64 rowsDone = 0;
    qint64 batches = 0;
    QDateTime at;           // when; the current time if left invalid
};

struct EventRecord {
    qint64 runId = 0;
    QDateTime at;
    QString kind;
    QString message;
};

// One rehearsal (rehearse/rehearsal.h) as `lockstep rehearse` saved it.
struct RehearsalRecord {
    qint64 id = 0;
    QDateTime at;
    QString server;        // host:port of the production server (store/measured_rates.h serverAddress)
    QString table;         // quoted, qualified
    QString change;        // "add column \"total\" bigint ..."
    bool ok = false;       // every step ran, no problem found
    QJsonObject report;    // the whole report (rehearse/rehearsal_report.h toJson)
};

} // namespace lockstep::store
