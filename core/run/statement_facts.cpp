// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/run/statement_facts.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <pg_query.h>

namespace lockstep::run {

namespace {
using Kind = StatementFact::Kind;

QString lastName(const QJsonArray& items)
{
    if (items.isEmpty())
        return {};
    return items.last().toObject().value(QStringLiteral("String")).toObject().value(QStringLiteral("sval")).toString();
}

// The type of an ADD COLUMN as written: from the type's location to its first constraint (or the end).
QString columnTypeText(const QByteArray& utf8, const QJsonObject& columnDef)
{
    const int start = columnDef.value(QStringLiteral("typeName")).toObject().value(QStringLiteral("location")).toInt(-1);
    if (start < 0)
        return {};
    int end = utf8.size();
    for (const auto& c : columnDef.value(QStringLiteral("constraints")).toArray()) {
        const int at = c.toObject().value(QStringLiteral("Constraint")).toObject().value(QStringLiteral("location")).toInt(-1);
        if (at > start && at < end)
            end = at;
    }
    QString text = QString::fromUtf8(utf8.mid(start, end - start)).trimmed();
    while (text.endsWith(QLatin1Char(';')) || text.endsWith(QLatin1Char(',')))
        text = text.left(text.size() - 1).trimmed();
    return text;
}

void alterTableFacts(const QByteArray& utf8, const QJsonObject& stmt, QVector<StatementFact>* out)
{
    for (const auto& v : stmt.value(QStringLiteral("cmds")).toArray()) {
        const QJsonObject cmd = v.toObject().value(QStringLiteral("AlterTableCmd")).toObject();
        const QString subtype = cmd.value(QStringLiteral("subtype")).toString();
        const QString name = cmd.value(QStringLiteral("name")).toString();
        const QJsonObject def = cmd.value(QStringLiteral("def")).toObject();
        StatementFact f;
        if (subtype == QLatin1String("AT_AddColumn")) {
            const QJsonObject col = def.value(QStringLiteral("ColumnDef")).toObject();
            f = {Kind::AddColumn, col.value(QStringLiteral("colname")).toString(), columnTypeText(utf8, col)};
        } else if (subtype == QLatin1String("AT_DropColumn")) {
            f = {Kind::DropColumn, name, {}};
        } else if (subtype == QLatin1String("AT_AddConstraint")) {
            f = {Kind::AddConstraint, def.value(QStringLiteral("Constraint")).toObject().value(QStringLiteral("conname")).toString(), {}};
        } else if (subtype == QLatin1String("AT_ValidateConstraint")) {
            f = {Kind::ValidateConstraint, name, {}};
        } else if (subtype == QLatin1String("AT_DropConstraint")) {
            f = {Kind::DropConstraint, name, {}};
        } else if (subtype == QLatin1String("AT_SetNotNull")) {
            f = {Kind::SetNotNull, name, {}};
        } else if (subtype == QLatin1String("AT_AddIdentity")) {
            f = {Kind::AddIdentity, name, {}};
        }
        out->push_back(f);
    }
}
} // namespace

std::optional<QVector<ParsedStatement>> parseStatements(const QString& sql)
{
    const QByteArray utf8 = sql.toUtf8();
    PgQueryParseResult r = pg_query_parse(utf8.constData());
    if (r.error) {
        pg_query_free_parse_result(r);
        return std::nullopt;
    }
    const QJsonObject tree = QJsonDocument::fromJson(QByteArray(r.parse_tree)).object();
    pg_query_free_parse_result(r);
    QVector<ParsedStatement> out;
    for (const auto& sv : tree.value(QStringLiteral("stmts")).toArray()) {
        const QJsonObject node = sv.toObject().value(QStringLiteral("stmt")).toObject();
        if (!node.isEmpty())
            out.push_back({node.keys().first(), node.value(node.keys().first()).toObject()});
    }
    return out;
}

QVector<StatementFact> statementFacts(const QString& statement)
{
    const QByteArray utf8 = statement.toUtf8();
    const auto parsed = parseStatements(statement);
    if (!parsed)
        return {StatementFact{}};
    QVector<StatementFact> out;
    for (const ParsedStatement& p : *parsed) {
        const QString& type = p.type;
        const QJsonObject& stmt = p.node;
        if (type == QLatin1String("AlterTableStmt")) {
            alterTableFacts(utf8, stmt, &out);
        } else if (type == QLatin1String("CreateTrigStmt")) {
            out.push_back({Kind::CreateTrigger, stmt.value(QStringLiteral("trigname")).toString(), {}});
        } else if (type == QLatin1String("IndexStmt")) {
            // detail: the schema of the indexed relation as written (an index lives in its table's schema).
            StatementFact f{Kind::CreateIndex, stmt.value(QStringLiteral("idxname")).toString(),
                            stmt.value(QStringLiteral("relation")).toObject().value(QStringLiteral("schemaname")).toString()};
            f.concurrent = stmt.value(QStringLiteral("concurrent")).toBool();
            out.push_back(f);
        } else if (type == QLatin1String("DropStmt")) {
            const QString removeType = stmt.value(QStringLiteral("removeType")).toString();
            const bool concurrent = stmt.value(QStringLiteral("concurrent")).toBool();
            for (const auto& o : stmt.value(QStringLiteral("objects")).toArray()) {
                const QString name = lastName(o.toObject().value(QStringLiteral("List")).toObject().value(QStringLiteral("items")).toArray());
                if (removeType == QLatin1String("OBJECT_TRIGGER"))
                    out.push_back({Kind::DropTrigger, name, {}});
                else if (removeType == QLatin1String("OBJECT_INDEX"))
                    out.push_back({Kind::DropIndex, name, {}, concurrent});
                else
                    out.push_back({});
            }
        } else if (type == QLatin1String("VariableSetStmt")
                   && stmt.value(QStringLiteral("name")).toString() == QLatin1String("lock_timeout")) {
            const QJsonObject c = stmt.value(QStringLiteral("args")).toArray().first().toObject()
                                      .value(QStringLiteral("A_Const")).toObject();
            QString value;
            if (c.contains(QStringLiteral("sval")))
                value = c.value(QStringLiteral("sval")).toObject().value(QStringLiteral("sval")).toString();
            else if (c.contains(QStringLiteral("ival")))
                value = QString::number(c.value(QStringLiteral("ival")).toObject().value(QStringLiteral("ival")).toInt(0));
            out.push_back({Kind::SetLockTimeout, {}, value});
        } else {
            out.push_back({});
        }
    }
    if (out.isEmpty())
        out.push_back({});
    return out;
}

} // namespace lockstep::run
