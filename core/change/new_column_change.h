// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QJsonObject>
#include <QString>
#include <optional>

namespace lockstep {

// What the user asked for, as typed: nothing here is trusted or resolved yet (see ChangeValidator).
struct NewColumnChange {
    enum class Kind { Add, Replace };

    Kind kind = Kind::Add;
    QString table;        // SQL syntax: orders, public.orders, "Order Items", sales."Order Items"
    QString column;       // the new column's literal name (any characters, 1-63 bytes)
    QString oldColumn;    // Replace only: the literal name of the column being replaced
    QString type;         // SQL type syntax, resolved by the server ($1::regtype)
    std::optional<QString> defaultExpr;   // constant or expression
    bool notNull = false;                 // NOT NULL once the change is complete
    std::optional<QString> backfill;      // expression over the row's existing columns
    bool unique = false;
    bool index = false;
    std::optional<QString> referencesTable;   // SQL syntax, like `table`
    std::optional<QString> referencesColumn;  // literal name
    std::optional<QString> onDelete;          // NO ACTION | RESTRICT | CASCADE | SET NULL | SET DEFAULT
    std::optional<QString> check;             // boolean expression

    // JSON with the CLI's field names: table, add_column | (replace_column + new_name), type, default,
    // not_null, backfill, unique, index, references ("table(column)"), on_delete, check.
    QJsonObject toJson() const;
    // Returns std::nullopt and sets *error (naming the field) when the JSON is malformed.
    static std::optional<NewColumnChange> fromJson(const QJsonObject& json, QString* error);
    // Splits "schema.table(column)" into table and column; false if malformed.
    static bool parseReference(const QString& text, QString* table, QString* column);
};

} // namespace lockstep
