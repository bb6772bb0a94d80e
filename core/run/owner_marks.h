// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Every object a run creates on its table -- the column, its triggers, constraints and indexes -- carries
// the run's mark as its COMMENT (RunIdentity::mark), written in the same transaction as the object (after
// the build, for CONCURRENTLY). The "already done?" check adopts only objects with its own run's mark (or
// none: made before marks, or a concurrent build interrupted before its mark), and a rollback never drops
// an object that carries another run's mark.
#include "core/pg/connection.h"
#include "core/run/run_identity.h"
#include "core/run/statement_facts.h"

#include <QStringList>
#include <optional>

namespace lockstep::run {

// The COMMENT statements that mark what `statements` create on `table` (quoted, qualified) with `mark`.
QStringList markStatements(pg::Connection& conn, const QString& table, const QStringList& statements, const QString& mark);

// Whose mark the object named by `fact` (AddColumn, CreateTrigger, AddConstraint or CreateIndex) carries;
// nullopt when it has none (or does not exist, or the fact names no such object).
std::optional<RunIdentity> objectOwner(pg::Connection& conn, const QString& table, const StatementFact& fact);

// Whose mark column `column` (literal) of `table` carries: objectOwner for that column.
std::optional<RunIdentity> columnOwner(pg::Connection& conn, const QString& table, const QString& column);

// "column \"total\"", "trigger \"lockstep_orders_total_sync\"", ...
QString objectLabel(const StatementFact& fact);

} // namespace lockstep::run
