// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>
#include <QStringList>
#include <QVector>

namespace lockstep {

struct ColumnInfo {
    QString name;           // literal name
    QString type;           // format_type(atttypid, atttypmod), e.g. "integer", "character varying(20)"
    bool notNull = false;
    QString defaultExpr;    // pg_get_expr of the default, empty if none
    int attnum = 0;
};

// How the backfill walks the table: by a key (primary key, or a unique index on NOT NULL columns),
// or, without one, by ranges of heap pages (ctid).
struct BackfillKey {
    enum class Kind { PrimaryKey, UniqueNotNull, Ctid };
    Kind kind = Kind::Ctid;
    QStringList columns;    // literal names, index order; empty for Ctid
    QStringList types;      // format_type of each key column
    QString indexName;      // the index that serves keyset order; empty for Ctid
};

struct IndexInfo {
    QString name;
    QString definition;     // pg_get_indexdef
    bool unique = false;
    bool primary = false;
    bool valid = true;
    QStringList columns;    // literal names of key columns (expressions left out)
    qint64 bytes = 0;       // pg_relation_size (0 for a partitioned index: its partitions hold the data)
};

struct ConstraintInfo {
    QString name;
    char type = 'c';        // pg_constraint.contype: c, f, p, u, x, t
    QString definition;     // pg_get_constraintdef
    bool validated = true;
    QStringList columns;
};

// One partition of a partitioned table (any level), as the planner builds its indexes partition by partition.
struct PartitionInfo {
    QString schema, name;               // literal names
    QString parentSchema, parentName;   // the table it is a partition of
    bool partitioned = false;           // itself partitioned (sub-partitions below it)
    int depth = 1;                      // 1: a direct partition
    double rowEstimate = -1;            // reltuples (-1: never analyzed)
    qint64 relpages = 0;
};

// One of the table's own triggers (not a foreign key's internal one).
struct TriggerInfo {
    QString name;
    QString function;          // regproc text, e.g. public.ensure_role_consistency
    QString timing;            // BEFORE | AFTER | INSTEAD OF
    bool rowLevel = true;
    bool firesOnUpdate = false;    // an UPDATE that sets only a new column fires it (no column list, enabled)
    bool firesInReplica = false;   // ENABLE ALWAYS: fires even under session_replication_role = replica
};

// One table as the planner needs it: read from the catalog by CatalogReader (core/pg), or built by hand
// in unit tests (which is how the planner is tested against server versions we do not run).
struct TableSnapshot {
    int serverVersionNum = 0;      // e.g. 150004
    QString serverVersion;         // e.g. "15.4"
    quint32 oid = 0;
    QString schema;                // literal names
    QString name;
    char relkind = 'r';            // r table, p partitioned table
    qint64 totalBytes = 0;
    qint64 heapBytes = 0;
    qint64 relpages = 0;
    double rowEstimate = 0;        // reltuples (or a count for small tables); -1 if never analyzed
    QVector<ColumnInfo> columns;
    BackfillKey key;
    QVector<IndexInfo> indexes;
    QVector<ConstraintInfo> constraints;
    QStringList triggerNames;
    QVector<TriggerInfo> triggers;     // the same triggers, with what fires them
    // The connected role may SET session_replication_role (superuser, or PG 15+ GRANT SET ON PARAMETER):
    // the backfill's own updates can then run without firing the table's triggers.
    bool maySilenceTriggers = false;
    bool fullPageWrites = true;        // the server's full_page_writes (the WAL estimate counts page images)
    QStringList schemaRelationNames;   // relations of the schema named lockstep_* (plan object names avoid them)
    QVector<PartitionInfo> partitions; // relkind 'p': every partition, parents before their children
    QStringList partitionKey;          // relkind 'p': the partition key's columns (or expressions)

    const ColumnInfo* column(const QString& literalName) const
    {
        for (const auto& c : columns)
            if (c.name == literalName)
                return &c;
        return nullptr;
    }
};

} // namespace lockstep
