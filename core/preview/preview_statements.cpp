// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/preview/preview_statements.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <pg_query.h>

namespace lockstep::preview {

namespace {
enum class Kind { Run, TimeoutSetting, TransactionControl, Concurrent, Unparsable };

struct Parsed {
    Kind kind = Kind::Run;
    QString error;
};

Parsed classify(const QString& statement)
{
    const QByteArray utf8 = statement.toUtf8();
    PgQueryParseResult r = pg_query_parse(utf8.constData());
    if (r.error) {
        Parsed p{Kind::Unparsable, QString::fromUtf8(r.error->message)};
        pg_query_free_parse_result(r);
        return p;
    }
    const QJsonObject tree = QJsonDocument::fromJson(QByteArray(r.parse_tree)).object();
    pg_query_free_parse_result(r);
    Kind kind = Kind::Run;
    for (const auto& sv : tree.value(QStringLiteral("stmts")).toArray()) {
        const QJsonObject node = sv.toObject().value(QStringLiteral("stmt")).toObject();
        if (node.isEmpty())
            continue;
        const QString type = node.keys().first();
        const QJsonObject stmt = node.value(type).toObject();
        if (type == QLatin1String("TransactionStmt"))
            return {Kind::TransactionControl, {}};
        if ((type == QLatin1String("IndexStmt") || type == QLatin1String("DropStmt"))
            && stmt.value(QStringLiteral("concurrent")).toBool())
            kind = Kind::Concurrent;
        if (type == QLatin1String("ReindexStmt")) {
            for (const auto& p : stmt.value(QStringLiteral("params")).toArray()) {
                if (p.toObject().value(QStringLiteral("DefElem")).toObject().value(QStringLiteral("defname")).toString()
                    == QLatin1String("concurrently"))
                    return {Kind::TransactionControl, {}};   // no plain equivalent worth replaying
            }
        }
        if (type == QLatin1String("VariableSetStmt")) {
            static const QStringList timeouts{QStringLiteral("lock_timeout"), QStringLiteral("statement_timeout"),
                                              QStringLiteral("idle_in_transaction_session_timeout")};
            if (timeouts.contains(stmt.value(QStringLiteral("name")).toString()))
                kind = Kind::TimeoutSetting;
        }
    }
    return {kind, {}};
}

// CREATE [UNIQUE] INDEX CONCURRENTLY ... / DROP INDEX CONCURRENTLY ...: the keyword right after INDEX, so a
// name that happens to read "concurrently" further on is never touched.
QString withoutConcurrently(const QString& statement)
{
    static const QRegularExpression create(QStringLiteral("^(\\s*CREATE\\s+(?:UNIQUE\\s+)?INDEX\\s+)CONCURRENTLY\\s+"),
                                           QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression drop(QStringLiteral("^(\\s*DROP\\s+INDEX\\s+)CONCURRENTLY\\s+"),
                                         QRegularExpression::CaseInsensitiveOption);
    QString out = statement;
    out.replace(create, QStringLiteral("\\1"));
    out.replace(drop, QStringLiteral("\\1"));
    return out;
}
} // namespace

PreviewStatements previewStatements(const QStringList& statements, bool plainConcurrently)
{
    PreviewStatements out;
    for (const QString& s : statements) {
        const Parsed p = classify(s);
        switch (p.kind) {
        case Kind::Run:
            out.statements << s;
            break;
        case Kind::TimeoutSetting:
            break;
        case Kind::TransactionControl:
            out.unusableReason = QStringLiteral("controls its own transactions (COMMIT, SAVEPOINT or REINDEX "
                                                "CONCURRENTLY): it cannot be tried inside BEGIN ... ROLLBACK");
            return out;
        case Kind::Unparsable:
            out.unusableReason = QStringLiteral("a statement does not parse: %1").arg(p.error);
            return out;
        case Kind::Concurrent: {
            const QString plain = withoutConcurrently(s);
            if (!plainConcurrently || classify(plain).kind != Kind::Run) {
                out.unusableReason = QStringLiteral("runs outside a transaction (CONCURRENTLY)");
                return out;
            }
            out.statements << plain;
            break;
        }
        }
    }
    return out;
}

} // namespace lockstep::preview
