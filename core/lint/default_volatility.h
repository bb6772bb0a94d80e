// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QJsonValue>
#include <QString>
#include <QStringList>
#include <optional>

namespace lockstep::lint {

// What the functions of an expression (an ADD COLUMN default) say about its volatility. PostgreSQL
// stores a non-volatile default once in the catalog (11+); a volatile one is computed for every row.
struct ExpressionVolatility {
    QString volatileFunction;     // the first function known to be VOLATILE (e.g. "gen_random_uuid"), or empty
    QStringList unknownFunctions; // functions this file does not know ("fn" or "schema.fn")
};

ExpressionVolatility expressionVolatility(const QJsonValue& expression);

// Built-in functions whose volatility is known without asking the server: true VOLATILE, false not,
// nullopt unknown. `name` is "fn" or "pg_catalog.fn".
std::optional<bool> builtinFunctionIsVolatile(const QString& name);

} // namespace lockstep::lint
