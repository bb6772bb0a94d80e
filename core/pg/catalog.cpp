// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/pg/catalog.h"

#include "core/plan/lock_risk.h"

#include <QElapsedTimer>
#include <QHash>
#include <QThread>

#include <functional>

namespace lockstep::pg {

namespace {

// Cumulative counters of one table at one moment (pg_stat_user_tables).
struct Counters {
    qint64 writes = 0;
    qint64 reads = 0;
    qint64 deadTuples = 0;
    QDateTime lastAutovacuum;
    QDateTime lastAutoanalyze;
};

struct CounterSample {
    QHash<quint32, Counters> byOid;
    qint64 monotonicMs = 0;         // midpoint of the query on QElapsedTimer's clock
    QDateTime at;
};

// A size query waits at most this long for a lock it did not foresee (see catalog_tables.sql).
// Monotonic milliseconds (every QElapsedTimer shares the same reference clock).
qint64 monotonicMs()
{
    QElapsedTimer timer;
    timer.start();
    return timer.msecsSinceReference();
}

// JIT off: the planner's row estimates for this query are far off, and compiling it would cost more
// (~0.9 s) than running it.
const char* const kSizeSettings = "SET LOCAL lock_timeout = '2s'; SET LOCAL jit = off";
constexpr int kSizeAttempts = 3;

bool flag(const Result& r, int row, const char* column) { return r.value(row, column) == QLatin1String("t"); }

QDateTime epochOrInvalid(const Result& r, int row, const char* column)
{
    if (r.isNull(row, column))
        return {};
    return QDateTime::fromMSecsSinceEpoch(qint64(r.value(row, column).toDouble() * 1000.0), Qt::UTC);
}

CounterSample sampleCounters(Connection& conn)
{
    static const QString sql = sqlResource(QStringLiteral("catalog_stats"));
    // Within one transaction the statistics are cached (stats_fetch_consistency): drop that cache so a
    // caller's open transaction still sees fresh counters.
    conn.exec(QStringLiteral("SELECT pg_stat_clear_snapshot()"));
    CounterSample sample;
    const qint64 before = monotonicMs();
    const Result r = conn.exec(sql);
    sample.monotonicMs = (before + monotonicMs()) / 2;
    sample.at = QDateTime::currentDateTimeUtc();
    sample.byOid.reserve(r.rows());
    for (int i = 0; i < r.rows(); ++i) {
        Counters c;
        c.writes = r.value(i, "writes").toLongLong();
        c.reads = r.value(i, "reads").toLongLong();
        c.deadTuples = r.value(i, "dead_tuples").toLongLong();
        c.lastAutovacuum = epochOrInvalid(r, i, "last_autovacuum");
        c.lastAutoanalyze = epochOrInvalid(r, i, "last_autoanalyze");
        sample.byOid.insert(r.value(i, "oid").toUInt(), c);
    }
    return sample;
}

// The size functions take ACCESS SHARE on each table; the query skips tables held in ACCESS EXCLUSIVE,
// and a short lock_timeout (retried) covers one that gets locked while the query runs.
Result readTableRows(Connection& conn)
{
    static const QString sql = sqlResource(QStringLiteral("catalog_tables"));
    const QVariantList params{kMeasureIndexesFromBytes};
    if (conn.inTransaction())
        return conn.exec(sql, params);
    for (int attempt = 1;; ++attempt) {
        conn.exec(QStringLiteral("BEGIN"));
        try {
            conn.execScript(QString::fromLatin1(kSizeSettings));
            Result r = conn.exec(sql, params);
            conn.exec(QStringLiteral("COMMIT"));
            return r;
        } catch (const PgException& e) {
            if (conn.isOk() && conn.inTransaction()) {
                try {
                    conn.exec(QStringLiteral("ROLLBACK"));
                } catch (const PgException&) {
                }
            }
            if (e.error().sqlstate != QLatin1String("55P03") || attempt >= kSizeAttempts)
                throw;
        }
    }
}

QVector<TableStats> readTables(Connection& conn)
{
    const Result r = readTableRows(conn);
    QVector<TableStats> tables;
    tables.reserve(r.rows());
    for (int i = 0; i < r.rows(); ++i) {
        TableStats t;
        t.oid = r.value(i, "oid").toUInt();
        t.schema = r.value(i, "schema");
        t.name = r.value(i, "name");
        const QString kind = r.value(i, "relkind");
        t.relkind = kind.isEmpty() ? 'r' : kind.at(0).toLatin1();
        t.rows = qMax(0.0, r.value(i, "reltuples").toDouble());
        t.heapBytes = r.value(i, "heap_bytes").toLongLong();
        t.indexBytes = r.value(i, "index_bytes").toLongLong();
        t.toastBytes = r.value(i, "toast_bytes").toLongLong();
        t.totalBytes = r.value(i, "total_bytes").toLongLong();
        if (t.totalBytes < 0)   // not measured: the parts (free space and visibility maps left out)
            t.totalBytes = t.heapBytes + t.indexBytes + t.toastBytes;
        t.sizesEstimated = flag(r, i, "sizes_estimated");
        t.columnCount = r.value(i, "column_count").toInt();
        t.indexCount = r.value(i, "index_count").toInt();
        t.hasPrimaryKey = flag(r, i, "has_primary_key");
        t.partitionParent = r.value(i, "partition_parent");
        tables.append(t);
    }
    return tables;
}

// Rates of every table from two samples over the real elapsed time; counters from the newer one.
void applyCounters(QVector<TableStats>& tables, const CounterSample& now, const QHash<quint32, qint64>* oldWrites,
                   const QHash<quint32, qint64>* oldReads, double seconds)
{
    for (TableStats& t : tables) {
        const auto it = now.byOid.constFind(t.oid);
        const Counters c = it == now.byOid.constEnd() ? Counters{} : *it;
        t.writesPerSecond = 0;
        t.readsPerSecond = 0;
        if (oldWrites && seconds > 0) {
            // A counter that went down was reset (pg_stat_reset): no rate rather than a negative one.
            if (oldWrites->contains(t.oid))
                t.writesPerSecond = qMax<qint64>(0, c.writes - oldWrites->value(t.oid)) / seconds;
            if (oldReads->contains(t.oid))
                t.readsPerSecond = qMax<qint64>(0, c.reads - oldReads->value(t.oid)) / seconds;
        }
        t.writeCounter = c.writes;
        t.readCounter = c.reads;
        t.deadTuples = c.deadTuples;
        t.lastAutovacuum = c.lastAutovacuum;
        t.lastAutoanalyze = c.lastAutoanalyze;
    }
}

// A partitioned table holds no rows itself: its traffic (and, with withSizes, its sizes and rows) is the
// sum over its partitions, nested ones included. Also fills partitionChildren.
void aggregatePartitions(QVector<TableStats>& tables, bool withSizes)
{
    QHash<QString, int> byName;
    byName.reserve(tables.size());
    for (int i = 0; i < tables.size(); ++i)
        byName.insert(tables[i].qualifiedName(), i);
    QVector<QVector<int>> children(tables.size());
    bool any = false;
    for (int i = 0; i < tables.size(); ++i) {
        tables[i].partitionChildren.clear();
        if (tables[i].partitionParent.isEmpty())
            continue;
        const int parent = byName.value(tables[i].partitionParent, -1);
        if (parent < 0)
            continue;
        children[parent].append(i);
        tables[parent].partitionChildren.append(tables[i].qualifiedName());
        any = true;
    }
    if (!any)
        return;
    QVector<bool> done(tables.size(), false);
    std::function<void(int)> sum = [&](int i) {
        if (done[i])
            return;
        done[i] = true;
        TableStats& t = tables[i];
        if (t.relkind != 'p')
            return;
        if (withSizes) {
            t.totalBytes = t.heapBytes = t.indexBytes = t.toastBytes = 0;
            t.rows = 0;
        }
        t.writesPerSecond = t.readsPerSecond = 0;
        t.writeCounter = t.readCounter = t.deadTuples = 0;
        for (int c : children[i]) {
            sum(c);
            const TableStats& child = tables[c];
            if (withSizes) {
                t.totalBytes += child.totalBytes;
                t.heapBytes += child.heapBytes;
                t.indexBytes += child.indexBytes;
                t.toastBytes += child.toastBytes;
                t.rows += child.rows;
                t.sizesEstimated = t.sizesEstimated || child.sizesEstimated;
            }
            t.writesPerSecond += child.writesPerSecond;
            t.readsPerSecond += child.readsPerSecond;
            t.writeCounter += child.writeCounter;
            t.readCounter += child.readCounter;
            t.deadTuples += child.deadTuples;
        }
    };
    for (int i = 0; i < tables.size(); ++i)
        sum(i);
}

void scoreAll(CatalogSnapshot& snapshot)
{
    for (TableStats& t : snapshot.tables) {
        const LockRisk risk = scoreLockRisk(t, snapshot.server);
        t.runClaim = snapshot.server.runClaims.value(t.qualifiedName());
        t.risk = risk.score;
        t.riskReasons = risk.reasons;
    }
}

} // namespace

CatalogSnapshot readCatalog(Connection& conn, int rateSampleMs, double longTransactionSeconds)
{
    CatalogSnapshot snapshot;
    // The first counter sample comes first so that reading sizes and the server overlaps the rate wait.
    const CounterSample first = sampleCounters(conn);
    snapshot.tables = readTables(conn);
    snapshot.server = readServerInfo(conn, longTransactionSeconds);
    CounterSample last = first;
    if (rateSampleMs > 0) {
        const qint64 waited = monotonicMs() - first.monotonicMs;
        if (waited < rateSampleMs)
            QThread::msleep(static_cast<unsigned long>(rateSampleMs - waited));
        last = sampleCounters(conn);
        QHash<quint32, qint64> writes, reads;
        writes.reserve(first.byOid.size());
        reads.reserve(first.byOid.size());
        for (auto it = first.byOid.constBegin(); it != first.byOid.constEnd(); ++it) {
            writes.insert(it.key(), it->writes);
            reads.insert(it.key(), it->reads);
        }
        snapshot.rateIntervalSeconds = (last.monotonicMs - first.monotonicMs) / 1000.0;
        applyCounters(snapshot.tables, last, &writes, &reads, snapshot.rateIntervalSeconds);
    } else {
        applyCounters(snapshot.tables, last, nullptr, nullptr, 0);
    }
    snapshot.at = last.at;
    snapshot.counterSampleMs = last.monotonicMs;
    aggregatePartitions(snapshot.tables, true);
    scoreAll(snapshot);
    return snapshot;
}

void refreshRates(Connection& conn, CatalogSnapshot& snapshot, const CatalogSnapshot& previous,
                  double longTransactionSeconds)
{
    QHash<quint32, qint64> writes, reads;
    writes.reserve(previous.tables.size());
    reads.reserve(previous.tables.size());
    for (const TableStats& t : previous.tables) {
        if (t.relkind == 'p')
            continue;   // aggregated, not a counter of its own
        writes.insert(t.oid, t.writeCounter);
        reads.insert(t.oid, t.readCounter);
    }
    const qint64 previousMs = previous.counterSampleMs;
    const CounterSample now = sampleCounters(conn);
    ServerInfo server = readServerInfo(conn, longTransactionSeconds);
    const double seconds = previousMs > 0 ? (now.monotonicMs - previousMs) / 1000.0 : 0.0;
    applyCounters(snapshot.tables, now, &writes, &reads, seconds);
    aggregatePartitions(snapshot.tables, false);
    snapshot.server = std::move(server);
    snapshot.at = now.at;
    snapshot.counterSampleMs = now.monotonicMs;
    snapshot.rateIntervalSeconds = seconds;
    scoreAll(snapshot);
}

} // namespace lockstep::pg
