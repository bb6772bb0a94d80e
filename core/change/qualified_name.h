// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>
#include <optional>

namespace lockstep {

// A table name as SQL writes it (`orders`, `sales.orders`, `"Order Items"`, `sales."Order Items"`),
// reduced to literal names by PostgreSQL's rules: unquoted parts fold to lower case, quoted parts keep
// their case and may contain anything ("" stands for one ").
struct QualifiedName {
    QString schema;   // literal; empty when the name was not qualified (search_path decides)
    QString name;     // literal
};

// Parses `text`. Returns std::nullopt and sets *why (a sentence without the field name) when `text` is
// not exactly one name: empty, three or more parts, a reserved word left unquoted, comments, anything
// after the name, or a part longer than 63 bytes (which PostgreSQL would silently truncate).
std::optional<QualifiedName> parseQualifiedName(const QString& text, QString* why);

// A literal identifier (a column name as given, never quoted by the user) must be 1-63 bytes of UTF-8
// without NUL. Returns why not, or an empty string when it is usable.
QString identifierProblem(const QString& literal);

} // namespace lockstep
