// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Words and colours for past runs (History), and the replay of a run's journal into the run charts.
#include "core/store/run_history.h"

#include <QBrush>
#include <QColor>
#include <QString>

namespace lockstep::ui {

class RunCharts;

// "done", "failed", "cut off", "running now"...
QString runStateText(store::RunState state, store::RunLiveness liveness);
QBrush runStateColour(store::RunState state, store::RunLiveness liveness);
QBrush stepStateColour(store::StepState state);
QString timeText(const QDateTime& at);                    // local "2026-11-23 16:40:05", "" when invalid
QString shortTimeText(const QDateTime& at);               // "16:40:05" today, "Nov 23 16:40" this year, else the date
QString tableText(const QString& quotedTable);            // `"public"."Order Items"` -> public.Order Items (display only)
QString stepDurationText(const store::StepRecord& step, const store::RunHistory& h);
// "Run 7 · public.orders · add column … · until switch" and, under it in `quiet`, the server.
QString runTitleHtml(const store::RunRecord& run, const QColor& quiet);
// What happened to the run and what the buttons would do, in a sentence or two.
QString runStatusText(const store::RunHistory& h, store::RunLiveness liveness);
// Why neither Resume nor Rollback is offered (a finished or live run).
QString actionBlockedReason(const store::RunHistory& h, store::RunLiveness liveness);

// Clears `charts`, switches it to replay mode and feeds it the run's samples, backfill figures and step starts.
void replayIntoCharts(const store::RunHistory& h, RunCharts* charts);

} // namespace lockstep::ui
