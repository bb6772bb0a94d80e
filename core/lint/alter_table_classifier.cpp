// SPDX-License-Identifier: GPL-3.0-or-later
// ALTER TABLE's subcommands, each one Action (ADD COLUMN may add more for its inline constraints).
#include "core/lint/default_volatility.h"
#include "core/lint/statement_classifier.h"

#include <QJsonArray>

namespace lockstep::lint {

namespace {
using Op = DdlOperation;

QJsonObject child(const QJsonObject& o, const char* key)
{
    return o.value(QLatin1String(key)).toObject();
}

bool isSerialType(const std::optional<TypeSpec>& t)
{
    static const QStringList serials{QStringLiteral("serial"), QStringLiteral("bigserial"), QStringLiteral("smallserial"),
                                     QStringLiteral("serial2"), QStringLiteral("serial4"), QStringLiteral("serial8")};
    return t && t->schema.isEmpty() && !t->array && serials.contains(t->name);
}

bool isNullConstant(const QJsonObject& expr)
{
    return child(expr, "A_Const").value(QStringLiteral("isnull")).toBool();
}

// A constraint of a table or a column: ADD CONSTRAINT ..., or one written inside ADD COLUMN.
std::optional<Action> constraintAction(const QJsonObject& c, const QString& column, bool inColumn)
{
    const QString type = c.value(QStringLiteral("contype")).toString();
    const bool notValid = c.value(QStringLiteral("skip_validation")).toBool();
    Action a;
    a.constraint = c.value(QStringLiteral("conname")).toString();
    a.inColumnDefinition = inColumn;
    a.column = column;
    if (type == QLatin1String("CONSTR_CHECK")) {
        a.op = notValid ? Op::AddCheckNotValid : Op::AddCheck;
        const QJsonObject test = child(child(c, "raw_expr"), "NullTest");
        const QJsonArray fields = child(child(test, "arg"), "ColumnRef").value(QStringLiteral("fields")).toArray();
        if (test.value(QStringLiteral("nulltesttype")).toString() == QLatin1String("IS_NOT_NULL") && fields.size() == 1)
            a.notNullColumn = stringValue(fields.first());
    } else if (type == QLatin1String("CONSTR_FOREIGN")) {
        a.op = notValid ? Op::AddForeignKeyNotValid : Op::AddForeignKey;
        a.referencedTable = relationName(child(c, "pktable"));
        a.keyColumns = inColumn ? QStringList{column} : stringValues(c.value(QStringLiteral("fk_attrs")).toArray());
    } else if (type == QLatin1String("CONSTR_UNIQUE") || type == QLatin1String("CONSTR_PRIMARY")) {
        a.index = c.value(QStringLiteral("indexname")).toString();
        if (!a.index.isEmpty())
            a.op = Op::AddUniqueUsingIndex;
        else
            a.op = type == QLatin1String("CONSTR_UNIQUE") ? Op::AddUniqueConstraint : Op::AddPrimaryKey;
        a.keyColumns = inColumn ? QStringList{column} : stringValues(c.value(QStringLiteral("keys")).toArray());
    } else {
        return std::nullopt;   // EXCLUDE and column attributes: not in the lock table
    }
    return a;
}

void addColumn(const QJsonObject& def, QVector<Action>* out)
{
    const QJsonObject col = child(def, "ColumnDef");
    Action a;
    a.column = col.value(QStringLiteral("colname")).toString();
    a.type = typeSpecFromNode(child(col, "typeName"));
    bool identity = isSerialType(a.type), generated = false, notNull = false, hasDefault = false;
    QVector<Action> inlineConstraints;
    for (const auto& v : col.value(QStringLiteral("constraints")).toArray()) {
        const QJsonObject c = child(v.toObject(), "Constraint");
        const QString type = c.value(QStringLiteral("contype")).toString();
        if (type == QLatin1String("CONSTR_IDENTITY")) {
            identity = true;
        } else if (type == QLatin1String("CONSTR_GENERATED")) {
            generated = true;
        } else if (type == QLatin1String("CONSTR_NOTNULL")) {
            notNull = true;
        } else if (type == QLatin1String("CONSTR_DEFAULT") && !isNullConstant(child(c, "raw_expr"))) {
            hasDefault = true;
            const ExpressionVolatility v = expressionVolatility(c.value(QStringLiteral("raw_expr")));
            a.volatileFunction = v.volatileFunction;
            a.unknownFunctions = v.unknownFunctions;
        } else if (const auto constraint = constraintAction(c, a.column, true)) {
            inlineConstraints << *constraint;
        }
    }
    if (identity)
        a.op = Op::AddColumnSerialOrIdentity;
    else if (generated)
        a.op = Op::AddColumnStoredGenerated;
    else if (hasDefault)
        a.op = a.volatileFunction.isEmpty() ? Op::AddColumnConstantDefault : Op::AddColumnVolatileDefault;
    else if (notNull)
        a.op = Op::AddColumnNotNull;
    else
        a.op = Op::AddColumn;
    *out << a << inlineConstraints;
}

void alterColumnType(const QJsonObject& cmd, QVector<Action>* out)
{
    const QJsonObject col = child(child(cmd, "def"), "ColumnDef");
    Action a;
    a.op = Op::AlterColumnTypeRewrite;   // until the current type shows otherwise
    a.column = cmd.value(QStringLiteral("name")).toString();
    a.type = typeSpecFromNode(child(col, "typeName"));
    // USING the column itself (or the column cast to the new type) changes nothing; anything else
    // computes new values for every row.
    QJsonObject expr = child(col, "raw_default");
    if (!expr.isEmpty()) {
        if (expr.contains(QStringLiteral("TypeCast")))
            expr = child(child(expr, "TypeCast"), "arg");
        const QJsonArray fields = child(expr, "ColumnRef").value(QStringLiteral("fields")).toArray();
        a.usingExpression = !(fields.size() == 1 && stringValue(fields.first()) == a.column);
    }
    *out << a;
}
} // namespace

void classifyAlterTable(const QJsonObject& node, ClassifiedStatement* out)
{
    out->kind = ClassifiedStatement::Kind::Table;
    out->verb = QStringLiteral("ALTER TABLE");
    out->table = relationName(child(node, "relation"));
    for (const auto& v : node.value(QStringLiteral("cmds")).toArray()) {
        const QJsonObject cmd = child(v.toObject(), "AlterTableCmd");
        const QString subtype = cmd.value(QStringLiteral("subtype")).toString();
        const QString name = cmd.value(QStringLiteral("name")).toString();
        Action a;
        a.column = name;
        if (subtype == QLatin1String("AT_AddColumn")) {
            addColumn(child(cmd, "def"), &out->actions);
            continue;
        }
        if (subtype == QLatin1String("AT_AlterColumnType")) {
            alterColumnType(cmd, &out->actions);
            continue;
        }
        if (subtype == QLatin1String("AT_AddConstraint")) {
            if (const auto c = constraintAction(child(child(cmd, "def"), "Constraint"), QString(), false))
                out->actions << *c;
            continue;
        }
        if (subtype == QLatin1String("AT_DropColumn")) {
            a.op = Op::DropColumn;
        } else if (subtype == QLatin1String("AT_SetNotNull")) {
            a.op = Op::SetNotNull;   // until a validated CHECK shows otherwise
        } else if (subtype == QLatin1String("AT_DropNotNull")) {
            a.op = Op::DropNotNull;
        } else if (subtype == QLatin1String("AT_ColumnDefault")) {
            a.op = cmd.contains(QStringLiteral("def")) ? Op::SetDefault : Op::DropDefault;
        } else if (subtype == QLatin1String("AT_ValidateConstraint")) {
            a.op = Op::ValidateConstraint;   // ValidateForeignKey once known to be a foreign key
            a.column.clear();
            a.constraint = name;
        } else if (subtype == QLatin1String("AT_DropConstraint")) {
            a.op = Op::DropConstraint;       // DropForeignKey once known to be a foreign key
            a.column.clear();
            a.constraint = name;
        } else {
            continue;   // SET STATISTICS, ENABLE TRIGGER, ...: not in the lock table
        }
        out->actions << a;
    }
}

} // namespace lockstep::lint
