// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>

namespace lockstep::pg {

// `conninfo` (libpq key=value string or postgresql:// URI) without its secrets, as a key=value string
// that libpq parses back to the same settings: `password` and every other option libpq flags as a
// password (sslpassword) are dropped; a dbname that is itself a connection string is redacted too (and
// refused, as below, when it does not parse).
// Values are quoted the libpq way ('...' with \' and \\) only where needed.
// What libpq cannot parse cannot be redacted safely: the result is then empty and *error says why.
QString conninfoWithoutPassword(const QString& conninfo, QString* error = nullptr);

} // namespace lockstep::pg
