// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QStringList>

namespace lockstep::store {

class SqliteDb;

// The journal's schema as an ordered list of migrations: migration i takes `PRAGMA user_version` from i to
// i + 1. Append new migrations; never edit one that has shipped.
const QStringList& journalMigrations();
int journalSchemaVersion();   // journalMigrations().size()

// Applies the migrations the file lacks, each in its own transaction together with its user_version bump,
// so that a crash mid-way leaves a consistent earlier version. Safe when several processes open the same
// new file at once (the version is re-read under the write lock). Throws JournalError when the file was
// written by a newer Lockstep.
void migrateJournal(SqliteDb& db);
int readSchemaVersion(SqliteDb& db);

} // namespace lockstep::store
