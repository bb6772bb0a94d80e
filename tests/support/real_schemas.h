// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Public production schemas (tests/data/schemas, sources in tests/data/README.md) loaded into a test
// database and filled with synthetic rows made from the catalog alone, for tests that run every table of a
// real application through Lockstep.
#include "core/pg/connection.h"

#include <QString>
#include <QStringList>
#include <QVector>

namespace lockstep::test {

// The schema dump `fileName` (under tests/data/schemas) run on `c`. A `CREATE EXTENSION` of an extension this
// server does not have (pg_partman for lago-api) is left out: the tables never need it.
// Returns the extensions left out.
QStringList loadRealSchema(pg::Connection& c, const QString& fileName);

// An application table: ordinary or partitioned, not a partition (rows reach partitions through it).
struct RealTable {
    QString schema;
    QString name;
    QString qualified;          // quoted schema.name
    QString firstColumn;        // literal name of the first column
    bool partitioned = false;
};
QVector<RealTable> applicationTables(pg::Connection& c);

// The outcome of filling one table.
struct FillOutcome {
    int rows = 0;               // rows the table holds afterwards
    QString error;              // why no synthetic row could be written (the server's message), else empty
};

// Writes up to `rows` synthetic rows to `table`, each column's value made from its type in the catalog
// (numbers, text within its length, enum labels, uuids, times, json, arrays, network addresses...), unique
// per row so unique keys hold. Foreign keys and triggers are not fired (session_replication_role = replica:
// a superuser's test database). When a CHECK or unique key refuses the rows, it tries again writing only
// the NOT NULL columns, then a single row.
FillOutcome fillWithSyntheticRows(pg::Connection& c, const RealTable& table, int rows);

} // namespace lockstep::test
