// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A run's options as journaled with it (runs.options_json), so that a resume -- the CLI's or the
// window's -- continues with the rate cap, batch target, lag limit, lock waits and pacing the run was
// started with; a resume that changes one says so (changedOptions).
#include "core/run/run_types.h"

#include <QJsonObject>
#include <QStringList>

namespace lockstep::run {

// The options a run is driven with: the Runner's, plus the replica-lag limit its session watches.
struct JournaledOptions {
    RunOptions run;
    double maxLagSeconds = 1.0;   // 0: lag not watched
};

// Keys: lock_timeout_ms, lock_wait_start_ms, free_moment_ms, target_batch_ms, max_rows_per_sec, max_lag_ms, yield_to_traffic.
QJsonObject optionsToJson(const JournaledOptions& options);
// `json` over `base`: keys it lacks (a run journaled before them) keep base's values.
JournaledOptions optionsFromJson(const QJsonObject& json, const JournaledOptions& base = {});
// "--max-rows-per-sec 30000 (was 0)" for each option that differs, in the CLI's flag names.
QStringList changedOptions(const JournaledOptions& from, const JournaledOptions& to);
// `base`, except the options whose CLI flag (without "--": "max-rows-per-sec", "full-speed") is in
// `given`, which take `from`'s value: a resume's own flags over the run's journaled options.
JournaledOptions withGivenFlags(const JournaledOptions& base, const JournaledOptions& from, const QStringList& given);
// The options in the CLI's flag names, e.g. "--lock-timeout 1000 --max-rows-per-sec 30000 ...".
QString optionsAsFlags(const JournaledOptions& options);

} // namespace lockstep::run
