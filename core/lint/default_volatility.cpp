// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/lint/default_volatility.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSet>

namespace lockstep::lint {

namespace {
// pg_proc.provolatile = 'v' among the functions people put in defaults.
const QSet<QString>& volatileBuiltins()
{
    static const QSet<QString> names{
        QStringLiteral("random"), QStringLiteral("random_normal"), QStringLiteral("gen_random_uuid"),
        QStringLiteral("uuid_generate_v1"), QStringLiteral("uuid_generate_v1mc"), QStringLiteral("uuid_generate_v4"),
        QStringLiteral("uuidv4"), QStringLiteral("uuidv7"), QStringLiteral("clock_timestamp"), QStringLiteral("timeofday"),
        QStringLiteral("nextval"), QStringLiteral("setval"), QStringLiteral("currval"), QStringLiteral("lastval"),
        QStringLiteral("setseed"), QStringLiteral("gen_random_bytes"), QStringLiteral("pg_current_xact_id"),
    };
    return names;
}

// STABLE or IMMUTABLE built-ins that are common in defaults.
const QSet<QString>& nonVolatileBuiltins()
{
    static const QSet<QString> names{
        QStringLiteral("now"), QStringLiteral("statement_timestamp"), QStringLiteral("transaction_timestamp"),
        QStringLiteral("to_timestamp"), QStringLiteral("to_date"), QStringLiteral("to_char"), QStringLiteral("date_trunc"),
        QStringLiteral("make_date"), QStringLiteral("make_time"), QStringLiteral("make_timestamp"),
        QStringLiteral("make_timestamptz"), QStringLiteral("make_interval"), QStringLiteral("timezone"),
        QStringLiteral("age"), QStringLiteral("lower"), QStringLiteral("upper"), QStringLiteral("length"),
        QStringLiteral("concat"), QStringLiteral("concat_ws"), QStringLiteral("md5"), QStringLiteral("abs"),
        QStringLiteral("round"), QStringLiteral("trunc"), QStringLiteral("floor"), QStringLiteral("ceil"),
        QStringLiteral("substr"), QStringLiteral("substring"), QStringLiteral("replace"), QStringLiteral("btrim"),
        QStringLiteral("ltrim"), QStringLiteral("rtrim"), QStringLiteral("left"), QStringLiteral("right"),
        QStringLiteral("format"), QStringLiteral("current_setting"), QStringLiteral("jsonb_build_object"),
        QStringLiteral("json_build_object"), QStringLiteral("jsonb_build_array"), QStringLiteral("json_build_array"),
        QStringLiteral("to_jsonb"), QStringLiteral("to_json"), QStringLiteral("array_fill"), QStringLiteral("int4"),
        QStringLiteral("int8"), QStringLiteral("text"), QStringLiteral("numeric"), QStringLiteral("date_part"),
        QStringLiteral("extract"), QStringLiteral("pg_backend_pid"), QStringLiteral("inet_client_addr"),
    };
    return names;
}

QString functionName(const QJsonArray& names)
{
    QStringList parts;
    for (const auto& n : names)
        parts << n.toObject().value(QStringLiteral("String")).toObject().value(QStringLiteral("sval")).toString();
    if (parts.size() == 2 && parts.first() == QLatin1String("pg_catalog"))
        parts.removeFirst();
    return parts.join(QLatin1Char('.'));
}

void walk(const QJsonValue& v, ExpressionVolatility* out)
{
    if (v.isArray()) {
        for (const auto& item : v.toArray())
            walk(item, out);
        return;
    }
    if (!v.isObject())
        return;
    const QJsonObject o = v.toObject();
    const QJsonObject call = o.value(QStringLiteral("FuncCall")).toObject();
    if (!call.isEmpty()) {
        const QString name = functionName(call.value(QStringLiteral("funcname")).toArray());
        const std::optional<bool> known = builtinFunctionIsVolatile(name);
        if (known && *known && out->volatileFunction.isEmpty())
            out->volatileFunction = name;
        else if (!known && !out->unknownFunctions.contains(name))
            out->unknownFunctions << name;
    }
    for (auto it = o.begin(); it != o.end(); ++it)
        walk(it.value(), out);
}
} // namespace

std::optional<bool> builtinFunctionIsVolatile(const QString& name)
{
    // Extension functions such as uuid_generate_v4 live in whatever schema the extension went to.
    if (volatileBuiltins().contains(name.section(QLatin1Char('.'), -1)))
        return true;
    const QString bare = name.startsWith(QLatin1String("pg_catalog.")) ? name.mid(11) : name;
    if (nonVolatileBuiltins().contains(bare))
        return false;
    return std::nullopt;
}

ExpressionVolatility expressionVolatility(const QJsonValue& expression)
{
    ExpressionVolatility out;
    walk(expression, &out);
    return out;
}

} // namespace lockstep::lint
