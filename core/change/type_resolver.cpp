// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/change/type_resolver.h"

#include "core/change/change_error.h"
#include "core/change/nearest_name.h"
#include "core/change/result_type_probe.h"
#include "core/pg/catalog_reader.h"

#include <QRegularExpression>

namespace lockstep {

namespace {
const QString kField = QStringLiteral("type");

[[noreturn]] void refuse(const QString& typeText, const pg::PgException& e)
{
    throw ChangeError(kField, QStringLiteral("\"%1\": %2").arg(typeText, e.error().message));
}
// "; did you mean numeric?" when one of the server's type names (those the window offers) is a likely
// meant one; the modifiers and array brackets typed stay as they were ("numerc(12,2)" -> "numeric(12,2)").
QString typeSuggestion(pg::Connection& conn, const QString& text)
{
    static const QRegularExpression tail(QStringLiteral("\\s*(\\(.*\\))?\\s*((\\[\\s*\\d*\\s*\\])*)\\s*$"));
    const QRegularExpressionMatch m = tail.match(text);
    const QString base = text.left(m.capturedStart()).trimmed();
    QStringList names;
    try {
        const pg::Result types = conn.exec(pg::sqlResource(QStringLiteral("ui_types")));
        for (int i = 0; i < types.rows(); ++i)
            if (types.value(i, "is_array") != QLatin1String("t"))
                names << types.value(i, "name");
    } catch (const pg::PgException& e) {
        if (e.error().isConnectionError())
            throw;
        return {};
    }
    return didYouMean(base, names, text.mid(m.capturedStart()).trimmed());
}
} // namespace

ResolvedType resolveColumnType(pg::Connection& conn, const QString& typeText)
{
    const QString text = typeText.trimmed();
    pg::Result row;
    try {
        row = conn.exec(pg::sqlResource(QStringLiteral("resolve_type")), {text});
    } catch (const pg::PgException& e) {
        if (e.error().isConnectionError())
            throw;
        refuse(text, e);
    }
    if (row.isNull(0, "oid")) {
        const QString lower = text.toLower();
        if (lower == QLatin1String("serial") || lower == QLatin1String("bigserial") || lower == QLatin1String("smallserial")
            || lower == QLatin1String("serial4") || lower == QLatin1String("serial8") || lower == QLatin1String("serial2"))
            throw ChangeError(kField, QStringLiteral("\"%1\" is not a type but a CREATE TABLE shorthand; use integer or "
                                                     "bigint with --default \"nextval('a_sequence')\"").arg(text));
        throw ChangeError(kField, QStringLiteral("\"%1\" is not a known type%2").arg(text, typeSuggestion(conn, text)));
    }
    const QString typtype = row.value(0, "typtype");
    if (typtype == QLatin1String("p"))
        throw ChangeError(kField, QStringLiteral("\"%1\" is a pseudo-type; a column cannot have it").arg(text));
    if (row.value(0, "is_defined") != QLatin1String("t"))
        throw ChangeError(kField, QStringLiteral("\"%1\" is only a placeholder (shell) type").arg(text));

    ResolvedType t;
    t.oid = row.value(0, "oid").toUInt();
    // The type text is safe to embed: typeNameProblem accepted it as a single type name and nothing else.
    ResultType described;
    try {
        described = probeResultType(conn, QStringLiteral("SELECT NULL::%1 LIMIT 0").arg(text));
    } catch (const pg::PgException& e) {
        if (e.error().isConnectionError())
            throw;
        refuse(text, e);
    }
    // A domain is described by its base type; domains take no modifiers of their own.
    t.typmod = (typtype != QLatin1String("d") && described.oid == t.oid) ? described.typmod : -1;
    t.name = conn.exec(pg::sqlResource(QStringLiteral("resolve_type_name")), {t.oid, t.typmod}).value(0, "name");
    return t;
}

QString serialBaseType(const QString& typeText, QString* identity)
{
    // "<integer type> GENERATED ALWAYS|BY DEFAULT AS IDENTITY": the integer type; *identity says which.
    static const QRegularExpression identityType(
        QStringLiteral(R"(^\s*(smallint|int2|integer|int|int4|bigint|int8)\s+generated\s+(always|by\s+default)\s+as\s+identity\s*$)"),
        QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch m = identityType.match(typeText);
    if (m.hasMatch()) {
        *identity = m.captured(2).toUpper().simplified();
        return m.captured(1).toLower();
    }
    const QString lower = typeText.trimmed().toLower();
    if (lower == QLatin1String("serial") || lower == QLatin1String("serial4"))
        return QStringLiteral("integer");
    if (lower == QLatin1String("bigserial") || lower == QLatin1String("serial8"))
        return QStringLiteral("bigint");
    if (lower == QLatin1String("smallserial") || lower == QLatin1String("serial2"))
        return QStringLiteral("smallint");
    return {};
}

} // namespace lockstep
