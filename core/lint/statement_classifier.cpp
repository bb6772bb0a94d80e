// SPDX-License-Identifier: GPL-3.0-or-later
// Statement types other than ALTER TABLE (alter_table_classifier.cpp), from libpg_query's JSON tree.
#include "core/lint/statement_classifier.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace lockstep::lint {

namespace {
using Op = DdlOperation;
using Kind = ClassifiedStatement::Kind;

QString str(const QJsonObject& o, const char* key)
{
    return o.value(QLatin1String(key)).toString();
}

QString qualifiedName(const QStringList& parts)
{
    QStringList quoted;
    for (const QString& p : parts)
        quoted << quotedIdentifier(p);
    return quoted.join(QLatin1Char('.'));
}

// The lock_timeout value is off when it is 0 in any unit ("0", '0s', 0).
bool timeoutIsOn(const QJsonObject& node)
{
    const QString kind = str(node, "kind");
    if (kind != QLatin1String("VAR_SET_VALUE"))
        return false;   // SET ... TO DEFAULT, RESET: the server default, 0 unless an administrator set it
    const QJsonObject c = node.value(QStringLiteral("args")).toArray().first().toObject()
                              .value(QStringLiteral("A_Const")).toObject();
    if (c.contains(QStringLiteral("ival")))
        return c.value(QStringLiteral("ival")).toObject().value(QStringLiteral("ival")).toInt(0) != 0;
    QString text;
    if (c.contains(QStringLiteral("sval")))
        text = c.value(QStringLiteral("sval")).toObject().value(QStringLiteral("sval")).toString();
    else if (c.contains(QStringLiteral("fval")))
        text = c.value(QStringLiteral("fval")).toObject().value(QStringLiteral("fval")).toString();
    static const QRegularExpression number(QStringLiteral("^\\s*([0-9]*\\.?[0-9]+)"));
    const auto m = number.match(text);
    return !m.hasMatch() || m.captured(1).toDouble() != 0.0;
}

void classifyTransaction(const QJsonObject& node, ClassifiedStatement* out)
{
    const QString kind = str(node, "kind");
    if (kind == QLatin1String("TRANS_STMT_BEGIN") || kind == QLatin1String("TRANS_STMT_START"))
        out->kind = Kind::Begin;
    else if (kind == QLatin1String("TRANS_STMT_COMMIT") || kind == QLatin1String("TRANS_STMT_PREPARE"))
        out->kind = node.value(QStringLiteral("chain")).toBool() ? Kind::CommitAndChain : Kind::Commit;
    else if (kind == QLatin1String("TRANS_STMT_ROLLBACK"))
        out->kind = node.value(QStringLiteral("chain")).toBool() ? Kind::CommitAndChain : Kind::Rollback;
}

void classifyIndex(const QJsonObject& node, ClassifiedStatement* out)
{
    const bool concurrent = node.value(QStringLiteral("concurrent")).toBool();
    Action a;
    a.op = concurrent ? Op::CreateIndexConcurrently : Op::CreateIndex;
    a.index = str(node, "idxname");
    a.uniqueIndex = node.value(QStringLiteral("unique")).toBool();
    for (const auto& e : node.value(QStringLiteral("indexParams")).toArray()) {
        const QString name = e.toObject().value(QStringLiteral("IndexElem")).toObject().value(QStringLiteral("name")).toString();
        if (!name.isEmpty())
            a.keyColumns << name;
    }
    out->kind = Kind::Table;
    out->verb = QStringLiteral("CREATE %1INDEX%2").arg(a.uniqueIndex ? QStringLiteral("UNIQUE ") : QString(),
                                                         concurrent ? QStringLiteral(" CONCURRENTLY") : QString());
    out->table = relationName(node.value(QStringLiteral("relation")).toObject());
    out->actions << a;
}

void classifyDrop(const QJsonObject& node, ClassifiedStatement* out)
{
    const QString type = str(node, "removeType");
    const bool concurrent = node.value(QStringLiteral("concurrent")).toBool();
    for (const auto& o : node.value(QStringLiteral("objects")).toArray()) {
        const QStringList parts = stringValues(o.toObject().value(QStringLiteral("List")).toObject().value(QStringLiteral("items")).toArray());
        Action a;
        if (type == QLatin1String("OBJECT_INDEX")) {
            a.op = concurrent ? Op::DropIndexConcurrently : Op::DropIndex;
            a.index = qualifiedName(parts);
            out->verb = concurrent ? QStringLiteral("DROP INDEX CONCURRENTLY") : QStringLiteral("DROP INDEX");
        } else if (type == QLatin1String("OBJECT_TRIGGER") && parts.size() >= 2) {
            a.op = Op::DropTrigger;
            out->table = qualifiedName(parts.mid(0, parts.size() - 1));
            out->verb = QStringLiteral("DROP TRIGGER");
        } else if (type == QLatin1String("OBJECT_FUNCTION") || type == QLatin1String("OBJECT_PROCEDURE")) {
            a.op = Op::DropFunction;
            out->verb = QStringLiteral("DROP FUNCTION");
        } else {
            return;   // DROP TABLE, DROP VIEW, ...: not in the lock table
        }
        out->kind = Kind::Table;
        out->actions << a;
    }
}

void classifyRename(const QJsonObject& node, ClassifiedStatement* out)
{
    const QString type = str(node, "renameType");
    Action a;
    if (type == QLatin1String("OBJECT_COLUMN") && str(node, "relationType") == QLatin1String("OBJECT_TABLE")) {
        a.op = Op::RenameColumn;
        a.column = str(node, "subname");
    } else if (type == QLatin1String("OBJECT_TABLE")) {
        a.op = Op::RenameTable;
    } else {
        return;
    }
    a.newName = str(node, "newname");
    out->kind = Kind::Table;
    out->verb = QStringLiteral("ALTER TABLE");
    out->table = relationName(node.value(QStringLiteral("relation")).toObject());
    out->actions << a;
}

void classifyCreateFunction(const QJsonObject& node, ClassifiedStatement* out)
{
    out->kind = Kind::CreateFunction;
    QStringList parts = stringValues(node.value(QStringLiteral("funcname")).toArray());
    if (parts.size() == 2 && parts.first() == QLatin1String("pg_catalog"))
        parts.removeFirst();
    out->function = parts.join(QLatin1Char('.'));
    for (const auto& o : node.value(QStringLiteral("options")).toArray()) {
        const QJsonObject def = o.toObject().value(QStringLiteral("DefElem")).toObject();
        if (str(def, "defname") == QLatin1String("volatility"))
            out->functionVolatile = stringValue(def.value(QStringLiteral("arg"))) == QLatin1String("volatile");
    }
    Action a;
    a.op = Op::CreateFunction;
    out->actions << a;
}

// INSERT and DELETE take the same ROW EXCLUSIVE table lock as UPDATE (plus row locks), so they share its rule.
void classifyDml(const QString& verb, const QJsonObject& node, ClassifiedStatement* out)
{
    Action a;
    a.op = Op::Update;
    out->kind = Kind::Table;
    out->verb = verb;
    out->table = relationName(node.value(QStringLiteral("relation")).toObject());
    out->actions << a;
}

void classifySelect(const QJsonObject& node, ClassifiedStatement* out)
{
    const QJsonArray from = node.value(QStringLiteral("fromClause")).toArray();
    if (from.isEmpty())
        return;   // SELECT 1, SELECT set_config(...): no table
    const QJsonObject range = from.first().toObject().value(QStringLiteral("RangeVar")).toObject();
    if (range.isEmpty())
        return;
    Action a;
    a.op = Op::Select;
    out->kind = Kind::Table;
    out->verb = QStringLiteral("SELECT");
    out->table = relationName(range);
    out->actions << a;
}
} // namespace

QString quotedIdentifier(const QString& name)
{
    static const QRegularExpression plain(QStringLiteral("^[a-z_][a-z0-9_$]*$"));
    if (plain.match(name).hasMatch())
        return name;
    QString quoted = name;
    quoted.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString relationName(const QJsonObject& rangeVar)
{
    QStringList parts;
    if (rangeVar.contains(QStringLiteral("schemaname")))
        parts << rangeVar.value(QStringLiteral("schemaname")).toString();
    parts << rangeVar.value(QStringLiteral("relname")).toString();
    return qualifiedName(parts);
}

QString stringValue(const QJsonValue& node)
{
    return node.toObject().value(QStringLiteral("String")).toObject().value(QStringLiteral("sval")).toString();
}

QStringList stringValues(const QJsonArray& nodes)
{
    QStringList out;
    for (const auto& n : nodes)
        out << stringValue(n);
    return out;
}

ClassifiedStatement classifyStatement(const QString& type, const QJsonObject& node)
{
    ClassifiedStatement out;
    if (type == QLatin1String("AlterTableStmt")) {
        if (str(node, "objtype") == QLatin1String("OBJECT_TABLE"))
            classifyAlterTable(node, &out);
    } else if (type == QLatin1String("IndexStmt")) {
        classifyIndex(node, &out);
    } else if (type == QLatin1String("DropStmt")) {
        classifyDrop(node, &out);
    } else if (type == QLatin1String("RenameStmt")) {
        classifyRename(node, &out);
    } else if (type == QLatin1String("CreateTrigStmt")) {
        Action a;
        a.op = Op::CreateTrigger;
        out.kind = Kind::Table;
        out.verb = QStringLiteral("CREATE TRIGGER");
        out.table = relationName(node.value(QStringLiteral("relation")).toObject());
        out.actions << a;
    } else if (type == QLatin1String("CreateFunctionStmt")) {
        classifyCreateFunction(node, &out);
    } else if (type == QLatin1String("UpdateStmt")) {
        classifyDml(QStringLiteral("UPDATE"), node, &out);
    } else if (type == QLatin1String("InsertStmt")) {
        classifyDml(QStringLiteral("INSERT"), node, &out);
    } else if (type == QLatin1String("DeleteStmt")) {
        classifyDml(QStringLiteral("DELETE"), node, &out);
    } else if (type == QLatin1String("SelectStmt")) {
        classifySelect(node, &out);
    } else if (type == QLatin1String("TransactionStmt")) {
        classifyTransaction(node, &out);
    } else if (type == QLatin1String("ViewStmt")) {
        out.kind = Kind::CreateView;
        out.table = relationName(node.value(QStringLiteral("view")).toObject());
    } else if (type == QLatin1String("CreateStmt")) {
        out.kind = Kind::CreateTable;
        out.table = relationName(node.value(QStringLiteral("relation")).toObject());
    } else if (type == QLatin1String("VariableSetStmt")) {
        const QString kind = str(node, "kind");
        if (str(node, "name") == QLatin1String("lock_timeout") || kind == QLatin1String("VAR_RESET_ALL")) {
            out.kind = Kind::SetLockTimeout;
            out.local = node.value(QStringLiteral("is_local")).toBool();
            out.lockTimeoutOn = timeoutIsOn(node);
        }
    }
    return out;
}

} // namespace lockstep::lint
