// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A unique key over the new column can only be built if the backfilled values do not repeat. Checked at
// plan time on the rows, read-only and bounded in time: all rows of a small table, a block sample of a
// large one. A value found twice proves the key would fail (after the whole backfill); none found in a
// sample proves nothing, and the plan says so.
#include "core/change/resolved_change.h"
#include "core/pg/connection.h"
#include "core/pg/table_snapshot.h"

#include <QString>

namespace lockstep {

struct UniqueProof {
    bool checked = false;      // the values were looked at (a unique key with a deterministic backfill)
    bool wholeTable = false;
    QString repeated;          // a value found more than once (text), empty when none
    qint64 times = 0;          // how often it was found
    QString note;              // why it was not checked, when it was not
};

// Inside the caller's read-only transaction; at most `budgetMs` (statement_timeout for the query only).
UniqueProof proveUnique(pg::Connection& conn, const TableSnapshot& table, const ResolvedChange& change,
                        qint64 wholeTableRows = 20000, qint64 sampleRows = 50000, int budgetMs = 3000);

} // namespace lockstep
