// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/change/new_column_change.h"

#include <QString>
#include <QStringList>
#include <optional>

namespace lockstep {

// A NewColumnChange after validation against the server: every name found, the type resolved,
// expressions parsed (single expressions only) and their volatility known. The Planner takes only this.
struct ResolvedChange {
    NewColumnChange change;        // as given by the user
    QString type;                  // resolved, as format_type prints it, e.g. "bigint", "numeric(12,2)"
    QString oldType;               // Replace: the old column's type
    // Default: inline in ADD COLUMN only when constant enough (not volatile). A volatile one is set with
    // SET DEFAULT after the column exists (no rewrite) and also drives the backfill of existing rows.
    std::optional<QString> defaultExpr;
    bool defaultVolatile = false;
    // The expression every existing row gets: explicit backfill; for Replace default `old::type`;
    // for a volatile default, the default. Empty when no backfill is needed.
    std::optional<QString> backfillExpr;
    QStringList backfillSourceColumns;   // literal names of the table columns the expression reads
    // The backfill expression may give another value each time (random(), gen_random_uuid(), a volatile
    // default): the backfill then fills only NULL rows, and verification checks for NULLs, not equality.
    bool backfillVolatile = false;
    // The expression is one column, perhaps cast (a replace's conversion, or a copy): comparing the new
    // column with it costs nothing, so the backfill may skip rows that already hold it (a sparse column's NULLs).
    bool backfillCopiesColumn = false;
    // Foreign key target, resolved.
    QString refSchema, refTable, refColumn;
    QString onDelete;              // upper case, empty for the default (NO ACTION)
    std::optional<QString> check;
    // What evaluating the value on the table's real rows showed ("computed on all 1,200 rows"); empty
    // when there was nothing to evaluate (expression_proof.h).
    QString proof;
    // A serial type (serial, bigserial, smallserial): `type` is its integer type, a new sequence of this
    // name (literal, in the table's schema) owned by the column numbers existing rows (the backfill) and
    // gives new rows their value (the default); the roles that may insert get USAGE on it.
    QString serialSequence;
    QStringList serialGrantees;    // role names as SQL identifiers are made of them, or PUBLIC

    bool isReplace() const { return change.kind == NewColumnChange::Kind::Replace; }
};

} // namespace lockstep
