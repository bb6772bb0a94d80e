// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Read-only views of a past run for the History tab: everything about one run in one read, whether its
// owner process still lives (a run left "running" by a crash can be resumed or rolled back), and the
// backfill's figures over time as far as the journal knows them.
#include "core/pg/monitor_sample.h"
#include "core/run/run_types.h"
#include "core/store/journal.h"

#include <QDateTime>
#include <QMap>
#include <QPair>
#include <QVector>

namespace lockstep::store {

struct RunHistory {
    RunRecord run;
    QVector<StepRecord> steps;                 // plan order
    QVector<pg::MonitorSample> samples;        // oldest first, each with its time
    QVector<EventRecord> events;               // oldest first
    QMap<int, Checkpoint> checkpoints;         // by step index: where each batched step got to

    // The newest time the journal saw anything of this run (its owner was alive then).
    QDateTime lastActivity() const;
};

// Throws JournalError when the run does not exist.
RunHistory loadRunHistory(const Journal& journal, qint64 runId);

enum class RunLiveness {
    Active,    // a live process owns it and it is not over
    CutOff,    // it says running / paused / rolling back, but its owner process is gone (crash, kill -9)
    Stopped,   // failed or interrupted: its owner let go, it can be resumed or rolled back
    Finished,  // done or rolled back
};
QString runLivenessText(RunLiveness liveness);   // a few words for a list

// Whether `pid` is a live process that could have written the run's last record at `lastActivity`: it
// exists, is no zombie, and did not start after that moment (a recycled pid is not the owner).
bool ownerProcessAlive(qint64 pid, const QDateTime& lastActivity);
RunLiveness runLiveness(const RunRecord& run, const QDateTime& lastActivity);
inline RunLiveness runLiveness(const RunHistory& h) { return runLiveness(h.run, h.lastActivity()); }

// Empty when a rollback can undo the run, else why not (a point of no return has been passed).
QString rollbackBlockedReason(const RunHistory& h);

// Backfill progress events: if the run's owner journals them (kind kProgressEventKind, message from
// progressEventMessage, at most every second or so), History replays the real rows/s and batch times.
inline constexpr const char* kProgressEventKind = "backfill-progress";
QString progressEventMessage(const run::Progress& progress);

struct ProgressPoint {
    QDateTime at;
    run::Progress progress;
    bool measured = true;   // false: the average over the step from its checkpoint (no batch times)
};
// The backfill's figures over time: the progress events when there are any, else per backfill step the
// average rate from its checkpoint and start/end times (two points spanning the step, lastBatchMs 0).
QVector<ProgressPoint> replayedProgress(const RunHistory& h);

} // namespace lockstep::store
