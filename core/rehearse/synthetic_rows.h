// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Production-shaped rows without production's values: a rehearsal's copy is filled by one INSERT ...
// SELECT over generate_series whose every column follows the real table's pg_stats -- the share of
// NULLs, the most common values at their frequencies, the rest spread over the histogram's buckets with
// about as many distinct values as n_distinct says. Key columns (a one-column primary key or unique
// index) get distinct made-up values. The statistics' values travel as bound parameters, never as SQL.
#include "core/pg/connection.h"
#include "core/pg/table_snapshot.h"

#include <QString>
#include <QStringList>
#include <QVariantList>
#include <QVector>
#include <functional>

namespace lockstep::rehearse {

struct ColumnStats {
    QString name;              // literal
    QString type;              // format_type
    QString category;          // pg_type.typcategory: N, D, S, B, U, ...
    bool notNull = false;
    bool analyzed = false;     // pg_stats has a row for it
    double nullFrac = 0;
    double nDistinct = 0;      // > 0: a count; < 0: minus the share of rows (-1: all distinct)
    QString mcv;               // most_common_vals as array text ("{a,b}"), empty if none
    QVector<double> mcf;       // their frequencies
    QString bounds;            // histogram_bounds as array text, empty if none
    bool key = false;          // the only column of the primary key or of a unique index

    // Distinct values expected among `rows` rows.
    double distinctAmong(double rows) const { return nDistinct >= 0 ? nDistinct : -nDistinct * rows; }
};

// pg_stats of `table` (quoted, qualified) on the production server: read-only. `snapshot` marks the keys.
QVector<ColumnStats> readColumnStats(pg::Connection& conn, const QString& table, const TableSnapshot& snapshot);

struct SyntheticInsert {
    QString sql;
    QVariantList params;
    QStringList notes;     // what was made up, e.g. "no statistics for column x: distinct made-up values"
};

// The INSERT that fills `tableSql` on the copy with `rows` rows. `quote` quotes identifiers. Throws
// std::runtime_error naming a column it cannot make values for (a NOT NULL column of a type it cannot
// make up without statistics).
SyntheticInsert syntheticInsert(const QString& tableSql, const QVector<ColumnStats>& columns, qint64 rows,
                                const std::function<QString(const QString&)>& quote);

} // namespace lockstep::rehearse
