// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/run/run_options_json.h"
#include "core/run/run_types.h"

#include <QCommandLineParser>
#include <optional>

namespace lockstep::cli {

// The flags that tune a run, shared by run, resume and rollback: --lock-timeout, --target-batch-ms,
// --max-rows-per-sec, --max-lag-ms, --journal, --db.
void addRunTuningOptions(QCommandLineParser& parser, bool dbRequired);
// nullopt (and *error naming the flag) when a value is out of range.
std::optional<run::RunOptions> runOptionsFrom(const QCommandLineParser& parser, QString* error);
// --max-lag-ms in seconds; nullopt (and *error) when out of range.
std::optional<double> maxLagSecondsFrom(const QCommandLineParser& parser, QString* error);
// A resumed run's options: its journaled ones, except each flag given on this command line (`parsed`,
// `parsedLagSeconds`: what runOptionsFrom and maxLagSecondsFrom read).
run::JournaledOptions resumedOptions(const QCommandLineParser& parser, const run::JournaledOptions& journaled,
                                     const run::RunOptions& parsed, double parsedLagSeconds);
// RUN_ID as the only positional argument.
std::optional<qint64> runIdFrom(const QCommandLineParser& parser, QString* error);

} // namespace lockstep::cli
