// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/pg/catalog_reader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <algorithm>
#include <stdexcept>
#include <tuple>

namespace lockstep::pg {

namespace {

bool boolValue(const Result& r, int row, const char* name) { return r.value(row, name) == QLatin1String("t"); }

QStringList jsonNames(const QString& json)
{
    QStringList out;
    for (const QJsonValue& v : QJsonDocument::fromJson(json.toUtf8()).array())
        out << v.toString();
    return out;
}

// What the key choice needs to know about an index beyond IndexInfo.
struct IndexFacts {
    IndexInfo info;
    bool usableForKeyset = false;   // btree, valid, no predicate, no expressions
    qint64 bytes = 0;
};

void readTable(Connection& conn, TableSnapshot& t, qint64 countBelowPages)
{
    const Result r = conn.exec(sqlResource(QStringLiteral("table_snapshot_table")), {t.oid});
    if (r.rows() != 1)
        throw std::runtime_error("no relation with oid " + std::to_string(t.oid));
    t.schema = r.value(0, "schema");
    t.name = r.value(0, "name");
    const QString relkind = r.value(0, "relkind");
    t.relkind = relkind.isEmpty() ? '?' : relkind.at(0).toLatin1();
    t.totalBytes = r.value(0, "total_bytes").toLongLong();
    t.heapBytes = r.value(0, "heap_bytes").toLongLong();
    t.relpages = r.value(0, "relpages").toLongLong();
    t.fullPageWrites = r.value(0, "full_page_writes") != QLatin1String("f");
    t.rowEstimate = r.value(0, "reltuples").toDouble();
    if (boolValue(r, 0, "stats_unknown")) {
        // Never analyzed: reltuples says nothing. Count a small table (cheap, exact); a big one stays unknown.
        const qint64 blockSize = qMax<qint64>(1, r.value(0, "block_size").toLongLong());
        if (t.heapBytes / blockSize < countBelowPages) {
            const QString count = QStringLiteral("SELECT count(*) FROM %1.%2").arg(conn.quoteIdent(t.schema), conn.quoteIdent(t.name));
            t.rowEstimate = conn.exec(count).value(0, 0).toDouble();
        } else {
            t.rowEstimate = -1;
        }
    }
}

void readPartitions(Connection& conn, TableSnapshot& t)
{
    if (t.relkind != 'p')
        return;
    const Result r = conn.exec(sqlResource(QStringLiteral("table_snapshot_partitions")), {t.oid});
    for (int i = 0; i < r.rows(); ++i) {
        PartitionInfo p;
        p.schema = r.value(i, "schema");
        p.name = r.value(i, "name");
        p.parentSchema = r.value(i, "parent_schema");
        p.parentName = r.value(i, "parent_name");
        p.partitioned = boolValue(r, i, "partitioned");
        p.depth = r.value(i, "depth").toInt();
        p.rowEstimate = r.value(i, "row_estimate").toDouble();
        p.relpages = r.value(i, "relpages").toLongLong();
        t.partitions << p;
        if (t.partitionKey.isEmpty())
            t.partitionKey = jsonNames(r.value(i, "key_columns"));
    }
}

void readColumns(Connection& conn, TableSnapshot& t)
{
    const Result r = conn.exec(sqlResource(QStringLiteral("table_snapshot_columns")), {t.oid});
    for (int i = 0; i < r.rows(); ++i) {
        ColumnInfo c;
        c.name = r.value(i, "name");
        c.type = r.value(i, "type");
        c.notNull = boolValue(r, i, "not_null");
        c.defaultExpr = r.value(i, "default_expr");
        c.attnum = r.value(i, "attnum").toInt();
        t.columns.push_back(c);
    }
}

QVector<IndexFacts> readIndexes(Connection& conn, TableSnapshot& t)
{
    QVector<IndexFacts> facts;
    const Result r = conn.exec(sqlResource(QStringLiteral("table_snapshot_indexes")), {t.oid});
    for (int i = 0; i < r.rows(); ++i) {
        IndexFacts f;
        f.info.name = r.value(i, "name");
        f.info.definition = r.value(i, "definition");
        f.info.unique = boolValue(r, i, "is_unique");
        f.info.primary = boolValue(r, i, "is_primary");
        f.info.valid = boolValue(r, i, "is_valid");
        f.info.columns = jsonNames(r.value(i, "columns"));
        const bool allColumns = f.info.columns.size() == r.value(i, "key_count").toInt();
        f.usableForKeyset = f.info.valid && r.value(i, "access_method") == QLatin1String("btree")
            && !boolValue(r, i, "is_partial") && !boolValue(r, i, "has_expressions") && allColumns
            && !f.info.columns.isEmpty();
        f.bytes = r.value(i, "bytes").toLongLong();
        f.info.bytes = f.bytes;
        t.indexes.push_back(f.info);
        facts.push_back(f);
    }
    return facts;
}

void readConstraints(Connection& conn, TableSnapshot& t)
{
    const Result r = conn.exec(sqlResource(QStringLiteral("table_snapshot_constraints")), {t.oid});
    for (int i = 0; i < r.rows(); ++i) {
        ConstraintInfo c;
        c.name = r.value(i, "name");
        const QString type = r.value(i, "type");
        c.type = type.isEmpty() ? '?' : type.at(0).toLatin1();
        c.definition = r.value(i, "definition");
        c.validated = boolValue(r, i, "validated");
        c.columns = jsonNames(r.value(i, "columns"));
        t.constraints.push_back(c);
    }
}

void readTriggers(Connection& conn, TableSnapshot& t)
{
    const Result r = conn.exec(sqlResource(QStringLiteral("table_snapshot_triggers")), {t.oid});
    for (int i = 0; i < r.rows(); ++i) {
        TriggerInfo trigger;
        trigger.name = r.value(i, "name");
        trigger.function = r.value(i, "function");
        trigger.timing = r.value(i, "timing");
        trigger.rowLevel = boolValue(r, i, "row_level");
        trigger.firesOnUpdate = boolValue(r, i, "fires_on_update");
        trigger.firesInReplica = boolValue(r, i, "fires_in_replica");
        t.triggerNames << trigger.name;
        t.triggers << trigger;
    }
    t.maySilenceTriggers = roleMaySilenceTriggers(conn);
}

void readSchemaRelations(Connection& conn, TableSnapshot& t)
{
    const Result r = conn.exec(sqlResource(QStringLiteral("table_snapshot_schema_relations")), {t.oid});
    for (int i = 0; i < r.rows(); ++i)
        t.schemaRelationNames << r.value(i, "name");
}

BackfillKey keyFrom(const TableSnapshot& t, const IndexInfo& index, BackfillKey::Kind kind)
{
    BackfillKey key;
    key.kind = kind;
    key.columns = index.columns;
    key.indexName = index.name;
    for (const QString& name : index.columns) {
        const ColumnInfo* c = t.column(name);
        key.types << (c ? c->type : QString());
    }
    return key;
}

// Primary key; else the smallest usable unique index on NOT NULL columns (fewer columns, then name, break
// ties); else ctid.
BackfillKey chooseKey(const TableSnapshot& t, const QVector<IndexFacts>& indexes)
{
    for (const IndexFacts& f : indexes)
        if (f.info.primary && f.usableForKeyset)
            return keyFrom(t, f.info, BackfillKey::Kind::PrimaryKey);
    const IndexFacts* best = nullptr;
    for (const IndexFacts& f : indexes) {
        if (!f.info.unique || !f.usableForKeyset)
            continue;
        const bool allNotNull = std::all_of(f.info.columns.begin(), f.info.columns.end(), [&](const QString& name) {
            const ColumnInfo* c = t.column(name);
            return c && c->notNull;
        });
        if (!allNotNull)
            continue;
        const auto rank = [](const IndexFacts& x) { return std::make_tuple(x.bytes, x.info.columns.size(), x.info.name); };
        if (!best || rank(f) < rank(*best))
            best = &f;
    }
    if (best)
        return keyFrom(t, best->info, BackfillKey::Kind::UniqueNotNull);
    return BackfillKey{};
}

} // namespace

bool roleMaySilenceTriggers(Connection& conn)
{
    const QString query = conn.serverVersionNum() >= 150000 ? QStringLiteral("role_may_silence_triggers")
                                                            : QStringLiteral("role_may_silence_triggers_pre15");
    return conn.exec(sqlResource(query)).value(0, 0) == QLatin1String("t");
}

TableSnapshot readTableSnapshot(Connection& conn, quint32 oid, qint64 countBelowPages)
{
    TableSnapshot t;
    t.serverVersionNum = conn.serverVersionNum();
    t.serverVersion = conn.serverVersion();
    t.oid = oid;
    readTable(conn, t, countBelowPages);
    readColumns(conn, t);
    readPartitions(conn, t);
    const QVector<IndexFacts> indexes = readIndexes(conn, t);
    readConstraints(conn, t);
    readTriggers(conn, t);
    readSchemaRelations(conn, t);
    t.key = chooseKey(t, indexes);
    return t;
}

} // namespace lockstep::pg
