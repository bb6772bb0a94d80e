// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/pg/connection.h"
#include "core/pg/table_snapshot.h"

namespace lockstep::pg {

// Tables under this many heap pages are counted (SELECT count(*)) when their statistics are unknown.
constexpr qint64 kCountBelowPages = 10000;

// Reads one table (relkind r or p) as the planner needs it: identity, sizes, row estimate, columns,
// indexes, constraints, user triggers and the key the backfill walks (the primary key; else the smallest
// valid, non-partial btree unique index without expressions whose key columns are all NOT NULL; else
// ctid page ranges). Only read-only statements: the catalog queries of resources/sql/table_snapshot_*.sql
// with bound parameters, and a count(*) of a small table (< countBelowPages heap pages) whose statistics
// are unknown; a larger one gets rowEstimate -1. Run it inside a REPEATABLE READ transaction for one
// consistent picture.
// Throws PgException on server errors, std::runtime_error when no relation has this oid.
TableSnapshot readTableSnapshot(Connection& conn, quint32 oid, qint64 countBelowPages = kCountBelowPages);

// Whether the connected role may SET session_replication_role (superuser; PG 15+ also GRANT SET ON
// PARAMETER): the backfill's own updates can then run without firing the table's triggers.
bool roleMaySilenceTriggers(Connection& conn);

} // namespace lockstep::pg
