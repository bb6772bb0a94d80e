// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/pg/table_snapshot.h"

#include <QSet>
#include <QString>
#include <QStringList>

namespace lockstep {

// PostgreSQL truncates identifiers to NAMEDATALEN - 1 bytes; longer names would be silently cut.
constexpr int kMaxIdentifierBytes = 63;

// Joins `parts` with '_' between `prefix` and `suffix`. When that exceeds 63 bytes (UTF-8), the longest
// parts are shortened (never inside a character) and "_" + 8 hex digits of a hash of the full name are
// put before the suffix, so two long names that share a beginning still differ.
QString fitIdentifier(const QString& prefix, const QStringList& parts, const QString& suffix);

// As fitIdentifier, then, while the name is in `taken`, the suffix gets a number (…_key1, …_key2).
// The chosen name is added to `taken`.
QString uniqueIdentifier(const QString& prefix, const QStringList& parts, const QString& suffix,
                         QSet<QString>* taken);

// The literal names of every object a plan may create for one new column of one table.
struct PlanObjectNames {
    QString syncFunction;          // lockstep_<table>_<col>_sync (in the table's schema)
    QString syncInsertTrigger;
    QString syncUpdateTrigger;
    QString changedKeysTable;      // keys of rows the application updated during the walk (PG 14+)
    QString changedKeysFunction;   // the AFTER UPDATE trigger function that writes them
    QString valueFunction;         // the new column's value for one row; NULL (and recorded) when it fails
    QString failedRowsTable;       // rows whose value failed (the key, the error): the gate retries them
    QString failedRowsFunction;    // records one (SECURITY DEFINER: the application may not write the table)
    QString reverseFunction;       // replace: keeps the old column written after the switch
    QString reverseInsertTrigger;
    QString reverseUpdateTrigger;
    QString notNullCheck;          // <table>_<col>_not_null
    QString uniqueKey;             // <table>_<col>_key: the unique index and the constraint using it
    QString index;                 // <table>_<col>_idx
    QString foreignKey;            // <table>_<col>_fkey
    QString check;                 // <table>_<col>_check
};

// Names free of collisions with the table's indexes, constraints and triggers, and with each other.
PlanObjectNames derivePlanObjectNames(const TableSnapshot& table, const QString& column);

} // namespace lockstep
