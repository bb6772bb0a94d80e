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
//  "rehearsed_seconds", "scaled_seconds", "scaled", "error"}], "columns": [{"name", "null_frac_source",
//  "null_frac_copy", "distinct_source", "distinct_copy"}], "made_up": [...], "left_out": [...], "problems": [...]}
QJsonObject toJson(const RehearsalReport& report);
QString renderMarkdown(const RehearsalReport& report);

} // namespace lockstep::rehearse
