// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/plan/plan.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QVector>
#include <stdexcept>

// Writing a plan to disk for other tools: one psql script, numbered files for migration tools, or the
// plan's JSON. Every file is written atomically (QSaveFile): a failed export never leaves half a file.
//
// Numbered files, one per step, in plan order (n = firstNumber, firstNumber + 1, ...):
//
//   Flyway:  V<n>__<step_id>.sql
//            The step's statements without BEGIN/COMMIT: Flyway wraps each migration in a transaction.
//            A step that must run outside a transaction (CONCURRENTLY, the per-batch-committing backfill)
//            also gets V<n>__<step_id>.sql.conf containing `executeInTransaction=false` (Flyway's script
//            configuration file, Flyway 6.1 and later). The rollback SQL is appended as a comment: Flyway's
//            undo migrations are not part of its free edition.
//   Sqitch:  deploy/NNN-<step_id>.sql and revert/NNN-<step_id>.sql (NNN zero-padded to 3 digits), as
//            sqitch lays out deploy and revert scripts. Transactional steps are wrapped in BEGIN/COMMIT
//            (sqitch runs each script with psql and leaves transactions to the script). The revert script
//            holds the step's rollback SQL; an irreversible step's revert raises an error instead of
//            pretending. Add the changes to sqitch.plan in this order.
//
// Every numbered file starts with a comment naming the plan, the step, its lock and why; steps that must run
// outside a transaction say "-- must run outside a transaction". A gate step (switch: deploy the
// application) has no statements: its file is a comment saying what to do before the next one. Step ids
// are machine names ([a-z0-9_]); any other character becomes '_' in a file name.
namespace lockstep {

// Export failures: the message names the path and the reason ("Cannot create directory /x: ...").
struct ExportError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

enum class NumberedStyle { Flyway, Sqitch };

struct ExportFile {
    QString relativePath;   // e.g. "V3__create_index.sql", "deploy/003-create_index.sql"
    QByteArray contents;    // UTF-8
};

// The files exportNumberedFiles writes, without touching the disk (plan order; each step's main file first).
QVector<ExportFile> numberedFiles(const Plan& plan, NumberedStyle style, int firstNumber = 1);

// renderSqlScript(plan), the psql script.
void exportSingleFile(const Plan& plan, const QString& path);
// Creates `dir` (and deploy/, revert/) when missing; returns the absolute paths written, in order.
QStringList exportNumberedFiles(const Plan& plan, const QString& dir, NumberedStyle style, int firstNumber = 1);
// Plan::toJson(), indented; Plan::fromJson of the file gives the plan back.
void exportPlanJson(const Plan& plan, const QString& path);

// The number after the highest one already in `dir` for `style` (V7__x.sql -> 8; deploy/012-x.sql -> 13),
// 1 when there is none: a plan exported into an existing migrations folder continues its history.
int nextMigrationNumber(const QString& dir, NumberedStyle style);

// Writes `data` to `path` atomically (QSaveFile); creates the parent directory if needed. Throws ExportError.
void writeFileAtomically(const QString& path, const QByteArray& data);

} // namespace lockstep
