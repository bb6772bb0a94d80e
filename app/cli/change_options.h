// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/change/new_column_change.h"

#include <QCommandLineParser>
#include <optional>

namespace lockstep::cli {

// The change flags shared by `plan` and (later) `run`: --table, --add-column | --replace-column/--new-name,
// --type, --default, --not-null, --backfill, --unique, --index, --references, --on-delete, --check, or
// --change FILE.json with the same fields.
void addChangeOptions(QCommandLineParser& parser);

// Builds the change from the parsed flags. On bad input returns nullopt and sets *error to a message
// that names the flag.
std::optional<NewColumnChange> changeFromOptions(const QCommandLineParser& parser, QString* error);

} // namespace lockstep::cli
