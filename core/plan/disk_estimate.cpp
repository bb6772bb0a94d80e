// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/plan/disk_estimate.h"

#include "core/plan/lock_risk.h"

#include <QHash>
#include <QRegularExpression>
#include <cmath>

namespace lockstep {

namespace {
constexpr int kHeapRecordOverhead = 70;    // WAL record header, heap update header, block references
constexpr int kIndexRecordOverhead = 60;
constexpr int kIndexTupleHeader = 8;       // IndexTupleData
constexpr int kLinePointer = 4;
constexpr double kLeafFill = 0.90;         // B-tree leaf fillfactor of a fresh build
constexpr double kSplitFill = 0.70;        // leaves split by entries inserted beside existing ones
constexpr int kBlockSize = 8192;

qint64 align8(qint64 n) { return (n + 7) / 8 * 8; }

qint64 indexEntryBytes(int keyBytes) { return align8(kIndexTupleHeader + keyBytes) + kLinePointer; }
} // namespace

int valueBytes(const QString& type, bool* variable)
{
    static const QHash<QString, int> fixed{
        {QStringLiteral("boolean"), 1}, {QStringLiteral("smallint"), 2}, {QStringLiteral("integer"), 4},
        {QStringLiteral("real"), 4}, {QStringLiteral("date"), 4}, {QStringLiteral("oid"), 4},
        {QStringLiteral("bigint"), 8}, {QStringLiteral("double precision"), 8}, {QStringLiteral("money"), 8},
        {QStringLiteral("timestamp without time zone"), 8}, {QStringLiteral("timestamp with time zone"), 8},
        {QStringLiteral("time without time zone"), 8}, {QStringLiteral("time with time zone"), 12},
        {QStringLiteral("interval"), 16}, {QStringLiteral("uuid"), 16}, {QStringLiteral("macaddr"), 6},
    };
    // Parameters do not change the width of these: timestamp(3), time(0) with time zone.
    static const QRegularExpression parameters(QStringLiteral("\\([^)]*\\)"));
    const QString base = QString(type).remove(parameters).simplified();
    const auto it = fixed.constFind(base);
    if (variable)
        *variable = it == fixed.constEnd();
    return it == fixed.constEnd() ? 16 : *it;
}

DiskEstimate estimateDisk(const TableSnapshot& table, const ResolvedChange& change, bool backfills)
{
    DiskEstimate e;
    const double rows = qMax(0.0, table.rowEstimate);
    const bool builds = change.change.index || change.change.unique;
    if (rows < 1 || (!backfills && !builds))
        return e;
    e.known = true;
    bool variable = false;
    const int value = valueBytes(change.type, &variable);
    qint64 indexBytes = 0;
    for (const IndexInfo& i : table.indexes)
        indexBytes += i.bytes;
    if (indexBytes == 0 && table.totalBytes > table.heapBytes)
        indexBytes = table.totalBytes - table.heapBytes;   // partitioned: the partitions' indexes (and TOAST)
    const double rowBytes = table.heapBytes / rows;        // what a row takes now, its share of the pages included
    QStringList basis;
    basis << QStringLiteral("default model: %1 rows of ~%2 bytes, the new value %3 bytes%4")
                 .arg(groupedCount(qint64(rows))).arg(qint64(std::lround(rowBytes))).arg(value)
                 .arg(variable ? QStringLiteral(" (variable-length: assumed)") : QString());
    if (backfills) {
        const qint64 newVersion = align8(qint64(std::lround(rowBytes)) + value);
        e.tableGrowthBytes = qint64(rows) * newVersion;
        // Each index gets an entry per new version, inserted beside the old one: pages split, ~70 % full.
        for (const IndexInfo& i : table.indexes)
            e.indexGrowthBytes += qMax(i.bytes, qint64(rows * indexEntryBytes(8) / kSplitFill));
        if (table.indexes.isEmpty())
            e.indexGrowthBytes = indexBytes;
        e.deadBytesAfter = table.heapBytes + indexBytes;
        e.walBytes += qint64(rows) * (newVersion + kHeapRecordOverhead);
        e.walBytes += qint64(rows) * qint64(table.indexes.size()) * (16 + kIndexRecordOverhead);
        if (table.fullPageWrites) {
            e.walBytes += table.heapBytes + indexBytes;   // one image of every old page
            basis << QStringLiteral("full_page_writes on: one image of every old page per checkpoint cycle");
        }
    }
    if (builds) {
        const double leafPages = std::ceil(rows * indexEntryBytes(value) / (kBlockSize * kLeafFill));
        e.newIndexBytes = qint64(leafPages * 1.01 + 2) * kBlockSize;   // ~1 % inner pages, the metapage and root
        e.walBytes += e.newIndexBytes;
    }
    e.basis = basis.join(QStringLiteral("; "));
    return e;
}

QString DiskEstimate::summary() const
{
    if (!known)
        return {};
    QStringList parts;
    if (tableGrowthBytes > 0)
        parts << QStringLiteral("table up to +%1").arg(humanBytes(tableGrowthBytes));
    if (indexGrowthBytes > 0)
        parts << QStringLiteral("indexes up to +%1").arg(humanBytes(indexGrowthBytes));
    if (newIndexBytes > 0)
        parts << QStringLiteral("new index %1").arg(humanBytes(newIndexBytes));
    return QStringLiteral("%1; WAL about %2").arg(parts.join(QStringLiteral(", ")), humanBytes(walBytes));
}

QString DiskEstimate::rollbackNote() const
{
    if (!known || deadBytesAfter <= 0)
        return newIndexBytes > 0 ? QStringLiteral("a rollback drops the new index and gives its space back") : QString();
    return QStringLiteral("a rollback gives none of it back at once: dropping the column only marks it dropped; about %1 of "
                          "dead row versions stay until VACUUM makes them reusable, and only a rewrite (VACUUM FULL, "
                          "pg_repack) shrinks the files").arg(humanBytes(deadBytesAfter));
}

QJsonObject DiskEstimate::toJson() const
{
    return QJsonObject{{QStringLiteral("table_growth_bytes"), double(tableGrowthBytes)},
                       {QStringLiteral("index_growth_bytes"), double(indexGrowthBytes)},
                       {QStringLiteral("new_index_bytes"), double(newIndexBytes)},
                       {QStringLiteral("wal_bytes"), double(walBytes)},
                       {QStringLiteral("dead_bytes_after"), double(deadBytesAfter)},
                       {QStringLiteral("basis"), basis}};
}

DiskEstimate DiskEstimate::fromJson(const QJsonObject& json)
{
    DiskEstimate e;
    if (json.isEmpty())
        return e;
    e.known = true;
    e.tableGrowthBytes = qint64(json.value(QStringLiteral("table_growth_bytes")).toDouble());
    e.indexGrowthBytes = qint64(json.value(QStringLiteral("index_growth_bytes")).toDouble());
    e.newIndexBytes = qint64(json.value(QStringLiteral("new_index_bytes")).toDouble());
    e.walBytes = qint64(json.value(QStringLiteral("wal_bytes")).toDouble());
    e.deadBytesAfter = qint64(json.value(QStringLiteral("dead_bytes_after")).toDouble());
    e.basis = json.value(QStringLiteral("basis")).toString();
    return e;
}

} // namespace lockstep
