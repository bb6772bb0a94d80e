// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Taking over an unfinished run from another operator's machine (its journal is not here): after a crash
// its objects stay on the table with its mark (owner_marks.h) and nobody holds its claim (table_claim.h).
// `lockstep run --take-over` plans the same change as if those objects were not there -- so the planner
// derives the same names again -- and the new run, holding the claim, re-marks them as its own before its
// first step: its "already done?" checks then adopt them, the other journal's resume is refused (the
// objects carry another run's mark) and its rollback never drops them.
#include "core/pg/connection.h"
#include "core/pg/table_snapshot.h"
#include "core/run/run_identity.h"

#include <QString>
#include <QVector>

namespace lockstep::run {

struct MarkedObject {
    QString kind;       // "column", "trigger", "constraint", "index"
    QString name;       // literal
    QString relation;   // quoted, qualified: the table it is on (an index: the index itself)
};

// The objects on `table` (quoted, qualified; indexes of its partitions too) carrying run `uid`'s mark.
QVector<MarkedObject> objectsMarkedBy(pg::Connection& conn, const QString& table, const QString& uid);

// The run that left `column` on the table, when it can be taken over: the column carries its mark and no
// other session holds the table's claim. Otherwise the reason, in *why (and nullopt).
std::optional<RunIdentity> abandonedRun(pg::Connection& conn, const TableSnapshot& table, const QString& column, QString* why);

// `table` as it was before run `uid` touched it: without `column`, the triggers, constraints and indexes
// carrying its mark, and its helper tables' names (planner object_names.h), so a plan made on it uses the
// abandoned run's names.
TableSnapshot withoutRunObjects(pg::Connection& conn, TableSnapshot table, const QString& column, const QString& uid);

// Re-marks run `fromUid`'s objects on `table` with `mark`, in one transaction. Returns them.
QVector<MarkedObject> remarkObjects(pg::Connection& conn, const QString& table, const QString& fromUid, const QString& mark);

} // namespace lockstep::run
