// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QJsonObject>
#include <QString>
#include <QVector>
#include <optional>

namespace lockstep::lint {

// A column type as PostgreSQL's parser normalizes it: "character varying(20)" and "varchar(20)" both
// become {varchar, [20]}, "numeric(12,2)" {numeric, [12, 2]}, "bit varying" {varbit}.
struct TypeSpec {
    QString schema;           // empty for pg_catalog and unqualified names
    QString name;             // e.g. "varchar", "numeric", "int8", "text"
    QVector<int> modifiers;   // typmods as written; empty when unconstrained
    bool array = false;

    QString display() const;  // "varchar(20)", "bigint", "numeric(12,2)[]"
};

// From a TypeName node of a parse tree.
std::optional<TypeSpec> typeSpecFromNode(const QJsonObject& typeName);
// From a type written as SQL (format_type's output, e.g. "character varying(20)"), read by the parser.
std::optional<TypeSpec> typeSpecFromText(const QString& type);

// True when ALTER COLUMN ... TYPE from `from` to `to` keeps every stored value as it is, so PostgreSQL
// skips the table rewrite: the same type, varchar(n) to varchar(m >= n) or unconstrained or text, text to
// unconstrained varchar, numeric(p,s) to numeric(p' >= p, s) or unconstrained, varbit widening,
// timestamp[tz](p) to a higher or no precision, cidr to inet.
bool isBinaryCoercible(const TypeSpec& from, const TypeSpec& to);

} // namespace lockstep::lint
