// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QStringList>

namespace lockstep::cli {

// `lockstep lint FILE.sql [--db CONNINFO] [--pg-version N] [--format text|json]` (FILE "-": stdin):
// every statement with the lock it takes, whether it rewrites or scans, what it blocks and its hazards
// with their fixes. Exit 0 no hazards, 5 hazards found, 2 invalid input (flags, unreadable file, a parse
// error with line:column), 3 cannot connect (--db).
int lintCommand(const QStringList& args);

} // namespace lockstep::cli
