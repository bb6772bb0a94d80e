// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/journal_schema.h"

#include "core/store/sqlite_db.h"

namespace lockstep::store {

const QStringList& journalMigrations()
{
    // Times are milliseconds since the epoch (UTC); states are their names (journal_types.h), so the file
    // reads well in the sqlite3 shell.
    static const QStringList migrations{
        // 1: runs and their steps, checkpoints, monitor samples, events, connection profiles.
        QStringLiteral(R"sql(
CREATE TABLE runs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    state       TEXT    NOT NULL,
    conninfo    TEXT    NOT NULL,
    server      TEXT    NOT NULL,
    table_name  TEXT    NOT NULL,
    plan_json   TEXT    NOT NULL,
    until_phase TEXT    NOT NULL,
    started_at  INTEGER NOT NULL,
    ended_at    INTEGER,
    last_error  TEXT,
    owner_pid   INTEGER NOT NULL
);
CREATE TABLE steps (
    run_id         INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    step_index     INTEGER NOT NULL,
    step_id        TEXT    NOT NULL,
    state          TEXT    NOT NULL,
    started_at     INTEGER,
    ended_at       INTEGER,
    attempts       INTEGER NOT NULL DEFAULT 0,
    error_sqlstate TEXT,
    error_message  TEXT,
    PRIMARY KEY (run_id, step_index)
) WITHOUT ROWID;
CREATE TABLE checkpoints (
    run_id     INTEGER NOT NULL,
    step_index INTEGER NOT NULL,
    last_key   TEXT    NOT NULL,
    rows_done  INTEGER NOT NULL,
    batches    INTEGER NOT NULL,
    at         INTEGER NOT NULL,
    PRIMARY KEY (run_id, step_index),
    FOREIGN KEY (run_id, step_index) REFERENCES steps (run_id, step_index) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE TABLE samples (
    id          INTEGER PRIMARY KEY,
    run_id      INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    at          INTEGER NOT NULL,
    values_json TEXT    NOT NULL
);
CREATE INDEX samples_by_run ON samples (run_id, at);
CREATE TABLE events (
    id      INTEGER PRIMARY KEY,
    run_id  INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    at      INTEGER NOT NULL,
    kind    TEXT    NOT NULL,
    message TEXT    NOT NULL
);
CREATE INDEX events_by_run ON events (run_id, id);
CREATE TABLE profiles (
    name     TEXT    PRIMARY KEY,
    conninfo TEXT    NOT NULL,
    used_seq INTEGER NOT NULL,
    used_at  INTEGER NOT NULL
);
)sql"),
        // 2: the options a run was started with (rate cap, batch target, lag limit, lock waits, pacing), as
        // JSON, so that a resume uses them (run/run_options_json.h); the run's identity on the server (the
        // mark on the objects it creates, run/owner_marks.h): 32 hex digits, unique across journals.
        QStringLiteral(R"sql(
ALTER TABLE runs ADD COLUMN options_json TEXT NOT NULL DEFAULT '{}';
ALTER TABLE runs ADD COLUMN run_uid TEXT;
UPDATE runs SET run_uid = lower(hex(randomblob(16))) WHERE run_uid IS NULL;
)sql"),
        // 3: rehearsals (rehearse/rehearsal.h): where, which change, the outcome and the whole report.
        QStringLiteral(R"sql(
CREATE TABLE rehearsals (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    server      TEXT    NOT NULL,
    table_name  TEXT    NOT NULL,
    change      TEXT    NOT NULL,
    ok          INTEGER NOT NULL,
    report_json TEXT    NOT NULL
);
)sql"),
    };
    return migrations;
}

int journalSchemaVersion()
{
    return journalMigrations().size();
}

int readSchemaVersion(SqliteDb& db)
{
    SqliteStatement stmt = db.prepare("PRAGMA user_version");
    return stmt.next() ? static_cast<int>(stmt.int64(0)) : 0;
}

void migrateJournal(SqliteDb& db)
{
    const QStringList& migrations = journalMigrations();
    // The common case (an up-to-date file) needs no write lock, so opening never waits on a busy writer.
    if (readSchemaVersion(db) == migrations.size())
        return;
    for (;;) {
        SqliteTransaction tx(db);
        const int version = readSchemaVersion(db);
        if (version > migrations.size()) {
            throw JournalError("the journal " + db.path().toStdString() + " has schema version "
                               + std::to_string(version) + ", newer than this Lockstep knows ("
                               + std::to_string(migrations.size()) + ")");
        }
        if (version == migrations.size())
            return; // the transaction only read: its rollback is harmless
        db.exec(migrations.at(version).toUtf8().constData());
        // user_version lives in the file header, which is part of the transaction.
        db.exec(("PRAGMA user_version = " + std::to_string(version + 1)).c_str());
        tx.commit();
    }
}

} // namespace lockstep::store
