// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/run/owner_marks.h"

namespace lockstep::run {

namespace {
using Kind = StatementFact::Kind;

QString kindName(Kind kind)
{
    switch (kind) {
    case Kind::AddColumn: return QStringLiteral("column");
    case Kind::CreateTrigger: return QStringLiteral("trigger");
    case Kind::AddConstraint: return QStringLiteral("constraint");
    case Kind::CreateIndex: return QStringLiteral("index");
    default: return {};
    }
}
} // namespace

QString objectLabel(const StatementFact& fact)
{
    return QStringLiteral("%1 \"%2\"").arg(kindName(fact.kind), fact.name);
}

QStringList markStatements(pg::Connection& conn, const QString& table, const QStringList& statements, const QString& mark)
{
    QStringList out;
    QString schema;   // looked up once, for the first index
    const QString literal = conn.quoteLiteral(mark);
    for (const QString& s : statements) {
        for (const StatementFact& f : statementFacts(s)) {
            if (f.name.isEmpty())
                continue;
            const QString name = conn.quoteIdent(f.name);
            switch (f.kind) {
            case Kind::AddColumn:
                out << QStringLiteral("COMMENT ON COLUMN %1.%2 IS %3;").arg(table, name, literal);
                break;
            case Kind::CreateTrigger:
                out << QStringLiteral("COMMENT ON TRIGGER %1 ON %2 IS %3;").arg(name, table, literal);
                break;
            case Kind::AddConstraint:
                out << QStringLiteral("COMMENT ON CONSTRAINT %1 ON %2 IS %3;").arg(name, table, literal);
                break;
            case Kind::CreateIndex:
                if (schema.isEmpty())
                    schema = conn.exec(pg::sqlResource(QStringLiteral("run_table_schema")), {table}).value(0, 0);
                // A partition's index lives in the partition's schema, which the statement names.
                out << QStringLiteral("COMMENT ON INDEX %1.%2 IS %3;")
                           .arg(conn.quoteIdent(f.detail.isEmpty() ? schema : f.detail), name, literal);
                break;
            default:
                break;
            }
        }
    }
    return out;
}

std::optional<RunIdentity> objectOwner(pg::Connection& conn, const QString& table, const StatementFact& fact)
{
    const QString kind = kindName(fact.kind);
    if (kind.isEmpty() || fact.name.isEmpty())
        return std::nullopt;
    const auto r = conn.exec(pg::sqlResource(QStringLiteral("run_object_comment")), {table, kind, fact.name});
    if (r.rows() == 0 || r.isNull(0, 0))
        return std::nullopt;
    return RunIdentity::fromMark(r.value(0, 0));
}

std::optional<RunIdentity> columnOwner(pg::Connection& conn, const QString& table, const QString& column)
{
    StatementFact fact;
    fact.kind = Kind::AddColumn;
    fact.name = column;
    return objectOwner(conn, table, fact);
}

} // namespace lockstep::run
