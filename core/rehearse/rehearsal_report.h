// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A rehearsal's report in the three forms `lockstep rehearse --format` prints: text for the terminal,
// JSON for scripts, Markdown for a change review.
#include "core/rehearse/rehearsal.h"

#include <QJsonObject>
#include <QString>

namespace lockstep::rehearse {

QString renderText(const RehearsalReport& report);
// {"table", "change", "outcome", "ok", "message", "server", "production_rows", "copy_rows", "row_scale",
//  "seconds", "wal_bytes", "steps": [{"id", "title", "state", "attempts", "estimated_seconds",
//  "rehearsed_seconds", "scaled_seconds", "scaled", "error", "traffic": LATENCY}], "columns": [{"name",
//  "null_frac_source", "null_frac_copy", "distinct_source", "distinct_copy"}], "made_up": [...], "left_out": [...],
//  "problems": [...], "traffic": {"replayed", "source", "inserts_per_second", "updates_per_second",
//  "deletes_per_second", "reads_per_second", "baseline": LATENCY, "during": LATENCY, "first_error"}}
//  LATENCY: {"statements", "failed", "p50_ms", "p99_ms", "max_ms"}
QJsonObject toJson(const RehearsalReport& report);
QString renderMarkdown(const RehearsalReport& report);

} // namespace lockstep::rehearse
