// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/change/qualified_name.h"

#include "core/change/sql_syntax.h"

#include <QJsonArray>
#include <QStringList>

namespace lockstep {

namespace {
constexpr int kMaxIdentifierBytes = 63;   // NAMEDATALEN - 1

// The literal value of one identifier token: "quoted" keeps case ("" is one "), unquoted folds ASCII
// letters to lower case (PostgreSQL folds only ASCII in multibyte encodings).
QByteArray literalOf(const QByteArray& tokenText)
{
    if (tokenText.startsWith('"'))
        return tokenText.mid(1, tokenText.size() - 2).replace("\"\"", "\"");
    QByteArray out = tokenText;
    for (char& c : out)
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
    return out;
}

bool isNamePart(const sqlsyntax::Token& t)
{
    return t.kind == sqlsyntax::Ident || t.keywordKind != sqlsyntax::NoKeyword;
}

// The grammar itself decides which unquoted keywords may name a table: `SELECT 1 FROM <text>` must give
// exactly one plain relation.
bool grammarAccepts(const QByteArray& text, const QStringList& parts, QString* why)
{
    QJsonObject tree;
    sqlsyntax::SyntaxError error;
    if (!sqlsyntax::parse("SELECT 1 FROM " + text, &tree, &error)) {
        *why = QStringLiteral("not a table name (%1)").arg(error.message);
        return false;
    }
    const QJsonArray stmts = tree.value(QLatin1String("stmts")).toArray();
    const QJsonObject select = stmts.size() == 1
        ? stmts.at(0).toObject().value(QLatin1String("stmt")).toObject().value(QLatin1String("SelectStmt")).toObject()
        : QJsonObject();
    const QJsonArray from = select.value(QLatin1String("fromClause")).toArray();
    const QJsonObject rv = from.size() == 1 ? from.at(0).toObject().value(QLatin1String("RangeVar")).toObject() : QJsonObject();
    const bool plain = !rv.isEmpty() && !rv.contains(QLatin1String("alias")) && !rv.contains(QLatin1String("catalogname"))
        && rv.value(QLatin1String("inh")).toBool()
        && rv.value(QLatin1String("relname")).toString() == parts.last()
        && rv.value(QLatin1String("schemaname")).toString() == (parts.size() == 2 ? parts.first() : QString());
    if (!plain)
        *why = QStringLiteral("not a plain table name");
    return plain;
}
} // namespace

QString identifierProblem(const QString& literal)
{
    if (literal.isEmpty())
        return QStringLiteral("the name is empty");
    if (literal.contains(QChar(0)))
        return QStringLiteral("the name contains a NUL character");
    const int bytes = literal.toUtf8().size();
    if (bytes > kMaxIdentifierBytes)
        return QStringLiteral("\"%1\" is %2 bytes long in UTF-8; PostgreSQL names hold at most %3 bytes "
                              "(it would silently cut the rest)")
            .arg(literal, QString::number(bytes), QString::number(kMaxIdentifierBytes));
    return {};
}

std::optional<QualifiedName> parseQualifiedName(const QString& text, QString* why)
{
    if (text.trimmed().isEmpty()) {
        *why = QStringLiteral("the name is empty");
        return std::nullopt;
    }
    if (text.contains(QChar(0))) {
        *why = QStringLiteral("the name contains a NUL character");
        return std::nullopt;
    }
    const QByteArray utf8 = text.toUtf8();
    QVector<sqlsyntax::Token> tokens;
    sqlsyntax::SyntaxError error;
    if (!sqlsyntax::scan(utf8, &tokens, &error)) {
        *why = QStringLiteral("not a table name (%1)").arg(error.message);
        return std::nullopt;
    }

    // Shape: part [ . part ], nothing else (no comments, no ;, no second word).
    QStringList parts;
    bool expectPart = true;
    for (const auto& t : tokens) {
        const QByteArray tokenText = utf8.mid(t.start, t.end - t.start);
        if (expectPart) {
            if (t.kind == sqlsyntax::UnicodeIdent) {
                *why = QStringLiteral("U&\"...\" names are not supported; write the name in double quotes");
                return std::nullopt;
            }
            if (!isNamePart(t)) {
                *why = QStringLiteral("expected a name where \"%1\" is; names with spaces or other characters "
                                      "go in double quotes, e.g. sales.\"Order Items\"").arg(QString::fromUtf8(tokenText));
                return std::nullopt;
            }
            const QString literal = QString::fromUtf8(literalOf(tokenText));
            const QString problem = identifierProblem(literal);
            if (!problem.isEmpty()) {
                *why = problem;
                return std::nullopt;
            }
            parts << literal;
            expectPart = false;
        } else if (t.kind == sqlsyntax::Dot && parts.size() < 2) {
            expectPart = true;
        } else if (t.kind == sqlsyntax::Dot) {
            *why = QStringLiteral("too many dots: expected NAME or SCHEMA.NAME");
            return std::nullopt;
        } else {
            *why = QStringLiteral("unexpected \"%1\" after the name; names with spaces or other characters go "
                                  "in double quotes, e.g. sales.\"Order Items\"").arg(QString::fromUtf8(tokenText));
            return std::nullopt;
        }
    }
    if (expectPart) {
        *why = parts.isEmpty() ? QStringLiteral("the name is empty") : QStringLiteral("the name ends with a dot");
        return std::nullopt;
    }

    // Reserved words (select, table, user, ...) cannot be table names unless quoted.
    QString grammarWhy;
    if (!grammarAccepts(utf8, parts, &grammarWhy)) {
        for (const auto& t : tokens) {
            const bool reserved = t.keywordKind == sqlsyntax::Reserved || t.keywordKind == sqlsyntax::TypeFuncName;
            if (t.kind != sqlsyntax::Ident && reserved) {
                const QString word = QString::fromUtf8(utf8.mid(t.start, t.end - t.start));
                *why = QStringLiteral("%1 is a reserved word in SQL; write it in double quotes: \"%2\"")
                           .arg(word, word.toLower());
                return std::nullopt;
            }
        }
        *why = grammarWhy;
        return std::nullopt;
    }

    QualifiedName name;
    name.name = parts.last();
    if (parts.size() == 2)
        name.schema = parts.first();
    return name;
}

} // namespace lockstep
