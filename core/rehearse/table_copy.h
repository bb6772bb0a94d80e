// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The shape of one table rebuilt on an empty database for a rehearsal: its schema, columns and types
// first; after the rows, its primary key, unique and check constraints and indexes, from the catalog's
// own definitions. What is not rebuilt is said: foreign keys (their targets are not copied), triggers
// (their functions are not), column defaults and exclusion constraints.
#include "core/pg/table_snapshot.h"

#include <QStringList>
#include <functional>

namespace lockstep::rehearse {

struct TableCopy {
    QStringList create;    // CREATE SCHEMA IF NOT EXISTS, CREATE TABLE
    QStringList after;     // constraints and indexes, built once the rows are in
    QStringList leftOut;   // one sentence each
};

TableCopy tableCopy(const TableSnapshot& table, const std::function<QString(const QString&)>& quote);

} // namespace lockstep::rehearse
