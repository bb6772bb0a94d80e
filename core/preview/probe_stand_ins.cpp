// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/preview/probe_stand_ins.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <pg_query.h>

namespace lockstep::preview {

namespace {
// The DROP TRIGGER targets of `statement` as name lists ([schema,] table, trigger); empty for anything else.
QVector<QStringList> droppedTriggers(const QString& statement)
{
    const QByteArray utf8 = statement.toUtf8();
    PgQueryParseResult r = pg_query_parse(utf8.constData());
    if (r.error) {
        pg_query_free_parse_result(r);
        return {};
    }
    const QJsonObject tree = QJsonDocument::fromJson(QByteArray(r.parse_tree)).object();
    pg_query_free_parse_result(r);
    QVector<QStringList> out;
    for (const auto& sv : tree.value(QStringLiteral("stmts")).toArray()) {
        const QJsonObject drop = sv.toObject().value(QStringLiteral("stmt")).toObject().value(QStringLiteral("DropStmt")).toObject();
        if (drop.value(QStringLiteral("removeType")).toString() != QLatin1String("OBJECT_TRIGGER"))
            continue;
        for (const auto& o : drop.value(QStringLiteral("objects")).toArray()) {
            QStringList names;
            for (const auto& item : o.toObject().value(QStringLiteral("List")).toObject().value(QStringLiteral("items")).toArray())
                names << item.toObject().value(QStringLiteral("String")).toObject().value(QStringLiteral("sval")).toString();
            if (names.size() == 2 || names.size() == 3)
                out << names;
        }
    }
    return out;
}
} // namespace

QStringList probeStandIns(pg::Connection& conn, const QString& statement)
{
    QStringList out;
    for (QStringList names : droppedTriggers(statement)) {
        const QString trigger = names.takeLast();
        QStringList quoted;
        for (const QString& n : names)
            quoted << conn.quoteIdent(n);
        const QString table = quoted.join(QLatin1Char('.'));
        const pg::Result r = conn.exec(pg::sqlResource(QStringLiteral("preview_trigger_exists")), {table, trigger});
        if (r.value(0, "present") == QLatin1String("t"))
            continue;
        out << QStringLiteral("CREATE TRIGGER %1 BEFORE UPDATE ON %2 FOR EACH ROW "
                              "EXECUTE FUNCTION pg_catalog.suppress_redundant_updates_trigger()")
                   .arg(conn.quoteIdent(trigger), table);
    }
    return out;
}

} // namespace lockstep::preview
