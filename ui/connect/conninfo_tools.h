// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>

namespace lockstep::ui {

// `conninfo` (key=value or URI) as a key=value string with `password` added (when not empty) and a
// connect_timeout of 10 s unless the string or PGCONNECT_TIMEOUT sets one, so an unreachable host ends
// in an error rather than a connection that never finishes. Empty with *error when libpq cannot parse it.
// The result holds the password: it stays in memory, never in a file.
QString conninfoForConnect(const QString& conninfo, const QString& password, QString* error = nullptr);

// Connects once with libpq and reports whether the server asked for a password that we did not have
// (PQconnectionNeedsPassword): the cue to ask the user, rather than show an error.
bool serverWantsPassword(const QString& conninfo);

// A short name for a connection: "dbname@host" from what the conninfo says (libpq defaults otherwise).
QString conninfoLabel(const QString& conninfo);

} // namespace lockstep::ui
