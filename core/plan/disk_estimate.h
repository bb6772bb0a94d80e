// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What a change costs in disk and WAL, said with the plan so that a DBA can check free space and what the
// replicas and archives must absorb. A deliberately simple, stated model (PostgreSQL's MVCC):
//  - the backfill's UPDATE writes a new version of every row; the old one stays as dead space. At most the
//    whole heap again plus the new values (none of it reused: HOT and free space, or a VACUUM during the
//    walk, make it less);
//  - a new version that leaves its page gets an entry in every index, beside the old one, so leaves split:
//    one entry per row at ~70 % fill per index (PostgreSQL 14+'s bottom-up deletion can remove many);
//  - the index the change builds: one B-tree entry per row at 90 % leaf fill (less when values repeat:
//    deduplication, PostgreSQL 13+);
//  - WAL: every new row version and index entry with its record overhead, the index build's pages, and
//    with full_page_writes one image of every old heap page (once per checkpoint cycle: more if the walk
//    spans several).
// A rollback gives none of it back at once: DROP COLUMN only marks the column dropped; VACUUM makes the
// dead versions reusable, and only a rewrite (VACUUM FULL, pg_repack) shrinks the files.
#include "core/change/resolved_change.h"
#include "core/pg/table_snapshot.h"

#include <QJsonObject>
#include <QString>

namespace lockstep {

struct DiskEstimate {
    bool known = false;            // false: nothing to estimate (no backfill and no index, or an empty table)
    qint64 tableGrowthBytes = 0;   // the backfill's new row versions, at most
    qint64 indexGrowthBytes = 0;   // new entries in the existing indexes, at most
    qint64 newIndexBytes = 0;      // the index or unique key the change builds
    qint64 walBytes = 0;           // written to WAL by the backfill and the index build
    qint64 deadBytesAfter = 0;     // dead row versions left behind (reusable after VACUUM, kept by a rollback)
    QString basis;                 // where the figures come from, e.g. "default model: 2.0 M rows of ~84 bytes, ..."

    qint64 peakGrowthBytes() const { return tableGrowthBytes + indexGrowthBytes + newIndexBytes; }
    // "table up to +176 MB, indexes up to +40 MB, new index 23 MB; WAL about 420 MB"
    QString summary() const;
    // What a rollback gives back, in one sentence.
    QString rollbackNote() const;
    // {"table_growth_bytes", "index_growth_bytes", "new_index_bytes", "wal_bytes", "dead_bytes_after", "basis"}
    QJsonObject toJson() const;
    static DiskEstimate fromJson(const QJsonObject& json);
};

// The estimate for `change` on `table`. `backfills`: the plan walks the rows (a backfill step).
DiskEstimate estimateDisk(const TableSnapshot& table, const ResolvedChange& change, bool backfills);

// The bytes one value of `type` (format_type) takes in a row: fixed widths as PostgreSQL stores them,
// 16 for variable-length types (stated in the basis).
int valueBytes(const QString& type, bool* variable = nullptr);

} // namespace lockstep
