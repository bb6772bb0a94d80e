// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/run_history.h"

#include "core/local/server_tools.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <unistd.h>

namespace lockstep::store {

namespace {

void later(QDateTime& newest, const QDateTime& t)
{
    if (t.isValid() && (!newest.isValid() || t > newest))
        newest = t;
}

// When the process started, from /proc (Linux); invalid when unknown.
QDateTime processStart(qint64 pid)
{
    QFile statFile(QStringLiteral("/proc/%1/stat").arg(pid));
    QFile bootFile(QStringLiteral("/proc/stat"));
    if (!statFile.open(QIODevice::ReadOnly) || !bootFile.open(QIODevice::ReadOnly))
        return {};
    // Fields after the command name (which may hold spaces and parentheses) start at field 3 (state);
    // starttime is field 22, in clock ticks since boot.
    const QByteArray stat = statFile.readAll();
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 20)
        return {};
    const qint64 ticks = fields.at(19).toLongLong();
    qint64 bootSeconds = 0;
    for (const QByteArray& line : bootFile.readAll().split('\n'))
        if (line.startsWith("btime "))
            bootSeconds = line.mid(6).trimmed().toLongLong();
    const long perSecond = sysconf(_SC_CLK_TCK);
    if (bootSeconds <= 0 || perSecond <= 0)
        return {};
    return QDateTime::fromMSecsSinceEpoch(bootSeconds * 1000 + ticks * 1000 / perSecond, Qt::UTC);
}

} // namespace

QDateTime RunHistory::lastActivity() const
{
    QDateTime newest = run.startedAt;
    later(newest, run.endedAt);
    for (const StepRecord& s : steps) {
        later(newest, s.startedAt);
        later(newest, s.endedAt);
    }
    if (!samples.isEmpty())
        later(newest, samples.last().at);
    if (!events.isEmpty())
        later(newest, events.last().at);
    for (const Checkpoint& c : checkpoints)
        later(newest, c.at);
    return newest;
}

RunHistory loadRunHistory(const Journal& journal, qint64 runId)
{
    RunHistory h;
    const std::optional<RunRecord> run = journal.run(runId);
    if (!run)
        throw JournalError(QStringLiteral("no run %1 in the journal").arg(runId).toStdString());
    h.run = *run;
    h.steps = journal.steps(runId);
    const auto samples = journal.samples(runId);
    h.samples.reserve(samples.size());
    for (const auto& [at, values] : samples)
        h.samples.append(pg::MonitorSample::fromJson(at, values));
    h.events = journal.events(runId);
    for (const StepRecord& s : std::as_const(h.steps))
        if (auto cp = journal.checkpoint(runId, s.index))
            h.checkpoints.insert(s.index, *cp);
    return h;
}

QString runLivenessText(RunLiveness liveness)
{
    switch (liveness) {
    case RunLiveness::Active: return QStringLiteral("in progress");
    case RunLiveness::CutOff: return QStringLiteral("cut off: its process is gone");
    case RunLiveness::Stopped: return QStringLiteral("stopped: resumable");
    case RunLiveness::Finished: return QStringLiteral("finished");
    }
    return {};
}

bool ownerProcessAlive(qint64 pid, const QDateTime& lastActivity)
{
    if (pid <= 0 || !local::processAlive(pid))
        return false;
    const QDateTime started = processStart(pid);
    // A few seconds of slack: /proc's start time is in clock ticks and the journal's times in milliseconds.
    return !started.isValid() || !lastActivity.isValid() || started <= lastActivity.addSecs(5);
}

RunLiveness runLiveness(const RunRecord& run, const QDateTime& lastActivity)
{
    switch (run.state) {
    case RunState::Done:
    case RunState::RolledBack:
        return RunLiveness::Finished;
    case RunState::Failed:
    case RunState::Interrupted:
        return RunLiveness::Stopped;
    case RunState::Paused:
        return ownerProcessAlive(run.ownerPid, lastActivity) ? RunLiveness::Active : RunLiveness::Stopped;
    case RunState::Running:
    case RunState::RollingBack:
        return ownerProcessAlive(run.ownerPid, lastActivity) ? RunLiveness::Active : RunLiveness::CutOff;
    }
    return RunLiveness::Stopped;
}

QString rollbackBlockedReason(const RunHistory& h)
{
    if (h.run.state == RunState::RolledBack)
        return QStringLiteral("already rolled back");
    for (const StepRecord& s : h.steps) {
        if (s.index < 0 || s.index >= h.run.plan.steps.size())
            continue;
        const Step& step = h.run.plan.steps.at(s.index);
        if (!step.reversible && (s.state == StepState::Done || s.state == StepState::Running
                                 || s.state == StepState::Failed))
            return QStringLiteral("past the point of no return: \"%1\" has run").arg(step.title);
    }
    return {};
}

QString progressEventMessage(const run::Progress& p)
{
    const QJsonObject o{
        {QStringLiteral("step"), p.stepIndex},
        {QStringLiteral("rows_done"), p.rowsDone},
        {QStringLiteral("rows_total"), p.rowsTotal},
        {QStringLiteral("rows_per_s"), p.rowsPerSecond},
        {QStringLiteral("eta_s"), p.etaSeconds},
        {QStringLiteral("batch_rows"), p.batchRows},
        {QStringLiteral("last_batch_ms"), p.lastBatchMs},
        {QStringLiteral("batches"), p.batches},
        {QStringLiteral("throttle"), p.throttleReason},
        {QStringLiteral("pace"), p.pace},
    };
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QVector<ProgressPoint> replayedProgress(const RunHistory& h)
{
    QVector<ProgressPoint> points;
    for (const EventRecord& e : h.events) {
        if (e.kind != QLatin1String(kProgressEventKind))
            continue;
        const QJsonObject o = QJsonDocument::fromJson(e.message.toUtf8()).object();
        if (o.isEmpty())
            continue;
        ProgressPoint pt;
        pt.at = e.at;
        pt.progress.stepIndex = o.value(QLatin1String("step")).toInt(-1);
        pt.progress.rowsDone = o.value(QLatin1String("rows_done")).toInteger();
        pt.progress.rowsTotal = o.value(QLatin1String("rows_total")).toInteger();
        pt.progress.rowsPerSecond = o.value(QLatin1String("rows_per_s")).toDouble();
        pt.progress.etaSeconds = o.value(QLatin1String("eta_s")).toDouble(-1);
        pt.progress.batchRows = o.value(QLatin1String("batch_rows")).toInt();
        pt.progress.lastBatchMs = o.value(QLatin1String("last_batch_ms")).toInt();
        pt.progress.batches = o.value(QLatin1String("batches")).toInteger();
        pt.progress.throttleReason = o.value(QLatin1String("throttle")).toString();
        pt.progress.pace = o.value(QLatin1String("pace")).toString();
        points.append(pt);
    }
    if (!points.isEmpty())
        return points;

    // No per-batch record: the average rate over each backfill step, from its checkpoint.
    for (const StepRecord& s : h.steps) {
        const auto cp = h.checkpoints.constFind(s.index);
        if (cp == h.checkpoints.cend() || !s.startedAt.isValid())
            continue;
        const QDateTime end = s.endedAt.isValid() ? s.endedAt : cp->at;
        const double seconds = s.startedAt.msecsTo(end) / 1000.0;
        if (seconds <= 0)
            continue;
        ProgressPoint pt;
        pt.measured = false;
        pt.progress.stepIndex = s.index;
        pt.progress.rowsDone = cp->rowsDone;
        pt.progress.rowsTotal = cp->rowsDone;
        pt.progress.rowsPerSecond = double(cp->rowsDone) / seconds;
        pt.progress.batches = cp->batches;
        pt.at = s.startedAt;
        points.append(pt);
        pt.at = end;
        points.append(pt);
    }
    return points;
}

} // namespace lockstep::store
