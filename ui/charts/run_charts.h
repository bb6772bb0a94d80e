// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The run's live graphs (Qt Charts), fed by the Monitor every 500 ms and by the backfill's progress:
// replication lag per replica (seconds and bytes); lock waits (waiting count, longest wait, sessions blocked
// by us); backfill rows/s and batch time against its target; server transactions/s. The last 10 minutes
// scroll; step boundaries are marked on the time axis. The same widget replays a finished run from the
// journal (History), so every input carries its own time.
#include "core/pg/monitor_sample.h"
#include "core/run/run_types.h"

#include <QDateTime>
#include <QWidget>

namespace lockstep::ui {

class RunCharts : public QWidget {
    Q_OBJECT
public:
    explicit RunCharts(QWidget* parent = nullptr);
    ~RunCharts() override;

    // Live mode scrolls a window of windowSeconds ending at the newest input; replay mode (live = false)
    // shows the whole run.
    void setLive(bool live);
    void setWindowSeconds(int seconds);              // default 600
    void setTargetBatchMs(int ms);                   // the dashed target line on the batch-time chart (0: none)
    void setIdle(bool idle);                         // live, but no run going on: the empty graphs say they wait for one

public slots:
    void addSample(const lockstep::pg::MonitorSample& sample);
    void addProgress(const QDateTime& at, const lockstep::run::Progress& progress);
    void markStep(const QDateTime& at, const QString& label);   // a step boundary on every time axis
    void clear();

public:
    // For tests and the History view: what the charts currently hold.
    int sampleCount() const;
    int progressCount() const;
    int stepMarkCount() const;
    QStringList replicaNames() const;                // one lag series pair per replica, in first-seen order

    // Added beside the contract (tests, History): the four charts, the sentence each shows while it has
    // nothing to draw (empty when it draws), the points a named series holds, and a note under a title.
    enum class Chart { Lag, Locks, Backfill, Throughput };
    QString emptyText(Chart chart) const;
    int pointCount(const QString& seriesName) const; // e.g. "transactions/s", "replica1 lag (s)"; -1: no such series
    QStringList seriesNames(Chart chart) const;
    void setNote(Chart chart, const QString& note);
    bool isLive() const;
    // The short label markStep expects for plan step `index` (0-based) with id "sync_trigger": "2 sync trigger".
    static QString stepLabel(int index, const QString& stepId);
    int windowSeconds() const;

protected:
    void showEvent(QShowEvent* event) override;   // draws what arrived while hidden

private:
    struct Impl;
    Impl* d;
};

} // namespace lockstep::ui
