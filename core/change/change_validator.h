// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/change/change_error.h"
#include "core/change/expression_parser.h"
#include "core/change/new_column_change.h"
#include "core/change/qualified_name.h"

#include <QVector>
#include <optional>

namespace lockstep {

// A NewColumnChange that passed every check that needs no server, with its parsed pieces.
struct ValidatedChange {
    QualifiedName table;
    std::optional<QualifiedName> refTable;
    std::optional<ParsedExpression> defaultExpr;
    std::optional<ParsedExpression> backfill;
    std::optional<ParsedExpression> check;
    QString onDelete;        // upper case, single spaces; empty when not given
};

// Offline validation: names (identifier byte limits, table syntax), the type's syntax, expressions
// (parsed by libpg_query, one read-only expression each), and the rules between fields. Throws
// ChangeError naming the first field at fault.
void validateChange(const NewColumnChange& change);
ValidatedChange validateChangeParts(const NewColumnChange& change);
// The same checks, every problem at once (at most one per field, in the order of the form): the window
// marks all the fields at fault instead of one at a time.
QVector<ChangeError> changeProblems(const NewColumnChange& change);

} // namespace lockstep
