// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QVector>

// PostgreSQL's own lexer and grammar (libpg_query), so that what we accept is exactly what the server
// would parse. Positions are byte offsets into the UTF-8 text.
namespace lockstep::sqlsyntax {

// Token kinds we look at (values of libpg_query's Token enum).
enum TokenKind : int {
    Semicolon = 59,
    Dot = 46,
    Ident = 258,          // unquoted or "quoted" identifier
    UnicodeIdent = 259,   // U&"..."
    StringConst = 261,
    Param = 267,
    LineComment = 275,    // -- ...
    BlockComment = 276,   // /* ... */
};

enum KeywordKind : int { NoKeyword = 0, Unreserved = 1, ColumnName = 2, TypeFuncName = 3, Reserved = 4 };

struct Token {
    int start = 0;        // byte offset of the first byte
    int end = 0;          // byte offset after the last byte
    int kind = 0;         // TokenKind or a keyword's token number
    int keywordKind = NoKeyword;
};

struct SyntaxError {
    QString message;      // the parser's message, e.g. `syntax error at or near ")"`
    int position = -1;    // byte offset into the text, -1 if unknown
};

// Tokenizes `sql` with PostgreSQL's scanner. False (and *error) for an unterminated string or comment.
bool scan(const QByteArray& sql, QVector<Token>* tokens, SyntaxError* error);

// Parses `sql` into libpg_query's JSON tree ({"version":..., "stmts":[...]}). False (and *error) on a
// syntax error.
bool parse(const QByteArray& sql, QJsonObject* tree, SyntaxError* error);

// The JSON object's single key (node type name, e.g. "SelectStmt"), empty if it has not exactly one.
QString nodeType(const QJsonObject& node);

} // namespace lockstep::sqlsyntax
