// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/change/new_column_change.h"
#include "core/plan/disk_estimate.h"
#include "core/plan/step.h"

#include <QJsonObject>
#include <QString>
#include <QVector>

namespace lockstep {

struct Plan {
    int serverVersionNum = 0;
    QString serverVersion;      // "15.4"
    QString table;              // quoted, schema-qualified: public."Order Items"
    quint32 tableOid = 0;       // pg_class oid when planned (the Monitor watches this table); 0 if unknown
    NewColumnChange change;
    QVector<Step> steps;
    // What evaluating the new column's value on the table's rows showed at plan time (ResolvedChange::proof).
    QString proof;
    // Where the durations come from: "backfill measured on this server (…)" or "default model (…)"; empty when
    // not said (store/measured_rates.h).
    QString estimateSource;
    // Disk and WAL the change will take (plan/disk_estimate.h). JSON "disk", only when known.
    DiskEstimate disk;
    // A partitioned table: every partition (any level) when planned, as schema.name (literal names). The
    // runner stops when they change (run/partition_drift.h). JSON "partitions", only when not empty.
    QStringList partitions;
    // The mark (run/run_identity.h) of the unfinished run this one takes over (run/run_takeover.h): its
    // objects are re-marked as the new run's before its first step. JSON "takes_over", only when set.
    QString takesOver;
    // What the role that planned it lacks for running it (change/privilege_preflight.h), one sentence each
    // with its GRANT; not part of the JSON (whoever runs the plan is checked again).
    QStringList roleNotes;

    // Steps up to and including `last` (all phases when last is Contract).
    Plan until(Phase last) const;
    double estimatedSeconds() const;

    // {"server_version": "15.4", "server_version_num": 150004, "table": ..., "table_oid": 16384, "change": {...},
    //  "steps": [Step::toJson()...], "proof": "computed on all 1,200 rows" (when there was something to prove)}
    QJsonObject toJson() const;
    static Plan fromJson(const QJsonObject& json);
};

} // namespace lockstep
