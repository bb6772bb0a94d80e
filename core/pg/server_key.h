// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>

namespace lockstep::pg {

// Which server, database and role a connection string reaches, as one comparable string without secrets:
// "user@host:port/db" (or "service=... user=... dbname=..."), what the user typed filled in with libpq's
// defaults (PG* variables, then built-ins) exactly as libpq will when connecting. Two connection strings
// for the same place give the same key: the keychain's entry name, and how a run is matched to a server.
QString serverKey(const QString& conninfo);

} // namespace lockstep::pg
