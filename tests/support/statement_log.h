// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QMap>
#include <QString>

namespace lockstep::test {

// Reads a server log written with log_statement=all from byte `offset` on, and counts the statements it
// shows by their first keyword (upper case): "SELECT" -> 12, "BEGIN" -> 3, ...; a BEGIN READ ONLY is counted
// under "BEGIN" and under "BEGIN READ ONLY". Tests use it to prove that only read-only statements reached the server.
QMap<QString, int> loggedStatementKinds(const QString& logPath, qint64 offset);

// The kinds in `seen` that are not read-only (anything but SELECT, EXPLAIN, BEGIN, ROLLBACK, SET, RESET,
// SHOW, WITH, SAVEPOINT, RELEASE; DO too when every BEGIN was BEGIN READ ONLY).
QStringList writingStatementKinds(const QMap<QString, int>& seen);

} // namespace lockstep::test
