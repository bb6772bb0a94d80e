// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/pg/connection.h"

namespace lockstep {

// The type of the first result column of `sql` as the server describes it (RowDescription): its oid and
// type modifier (e.g. numeric(12,2) -> the typmod that format_type prints back). A domain is described by
// its base type. `sql` must be a SELECT that returns no rows (LIMIT 0); it is sent without parameters.
// Throws pg::PgException with the server's error.
struct ResultType {
    quint32 oid = 0;
    int typmod = -1;
};
ResultType probeResultType(pg::Connection& conn, const QString& sql);

} // namespace lockstep
