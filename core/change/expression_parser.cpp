// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/change/expression_parser.h"

#include "core/change/sql_syntax.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSet>

namespace lockstep {

namespace {

using sqlsyntax::Token;

// A statement that holds exactly one value: `SELECT <x>`, nothing else. Returns the SelectStmt's only
// target value, or an empty object with *why.
QJsonObject singleTarget(const QJsonObject& tree, QString* why, int* targetLocation)
{
    const QJsonArray stmts = tree.value(QLatin1String("stmts")).toArray();
    if (stmts.size() != 1) {
        *why = QStringLiteral("only one expression is allowed, not several statements");
        return {};
    }
    const QJsonObject stmt = stmts.at(0).toObject().value(QLatin1String("stmt")).toObject();
    const QJsonObject select = stmt.value(QLatin1String("SelectStmt")).toObject();
    if (select.isEmpty()) {
        *why = QStringLiteral("not an expression");
        return {};
    }
    static const QSet<QString> allowed{QStringLiteral("targetList"), QStringLiteral("limitOption"), QStringLiteral("op")};
    static const QList<QPair<QString, QString>> clauses{
        {QStringLiteral("fromClause"), QStringLiteral("FROM")},      {QStringLiteral("whereClause"), QStringLiteral("WHERE")},
        {QStringLiteral("groupClause"), QStringLiteral("GROUP BY")}, {QStringLiteral("havingClause"), QStringLiteral("HAVING")},
        {QStringLiteral("windowClause"), QStringLiteral("WINDOW")},  {QStringLiteral("sortClause"), QStringLiteral("ORDER BY")},
        {QStringLiteral("limitCount"), QStringLiteral("LIMIT")},     {QStringLiteral("limitOffset"), QStringLiteral("OFFSET")},
        {QStringLiteral("intoClause"), QStringLiteral("INTO")},      {QStringLiteral("withClause"), QStringLiteral("WITH")},
        {QStringLiteral("lockingClause"), QStringLiteral("FOR UPDATE/SHARE")}, {QStringLiteral("distinctClause"), QStringLiteral("DISTINCT")},
    };
    for (const auto& c : clauses) {
        if (select.contains(c.first)) {
            *why = QStringLiteral("must be a single expression, not a query (it has a %1 clause); a subquery goes "
                                  "in parentheses: (SELECT ...)").arg(c.second);
            return {};
        }
    }
    for (auto it = select.begin(); it != select.end(); ++it) {
        if (!allowed.contains(it.key())) {
            *why = QStringLiteral("must be a single expression, not a query");
            return {};
        }
    }
    if (select.value(QLatin1String("op")).toString() != QLatin1String("SETOP_NONE")
        || select.value(QLatin1String("limitOption")).toString() != QLatin1String("LIMIT_OPTION_DEFAULT")) {
        *why = QStringLiteral("must be a single expression, not a query");
        return {};
    }
    const QJsonArray targets = select.value(QLatin1String("targetList")).toArray();
    if (targets.size() != 1) {
        *why = QStringLiteral("must be one value, not a list of %1").arg(targets.size());
        return {};
    }
    const QJsonObject target = targets.at(0).toObject().value(QLatin1String("ResTarget")).toObject();
    if (target.contains(QLatin1String("name")) || target.contains(QLatin1String("indirection"))) {
        *why = QStringLiteral("must be a single expression without an alias (AS ...)");
        return {};
    }
    *targetLocation = target.value(QLatin1String("location")).toInt(-1);
    return target.value(QLatin1String("val")).toObject();
}

// Position of an error in the user's text (characters, 1-based) from a byte offset in the wrapped text.
QString atPosition(const QByteArray& wrapped, int prefixBytes, int bytePos)
{
    if (bytePos < prefixBytes)
        return {};
    const int chars = QString::fromUtf8(wrapped.mid(prefixBytes, bytePos - prefixBytes)).size();
    return QStringLiteral(" at character %1").arg(chars + 1);
}

// Scans the wrapped statement and refuses what the grammar would take but we must not: a `;` (a second
// statement), `--` comments, $n parameters. Returns the first token of the user's text in *first.
bool tokensAcceptable(const QByteArray& wrapped, int prefixBytes, QString* why, const Token** first,
                      QVector<Token>* tokens)
{
    sqlsyntax::SyntaxError error;
    if (!sqlsyntax::scan(wrapped, tokens, &error)) {
        *why = QStringLiteral("not a valid expression: %1%2").arg(error.message, atPosition(wrapped, prefixBytes, error.position));
        return false;
    }
    *first = nullptr;
    for (const Token& t : *tokens) {
        if (t.start < prefixBytes)
            continue;
        if (t.kind == sqlsyntax::Semicolon) {
            *why = QStringLiteral("contains \";\"%1: only one expression is allowed, never a second statement")
                       .arg(atPosition(wrapped, prefixBytes, t.start));
            return false;
        }
        if (t.kind == sqlsyntax::LineComment) {
            *why = QStringLiteral("contains a -- comment%1; it would hide the SQL written after the expression "
                                  "(use /* ... */ instead)").arg(atPosition(wrapped, prefixBytes, t.start));
            return false;
        }
        if (t.kind == sqlsyntax::Param) {
            *why = QStringLiteral("contains a parameter (%1), which has no value here")
                       .arg(QString::fromUtf8(wrapped.mid(t.start, t.end - t.start)));
            return false;
        }
        if (!*first && t.kind != sqlsyntax::BlockComment)
            *first = &t;
    }
    if (!*first) {
        *why = QStringLiteral("is empty");
        return false;
    }
    return true;
}

QString literalName(const QJsonValue& v) { return v.toObject().value(QLatin1String("String")).toObject().value(QLatin1String("sval")).toString(); }

// Walks the parse tree, collecting what the expression reads and refusing what it must not do.
class TreeWalker {
public:
    explicit TreeWalker(ParsedExpression* out) : m_out(out) {}
    QString problem;

    void walk(const QJsonValue& value, bool inSubquery)
    {
        if (!problem.isEmpty())
            return;
        if (value.isArray()) {
            for (const QJsonValue& v : value.toArray())
                walk(v, inSubquery);
            return;
        }
        if (!value.isObject())
            return;
        const QJsonObject obj = value.toObject();
        for (auto it = obj.begin(); it != obj.end() && problem.isEmpty(); ++it) {
            const QString& key = it.key();
            const QJsonObject node = it.value().toObject();
            if (key == QLatin1String("InsertStmt") || key == QLatin1String("UpdateStmt")
                || key == QLatin1String("DeleteStmt") || key == QLatin1String("MergeStmt")) {
                problem = QStringLiteral("must not change data (it contains %1)")
                              .arg(key.chopped(4).toUpper());
            } else if (key == QLatin1String("SelectStmt")
                       && (node.contains(QLatin1String("lockingClause")) || node.contains(QLatin1String("intoClause")))) {
                problem = QStringLiteral("must only read: FOR UPDATE/SHARE and SELECT INTO are not allowed");
            } else if (key == QLatin1String("ParamRef")) {
                problem = QStringLiteral("contains a parameter ($n), which has no value here");
            } else if (key == QLatin1String("SubLink")) {
                m_out->hasSubquery = true;
                walk(it.value(), true);
            } else if (key == QLatin1String("ColumnRef")) {
                columnRef(node, inSubquery);
            } else if (key == QLatin1String("FuncCall")) {
                funcCall(node, inSubquery);
                walk(it.value(), inSubquery);
            } else if (key == QLatin1String("GroupingFunc") && !inSubquery) {
                problem = QStringLiteral("must not use GROUPING(): it is only for queries with GROUP BY");
            } else {
                walk(it.value(), inSubquery);
            }
        }
    }

private:
    void columnRef(const QJsonObject& node, bool inSubquery)
    {
        const QJsonArray fields = node.value(QLatin1String("fields")).toArray();
        QStringList names;
        for (const QJsonValue& f : fields) {
            if (f.toObject().contains(QLatin1String("A_Star"))) {
                problem = QStringLiteral("must not use *: name the columns");
                return;
            }
            names << literalName(f);
        }
        if (names.isEmpty())
            return;
        if (inSubquery) {
            m_out->subqueryColumns << names.last();
            return;
        }
        if (names.size() > 1) {
            problem = QStringLiteral("write column names without a table name (found %1)").arg(names.join(QLatin1Char('.')));
            return;
        }
        if (!m_out->columns.contains(names.last()))
            m_out->columns << names.last();
    }

    void funcCall(const QJsonObject& node, bool inSubquery)
    {
        const QJsonArray parts = node.value(QLatin1String("funcname")).toArray();
        FunctionName f;
        f.name = parts.isEmpty() ? QString() : literalName(parts.last());
        if (parts.size() >= 2)
            f.schema = literalName(parts.at(parts.size() - 2));
        f.inSubquery = inSubquery;
        if (!inSubquery) {
            if (node.contains(QLatin1String("over"))) {
                problem = QStringLiteral("must not use a window function (%1 OVER ...): it needs a query").arg(f.name);
                return;
            }
            for (const char* marker : {"agg_star", "agg_distinct", "agg_order", "agg_filter", "agg_within_group"}) {
                if (node.value(QLatin1String(marker)).toBool() || node.value(QLatin1String(marker)).isArray()
                    || node.value(QLatin1String(marker)).isObject()) {
                    problem = QStringLiteral("must not use an aggregate (%1): it would combine rows; a per-row value "
                                             "is needed (use a subquery in --backfill)").arg(f.name);
                    return;
                }
            }
        }
        for (const FunctionName& known : m_out->functions)
            if (known.schema == f.schema && known.name == f.name && known.inSubquery == f.inSubquery)
                return;
        m_out->functions.push_back(f);
    }

    ParsedExpression* m_out;
};

// `col`, `col::type`, `CAST(col AS type)`, casts of casts: the value is a copy of one column.
bool isBareColumn(const QJsonObject& node)
{
    if (node.contains(QLatin1String("ColumnRef")))
        return true;
    const QJsonObject cast = node.value(QLatin1String("TypeCast")).toObject();
    return !cast.isEmpty() && isBareColumn(cast.value(QLatin1String("arg")).toObject());
}

// Friendlier than "syntax error at or near SELECT" for the commonest mistake.
bool startsLikeQuery(const QByteArray& wrapped, const Token& first)
{
    const QByteArray word = wrapped.mid(first.start, first.end - first.start).toLower();
    return word == "select" || word == "with" || word == "values" || word == "table";
}

} // namespace

std::optional<ParsedExpression> parseExpression(const QString& text, ExpressionUse use, QString* why)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty()) {
        *why = QStringLiteral("is empty");
        return std::nullopt;
    }
    if (trimmed.size() > kMaxExpressionLength) {
        *why = QStringLiteral("is %1 characters long; at most %2 are accepted").arg(trimmed.size()).arg(kMaxExpressionLength);
        return std::nullopt;
    }
    if (trimmed.contains(QChar(0))) {
        *why = QStringLiteral("contains a NUL character");
        return std::nullopt;
    }

    const QByteArray prefix = "SELECT ";
    const QByteArray wrapped = prefix + trimmed.toUtf8();
    QVector<Token> tokens;
    const Token* first = nullptr;
    if (!tokensAcceptable(wrapped, prefix.size(), why, &first, &tokens))
        return std::nullopt;
    if (startsLikeQuery(wrapped, *first)) {
        *why = QStringLiteral("must be an expression, not a query: leave out SELECT (a subquery goes in "
                              "parentheses: (SELECT ...))");
        return std::nullopt;
    }

    QJsonObject tree;
    sqlsyntax::SyntaxError error;
    if (!sqlsyntax::parse(wrapped, &tree, &error)) {
        *why = QStringLiteral("not a valid expression: %1%2").arg(error.message, atPosition(wrapped, prefix.size(), error.position));
        return std::nullopt;
    }
    int location = -1;
    const QJsonObject value = singleTarget(tree, why, &location);
    if (value.isEmpty())
        return std::nullopt;
    // The value must start where the user's text starts: nothing (like ALL or DISTINCT) before it.
    if (location != first->start) {
        *why = QStringLiteral("must be a single expression");
        return std::nullopt;
    }

    ParsedExpression out;
    out.text = trimmed;
    out.bareColumn = isBareColumn(value);
    TreeWalker walker(&out);
    walker.walk(value, false);
    if (!walker.problem.isEmpty()) {
        *why = walker.problem;
        return std::nullopt;
    }
    if (use != ExpressionUse::Backfill && out.hasSubquery) {
        *why = use == ExpressionUse::Default
            ? QStringLiteral("must not contain a subquery (PostgreSQL does not allow them in defaults)")
            : QStringLiteral("must not contain a subquery (PostgreSQL does not allow them in CHECK constraints)");
        return std::nullopt;
    }
    if (use == ExpressionUse::Default && !out.columns.isEmpty()) {
        *why = QStringLiteral("must not read columns (found %1): a default cannot depend on the row; to fill "
                              "existing rows from other columns use --backfill").arg(out.columns.first());
        return std::nullopt;
    }
    return out;
}

QString typeNameProblem(const QString& text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return QStringLiteral("is empty");
    if (trimmed.size() > 1000)
        return QStringLiteral("is too long to be a type name");
    if (trimmed.contains(QChar(0)))
        return QStringLiteral("contains a NUL character");

    const QByteArray prefix = "SELECT NULL::";
    const QByteArray wrapped = prefix + trimmed.toUtf8();
    QVector<Token> tokens;
    sqlsyntax::SyntaxError error;
    if (!sqlsyntax::scan(wrapped, &tokens, &error))
        return QStringLiteral("\"%1\" is not a type name (%2)").arg(trimmed, error.message);
    for (const Token& t : tokens) {
        if (t.start >= prefix.size()
            && (t.kind == sqlsyntax::Semicolon || t.kind == sqlsyntax::LineComment
                || t.kind == sqlsyntax::BlockComment || t.kind == sqlsyntax::Param))
            return QStringLiteral("\"%1\" is not a type name: only the type is allowed (no ;, comments or parameters)").arg(trimmed);
    }
    QJsonObject tree;
    if (!sqlsyntax::parse(wrapped, &tree, &error))
        return QStringLiteral("\"%1\" is not a type name (%2)").arg(trimmed, error.message);

    QString why;
    int location = -1;
    const QJsonObject value = singleTarget(tree, &why, &location);
    const QJsonObject cast = value.value(QLatin1String("TypeCast")).toObject();
    const QJsonObject arg = cast.value(QLatin1String("arg")).toObject().value(QLatin1String("A_Const")).toObject();
    const QJsonObject typeName = cast.value(QLatin1String("typeName")).toObject();
    const bool plainCast = !cast.isEmpty() && arg.value(QLatin1String("isnull")).toBool()
        && arg.value(QLatin1String("location")).toInt(-1) == 7 && !typeName.isEmpty();
    if (!plainCast)
        return QStringLiteral("\"%1\" is not just a type name").arg(trimmed);
    if (typeName.value(QLatin1String("setof")).toBool() || typeName.value(QLatin1String("pct_type")).toBool())
        return QStringLiteral("\"%1\" is not a column type").arg(trimmed);
    // Type modifiers are constants (numeric(12,2)) or plain words (interval's fields come elsewhere).
    for (const QJsonValue& mod : typeName.value(QLatin1String("typmods")).toArray()) {
        const QJsonObject m = mod.toObject();
        const bool constant = m.contains(QLatin1String("A_Const"));
        const bool word = m.value(QLatin1String("ColumnRef")).toObject().value(QLatin1String("fields")).toArray().size() == 1;
        if (!constant && !word)
            return QStringLiteral("\"%1\": type modifiers must be constants, e.g. numeric(12,2)").arg(trimmed);
    }
    return {};
}

} // namespace lockstep
