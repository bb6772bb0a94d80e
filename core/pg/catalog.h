// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/pg/connection.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVector>

// The whole database at a glance, for the table list and `lockstep inspect`: every user table with its
// sizes, traffic and lock risk, and the server's replicas and long transactions. A handful of set-based
// queries (resources/sql/catalog_*.sql), never one per table: 10,000 tables load in well under a second.
// Per-table details (columns, indexes, constraints, triggers) come on demand from readTableSnapshot.
namespace lockstep::pg {

// Transactions open at least this long count as long (they hold locks and the xmin horizon).
constexpr double kLongTransactionSeconds = 30.0;
// A table's heap is always measured; its indexes and TOAST only from this heap size on (below it they
// come from pg_class page counts, see catalog_tables.sql): measuring opens each relation, which on
// thousands of small tables would cost seconds.
constexpr qint64 kMeasureIndexesFromBytes = 8LL * 1024 * 1024;

struct LongTransaction {
    int pid = 0;
    QString user, state, query;
    double ageSeconds = 0;
    QStringList lockedTables;       // "schema.name" of the user tables it holds a granted lock on
};

struct ReplicaInfo {
    QString name;
    QString state;
    qint64 replayLagBytes = 0;
    double replayLagSeconds = 0;
};

struct ServerInfo {
    QString version;                // server_version, e.g. "15.4 (Debian 15.4-1.pgdg120+1)"
    int versionNum = 0;             // e.g. 150004
    QString database;
    QString host;                   // "host:port" or "socket-dir:port", as libpq connected
    QVector<ReplicaInfo> replicas;
    QVector<LongTransaction> longTransactions;   // oldest first
    bool inRecovery = false;
    // Without pg_monitor (pg_read_all_stats) other roles' sessions hide their transaction age: a long
    // transaction among them is unknown, not absent (catalog_hidden_sessions.sql).
    QString role;                   // current_user
    bool seesAllSessions = true;
    int hiddenSessions = 0;
    QStringList hiddenLockedTables; // "schema.name" of the user tables those sessions hold locks on
    // Tables a Lockstep run (any machine) is working on now: "schema.name" -> "lockstep <uid> <operator>
    // <what> (pid N)" (catalog_run_claims.sql).
    QHash<QString, QString> runClaims;
};

struct TableStats {
    quint32 oid = 0;
    QString schema, name;
    char relkind = 'r';             // 'r' or 'p'
    qint64 totalBytes = 0, heapBytes = 0, indexBytes = 0, toastBytes = 0;   // partitioned: sum of leaves
    double rows = 0;                // reltuples; unknown (-1) shows as 0; partitioned: sum of leaves
    double writesPerSecond = 0, readsPerSecond = 0;   // 0 with one sample
    // Of writesPerSecond, the rows this window's own run writes (its backfill): not the application's
    // traffic, so left out of the lock risk and said apart (set by the window, not read from the server).
    double ownWritesPerSecond = 0;
    qint64 deadTuples = 0;
    QDateTime lastAutovacuum, lastAutoanalyze;        // invalid: never
    QString partitionParent;        // "schema.name", empty if not a partition
    QStringList partitionChildren;  // "schema.name" of the direct partitions
    bool hasPrimaryKey = false;
    int columnCount = 0, indexCount = 0;
    QString runClaim;               // a Lockstep run working on it now (ServerInfo::runClaims), else empty
    int risk = 0;                   // 0..100, from scoreLockRisk
    QStringList riskReasons;

    // Added beyond the GUI's contract:
    bool sizesEstimated = false;    // some sizes come from pg_class page counts (a heap under
                                    // kMeasureIndexesFromBytes, or someone held ACCESS EXCLUSIVE on it)
    qint64 writeCounter = 0;        // cumulative rows inserted+updated+deleted at the last sample
    qint64 readCounter = 0;         // cumulative rows read (seq + index fetches) at the last sample
    QString qualifiedName() const { return schema + QLatin1Char('.') + name; }
};

struct CatalogSnapshot {
    ServerInfo server;
    QVector<TableStats> tables;     // ordered by schema, then name
    QDateTime at;                   // when the counters were last sampled (UTC)
    double rateIntervalSeconds = 0; // elapsed time the rates are over; 0: no rates yet
    qint64 counterSampleMs = 0;     // monotonic clock (QElapsedTimer::msecsSinceReference) of that sample
};

// Reads the server and every user table (not system schemas). rateSampleMs > 0: a second sample of the
// counters after that many ms gives the rates (divided by the real elapsed time). Scores the lock risk.
// Holds no transaction open across the wait. Transactions open >= longTransactionSeconds are reported.
// Throws PgException on server errors.
CatalogSnapshot readCatalog(Connection& conn, int rateSampleMs = 1000,
                            double longTransactionSeconds = kLongTransactionSeconds);

// Cheap refresh of rates and server info on an existing snapshot (the GUI calls it every few seconds):
// samples the counters now, sets each table's rates against `previous`'s counters (matched by oid), its
// dead tuples and autovacuum times, re-reads replicas and long transactions and re-scores the risk.
// Sizes and the table list stay as they are. `snapshot` and `previous` may be the same object.
void refreshRates(Connection& conn, CatalogSnapshot& snapshot, const CatalogSnapshot& previous,
                  double longTransactionSeconds = kLongTransactionSeconds);

// Reads version, replicas and long transactions (part of readCatalog and refreshRates).
ServerInfo readServerInfo(Connection& conn, double longTransactionSeconds = kLongTransactionSeconds);

// {"server": {...}, "tables": [{schema, name, total_bytes, rows, risk, risk_reasons, ...}], "at", ...}
QJsonObject toJson(const CatalogSnapshot& snapshot);

} // namespace lockstep::pg
