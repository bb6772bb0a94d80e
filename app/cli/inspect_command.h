// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QStringList>

namespace lockstep::cli {

// `lockstep inspect --db CONNINFO [--format text|json] [--sample-ms N] [--table NAME]`: the server
// (version, replicas and their lag, long transactions and the tables they lock) and every user table with
// its size, rows, traffic and lock risk with the reasons; riskiest first in text. With --table, that one
// table only, with its columns, indexes, constraints and triggers.
int inspectCommand(const QStringList& args);

} // namespace lockstep::cli
