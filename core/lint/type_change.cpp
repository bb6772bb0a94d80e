// SPDX-License-Identifier: GPL-3.0-or-later
// Which type changes PostgreSQL makes without rewriting the table: a binary-coercible cast (RelabelType)
// or a length coercion that its support function proves to be a no-op for every existing value
// (varchar_support, numeric_support, varbit_support, timestamp_support).
#include "core/lint/type_change.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStringList>

#include <pg_query.h>

namespace lockstep::lint {

namespace {
QString sval(const QJsonValue& v)
{
    return v.toObject().value(QStringLiteral("String")).toObject().value(QStringLiteral("sval")).toString();
}

bool isUnconstrained(const TypeSpec& t)
{
    return t.modifiers.isEmpty();
}

// The first modifier (length or precision), or `unconstrained` when there is none.
int firstModifier(const TypeSpec& t, int unconstrained)
{
    return t.modifiers.isEmpty() ? unconstrained : t.modifiers.first();
}

bool lengthWidens(const TypeSpec& from, const TypeSpec& to)
{
    if (isUnconstrained(to))
        return true;
    return !isUnconstrained(from) && firstModifier(to, 0) >= firstModifier(from, 0);
}

bool numericWidens(const TypeSpec& from, const TypeSpec& to)
{
    if (isUnconstrained(to))
        return true;
    if (isUnconstrained(from))
        return false;
    const int fromScale = from.modifiers.value(1, 0);
    const int toScale = to.modifiers.value(1, 0);
    return toScale == fromScale && to.modifiers.first() >= from.modifiers.first();
}

bool precisionWidens(const TypeSpec& from, const TypeSpec& to)
{
    constexpr int kMaxPrecision = 6;   // timestamp without a precision keeps microseconds
    return firstModifier(to, kMaxPrecision) >= firstModifier(from, kMaxPrecision);
}
} // namespace

QString TypeSpec::display() const
{
    static const QHash<QString, QString> names{
        {QStringLiteral("int2"), QStringLiteral("smallint")}, {QStringLiteral("int4"), QStringLiteral("integer")},
        {QStringLiteral("int8"), QStringLiteral("bigint")},   {QStringLiteral("float4"), QStringLiteral("real")},
        {QStringLiteral("float8"), QStringLiteral("double precision")}, {QStringLiteral("bool"), QStringLiteral("boolean")},
        {QStringLiteral("bpchar"), QStringLiteral("char")},
    };
    QString out = schema.isEmpty() ? names.value(name, name) : schema + QLatin1Char('.') + name;
    if (!modifiers.isEmpty()) {
        QStringList mods;
        for (int m : modifiers)
            mods << QString::number(m);
        out += QLatin1Char('(') + mods.join(QLatin1Char(',')) + QLatin1Char(')');
    }
    return array ? out + QStringLiteral("[]") : out;
}

std::optional<TypeSpec> typeSpecFromNode(const QJsonObject& typeName)
{
    const QJsonArray names = typeName.value(QStringLiteral("names")).toArray();
    if (names.isEmpty())
        return std::nullopt;
    TypeSpec t;
    t.name = sval(names.last());
    if (names.size() >= 2 && sval(names.at(names.size() - 2)) != QLatin1String("pg_catalog"))
        t.schema = sval(names.at(names.size() - 2));
    for (const auto& m : typeName.value(QStringLiteral("typmods")).toArray()) {
        const QJsonObject c = m.toObject().value(QStringLiteral("A_Const")).toObject();
        if (!c.contains(QStringLiteral("ival")))
            return std::nullopt;   // a modifier that is not a number (interval fields, custom types)
        t.modifiers << c.value(QStringLiteral("ival")).toObject().value(QStringLiteral("ival")).toInt(0);
    }
    t.array = !typeName.value(QStringLiteral("arrayBounds")).toArray().isEmpty();
    return t.name.isEmpty() ? std::nullopt : std::optional<TypeSpec>(t);
}

std::optional<TypeSpec> typeSpecFromText(const QString& type)
{
    if (type.trimmed().isEmpty() || type.contains(QLatin1Char(';')))
        return std::nullopt;
    const QByteArray sql = QByteArrayLiteral("SELECT NULL::") + type.toUtf8();
    PgQueryParseResult r = pg_query_parse(sql.constData());
    if (r.error) {
        pg_query_free_parse_result(r);
        return std::nullopt;
    }
    const QJsonObject tree = QJsonDocument::fromJson(QByteArray(r.parse_tree)).object();
    pg_query_free_parse_result(r);
    const QJsonArray stmts = tree.value(QStringLiteral("stmts")).toArray();
    if (stmts.size() != 1)
        return std::nullopt;
    const QJsonArray targets = stmts.first().toObject().value(QStringLiteral("stmt")).toObject()
                                   .value(QStringLiteral("SelectStmt")).toObject().value(QStringLiteral("targetList")).toArray();
    if (targets.size() != 1)
        return std::nullopt;
    const QJsonObject cast = targets.first().toObject().value(QStringLiteral("ResTarget")).toObject()
                                 .value(QStringLiteral("val")).toObject().value(QStringLiteral("TypeCast")).toObject();
    return typeSpecFromNode(cast.value(QStringLiteral("typeName")).toObject());
}

bool isBinaryCoercible(const TypeSpec& from, const TypeSpec& to)
{
    if (from.schema == to.schema && from.name == to.name && from.modifiers == to.modifiers && from.array == to.array)
        return true;
    if (from.array || to.array || !from.schema.isEmpty() || !to.schema.isEmpty())
        return false;   // element-wise coercions of arrays and user types: assume a rewrite
    const QString& a = from.name;
    const QString& b = to.name;
    if (a == QLatin1String("varchar") && b == QLatin1String("varchar"))
        return lengthWidens(from, to);
    if (a == QLatin1String("varchar") && b == QLatin1String("text"))
        return true;
    if (a == QLatin1String("text") && b == QLatin1String("varchar"))
        return isUnconstrained(to);
    if (a == QLatin1String("numeric") && b == QLatin1String("numeric"))
        return numericWidens(from, to);
    if (a == QLatin1String("varbit") && b == QLatin1String("varbit"))
        return lengthWidens(from, to);
    if ((a == QLatin1String("timestamp") || a == QLatin1String("timestamptz")) && a == b)
        return precisionWidens(from, to);
    if (a == QLatin1String("cidr") && b == QLatin1String("inet"))
        return true;
    return false;
}

} // namespace lockstep::lint
