// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/pg/connection.h"

#include <QString>

namespace lockstep {

struct ResolvedType {
    quint32 oid = 0;
    int typmod = -1;
    QString name;     // format_type(oid, typmod): numeric(12,2), character varying(20), text[], "char", mood
};

// Resolves a type name the user gave (already checked by typeNameProblem) on the server, keeping type
// modifiers: the oid from to_regtype($1), the modifier from describing `SELECT NULL::<type> LIMIT 0`.
// Refuses unknown types, pseudo-types (void, record, trigger, any*) and shell types. Throws ChangeError
// on the "type" field; run it inside a read-only transaction.
ResolvedType resolveColumnType(pg::Connection& conn, const QString& typeText);

// serial types and "<integer> GENERATED ALWAYS|BY DEFAULT AS IDENTITY": the integer type ("integer" for
// serial and serial4, "bigint", "smallint"...; empty for any other type text); `identity` gets ALWAYS or
// BY DEFAULT for an identity column.
QString serialBaseType(const QString& typeText, QString* identity);

} // namespace lockstep
