// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/lint/sql_lint.h"

#include <QJsonObject>
#include <QString>
#include <QVector>
#include <optional>

namespace lockstep::lint {

// One statement of the linted text with its parse tree (libpg_query's JSON) and where it is.
struct ParsedStatement {
    QString type;        // the node's type, e.g. "AlterTableStmt"
    QJsonObject node;    // the node's body
    QString sql;         // without leading comments, trimmed, without its ';'
    int offset = 0;      // QString index of `sql` in the text
    int length = 0;
    int line = 1;
};

struct ParsedText {
    QVector<ParsedStatement> statements;
    std::optional<ParseError> error;
};

// Parses `sql` with PostgreSQL's parser. libpg_query reports byte offsets into the UTF-8 text; every
// offset here is converted to a QString index. Lines that are psql meta-commands (first non-blank
// character '\', e.g. "\set ON_ERROR_STOP on") are ignored when the text does not parse with them.
ParsedText parseSqlText(const QString& sql);

// 1-based line and column (in QString units) of `offset` in `text`.
void lineAndColumn(const QString& text, int offset, int* line, int* column);

} // namespace lockstep::lint
