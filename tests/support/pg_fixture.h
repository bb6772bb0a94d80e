// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/local/local_cluster.h"
#include "core/pg/connection.h"

#include <QByteArray>
#include <QString>
#include <QProcess>
#include <QStringList>
#include <memory>

// What pg tests share: one private PostgreSQL per test executable, fresh databases on it, and running
// the built `lockstep` binary or PostgreSQL's client tools. Failures throw std::runtime_error with the
// reason (Qt Test reports it), never hang: every wait has a timeout.
namespace lockstep::test {

// The executable's cluster: started on the first call, stopped and removed at exit. If it cannot start,
// this and every later call throw the same error (a server log tail included) without retrying.
LocalCluster& sharedCluster();
// The same cluster, created with `options` if this is the first call (later callers' options are ignored).
LocalCluster& sharedClusterWith(const LocalClusterOptions& options);

// Creates a uniquely named database (`prefix` + a counter) on the shared cluster; returns its conninfo.
QString freshDatabase(const QString& prefix);

// Inside a QObject (every Qt Test class) QObject::connect hides this name: call it as test::connect(...).
std::unique_ptr<pg::Connection> connect(const QString& conninfo);

struct ProcessResult {
    int exitCode = -1;       // -1 also when the process could not start, crashed or timed out (see err)
    QByteArray out;
    QByteArray err;
};

// Runs the built lockstep binary (LOCKSTEP_BINARY) with `args`, feeding `stdinData`.
ProcessResult runLockstep(const QStringList& args, const QByteArray& stdinData = {}, int timeoutMs = 120000);
// The lockstep binary started with `args` and left running (its stderr goes to the test's, or is kept for
// readAllStandardError with `keepStderr`); nullptr when it did not start. For a process the test
// interrupts or kills.
std::unique_ptr<QProcess> startLockstep(const QStringList& args, bool keepStderr = false);
ProcessResult runProcess(const QString& program, const QStringList& args, int timeoutMs = 120000);
ProcessResult runProcessWithInput(const QString& program, const QStringList& args, const QByteArray& stdinData,
                                  int timeoutMs = 120000);

// `pg_dump --schema-only` (only `table`, a pg_dump -t pattern, if given) with comments, SET lines,
// \restrict lines and blank lines removed: two dumps compare equal when the schema is the same.
// Throws if pg_dump fails.
QString pgDumpSchema(const QString& conninfo, const QString& table = {});

// `conninfo` (keyword/value, as freshDatabase() returns it) connecting as `role` instead.
QString asRole(const QString& conninfo, const QString& role);

// The first column of the first row of `sql` (empty if no row or NULL).
QString psqlScalar(const QString& conninfo, const QString& sql);

// Makes `cluster` ask everyone but its superuser for a password (scram) and creates `role` with `password`.
// Returns the role's conninfo (without the password), or an empty string if pg_hba.conf could not be written.
QString requirePasswords(LocalCluster& cluster, const QString& role, const QString& password);

} // namespace lockstep::test
