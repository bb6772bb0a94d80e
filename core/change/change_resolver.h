// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/change/change_validator.h"
#include "core/change/new_column_change.h"
#include "core/change/resolved_change.h"
#include "core/change/type_resolver.h"
#include "core/pg/connection.h"
#include "core/pg/table_snapshot.h"
#include "core/run/run_identity.h"

#include <optional>

namespace lockstep {

// Turns what the user typed into what the Planner takes: validates offline first (validateChange), then
// checks every name, type and expression against the server and reads the table's snapshot. Only
// read-only statements, inside BEGIN READ ONLY ... ROLLBACK: nothing on the server changes, whatever
// the input. Throws ChangeError (naming the field) for a change that cannot be done as given, and
// pg::PgException for server trouble unrelated to the input (connection lost, catalog query refused).
class ChangeResolver {
public:
    explicit ChangeResolver(pg::Connection& conn);

    struct Resolved {
        TableSnapshot table;
        ResolvedChange change;
        std::optional<run::RunIdentity> takesOver;   // set by a take-over: the run that left the column
    };
    Resolved resolve(const NewColumnChange& change);
    // --take-over: the new column, left by an unfinished run of another journal that no session runs any
    // more, is planned as if that run's objects were not there (run/run_takeover.h), with the same names.
    void setTakeOver(bool on) { m_takeOver = on; }

private:
    struct Relation {
        quint32 oid = 0;
        QString schema, name;
    };
    void requireStandardStrings(const NewColumnChange& change);
    Relation findTable(const QString& field, const QString& text, const QualifiedName& parsed);
    void checkColumnNames(const NewColumnChange& change, const TableSnapshot& table);
    // The take-over of the column `change` adds: the snapshot without the abandoned run's objects and
    // out.takesOver set; returns the column's type as that run added it. Throws ChangeError when it cannot.
    QString takeOverColumn(const NewColumnChange& change, Resolved& out);
    // Refuses what a partitioned table cannot take the safe way (unique without the partition key, an FK).
    void checkPartitioned(const NewColumnChange& change, const TableSnapshot& table);
    void checkIdentity(const TableSnapshot& table);
    // The sequence's name, the nextval() default and backfill, and the roles that need USAGE on it.
    void resolveSerial(const TableSnapshot& table, ResolvedChange& r);
    // ", added by lockstep run 3 by alice@db-1 (...); ..." when the column carries a run's mark, else empty.
    QString columnOwnerNote(const TableSnapshot& table, const QString& column);
    void checkReplaceable(const QString& oldColumn, const TableSnapshot& table);
    void resolveForeignKey(const NewColumnChange& change, const ValidatedChange& v, const ResolvedType& type,
                           ResolvedChange& out);
    void resolveExpressions(const NewColumnChange& change, const ValidatedChange& v, const TableSnapshot& table,
                            const ResolvedType& type, ResolvedChange& out);
    qint64 rowsUpTo(const TableSnapshot& table, int limit);

    pg::Connection& m_conn;
    bool m_takeOver = false;
};

} // namespace lockstep
