// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/run/run_takeover.h"

#include "core/plan/object_names.h"
#include "core/run/owner_marks.h"
#include "core/run/table_claim.h"

#include <QSet>

#include <algorithm>

namespace lockstep::run {

namespace {
QString qualified(pg::Connection& conn, const TableSnapshot& table)
{
    return conn.quoteIdent(table.schema) + QLatin1Char('.') + conn.quoteIdent(table.name);
}
} // namespace

QVector<MarkedObject> objectsMarkedBy(pg::Connection& conn, const QString& table, const QString& uid)
{
    QVector<MarkedObject> out;
    const auto r = conn.exec(pg::sqlResource(QStringLiteral("run_marked_objects")), {table, uid});
    for (int i = 0; i < r.rows(); ++i)
        out << MarkedObject{r.value(i, "kind"), r.value(i, "name"), r.value(i, "relation")};
    return out;
}

std::optional<RunIdentity> abandonedRun(pg::Connection& conn, const TableSnapshot& table, const QString& column, QString* why)
{
    const QString name = qualified(conn, table);
    const auto owner = columnOwner(conn, name, column);
    if (!owner) {
        *why = QStringLiteral("column \"%1\" was not added by a Lockstep run (it carries no run's mark): there is nothing "
                              "to take over").arg(column);
        return std::nullopt;
    }
    if (const auto holder = tableClaimHolder(conn, name); holder && holder->pid != conn.backendPid()) {
        *why = QStringLiteral("%1 is working on the table now (%2): it cannot be taken over while it runs")
                   .arg(owner->describe(), holder->describe());
        return std::nullopt;
    }
    return owner;
}

TableSnapshot withoutRunObjects(pg::Connection& conn, TableSnapshot table, const QString& column, const QString& uid)
{
    QSet<QString> marked;   // names of the run's triggers, constraints and indexes
    for (const MarkedObject& o : objectsMarkedBy(conn, qualified(conn, table), uid))
        if (o.kind != QLatin1String("column"))
            marked.insert(o.name);
    table.columns.erase(std::remove_if(table.columns.begin(), table.columns.end(),
                                       [&](const ColumnInfo& c) { return c.name == column; }),
                        table.columns.end());
    table.indexes.erase(std::remove_if(table.indexes.begin(), table.indexes.end(),
                                       [&](const IndexInfo& i) { return marked.contains(i.name) || i.columns.contains(column); }),
                        table.indexes.end());
    table.constraints.erase(std::remove_if(table.constraints.begin(), table.constraints.end(),
                                           [&](const ConstraintInfo& c) { return marked.contains(c.name); }),
                            table.constraints.end());
    table.triggers.erase(std::remove_if(table.triggers.begin(), table.triggers.end(),
                                        [&](const TriggerInfo& t) { return marked.contains(t.name); }),
                         table.triggers.end());
    table.triggerNames.erase(std::remove_if(table.triggerNames.begin(), table.triggerNames.end(),
                                            [&](const QString& t) { return marked.contains(t); }),
                             table.triggerNames.end());
    // Its helper tables are unmarked (CREATE ... IF NOT EXISTS adopts them): the names the planner gives
    // them when nothing is in the way.
    TableSnapshot clear = table;
    clear.schemaRelationNames.clear();
    const PlanObjectNames first = derivePlanObjectNames(clear, column);
    table.schemaRelationNames.removeAll(first.changedKeysTable);
    table.schemaRelationNames.removeAll(first.failedRowsTable);
    return table;
}

QVector<MarkedObject> remarkObjects(pg::Connection& conn, const QString& table, const QString& fromUid, const QString& mark)
{
    conn.exec(QStringLiteral("BEGIN"));
    try {
        const QVector<MarkedObject> objects = objectsMarkedBy(conn, table, fromUid);
        const QString literal = conn.quoteLiteral(mark);
        for (const MarkedObject& o : objects) {
            const QString name = conn.quoteIdent(o.name);
            if (o.kind == QLatin1String("column"))
                conn.exec(QStringLiteral("COMMENT ON COLUMN %1.%2 IS %3").arg(o.relation, name, literal));
            else if (o.kind == QLatin1String("trigger"))
                conn.exec(QStringLiteral("COMMENT ON TRIGGER %1 ON %2 IS %3").arg(name, o.relation, literal));
            else if (o.kind == QLatin1String("constraint"))
                conn.exec(QStringLiteral("COMMENT ON CONSTRAINT %1 ON %2 IS %3").arg(name, o.relation, literal));
            else if (o.kind == QLatin1String("index"))
                conn.exec(QStringLiteral("COMMENT ON INDEX %1 IS %2").arg(o.relation, literal));
        }
        conn.exec(QStringLiteral("COMMIT"));
        return objects;
    } catch (...) {
        if (conn.isOk() && conn.inTransaction())
            conn.exec(QStringLiteral("ROLLBACK"));
        throw;
    }
}

} // namespace lockstep::run
