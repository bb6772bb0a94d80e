// SPDX-License-Identifier: GPL-3.0-or-later
// The plan's disk and WAL estimate (core/plan/disk_estimate.h) against what a real run then writes on a
// real server: the table's growth from the backfill's row versions, the existing indexes' growth, the new
// index's size and the WAL between the first and the last step. The estimate is an upper bound for the
// growth (nothing reused) and must not be far above it on a table with no free space; the WAL within 1.5x.
#include "core/plan/disk_estimate.h"
#include "core/plan/plan_render.h"
#include "tests/pg/test_runner_support.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace lockstep;
using namespace lockstep::test;

namespace {
qint64 number(pg::Connection& c, const QString& sql) { return c.exec(sql).value(0, 0).toLongLong(); }

qint64 indexBytes(pg::Connection& c, const QString& except)
{
    return number(c, QStringLiteral("SELECT coalesce(sum(pg_relation_size(indexrelid)), 0) FROM pg_index i JOIN pg_class c "
                                    "ON c.oid = i.indexrelid WHERE indrelid = 'big'::regclass AND c.relname <> '%1'").arg(except));
}
} // namespace

class TestDiskEstimate : public QObject {
    Q_OBJECT

    // Throws on server trouble (boundsWhatARunWrites reports it).
    void boundsBody()
    {
        const QString db = freshDatabase(QStringLiteral("disk"));
        auto conn = lockstep::test::connect(db);
        conn->execScript(QStringLiteral("CREATE TABLE big (id bigint PRIMARY KEY, qty integer NOT NULL, note text NOT NULL);"
                                        "INSERT INTO big SELECT g, g % 97, repeat('n', 20) FROM generate_series(1, 100000) g;"
                                        "CREATE INDEX big_qty ON big (qty);"));
        conn->exec(QStringLiteral("VACUUM ANALYZE big"));
        NewColumnChange change = twiceChange();
        change.backfill = QStringLiteral("id * 2");   // distinct values: the new index is not deduplicated
        change.index = true;
        const Plan plan = planFor(db, change);
        QVERIFY(plan.disk.known);
        const QString text = renderText(plan);
        QVERIFY2(text.contains(QStringLiteral("Disk: table up to +")) && text.contains(QStringLiteral("a rollback gives none of it back")),
                 qPrintable(text));
        // The plan's JSON carries it (what plan --format json prints) and reads back.
        const DiskEstimate back = Plan::fromJson(plan.toJson()).disk;
        QCOMPARE(back.walBytes, plan.disk.walBytes);
        QCOMPARE(back.tableGrowthBytes, plan.disk.tableGrowthBytes);

        const QString newIndex = plan.steps[stepIndexOf(plan, QStringLiteral("index"))].sql.section(QLatin1String("EXISTS "), 1).section(QLatin1Char(' '), 0, 0);
        const qint64 heapBefore = number(*conn, QStringLiteral("SELECT pg_relation_size('big')"));
        const qint64 indexesBefore = indexBytes(*conn, newIndex);
        const QString lsn = conn->exec(QStringLiteral("SELECT pg_current_wal_lsn()")).value(0, 0);
        QTemporaryDir dir;
        store::Journal journal(dir.filePath(QStringLiteral("j.sqlite")));
        const qint64 runId = run::createRun(journal, plan, db, Phase::Constrain);
        QCOMPARE(startRun(db, journal.path(), runId).outcome, QStringLiteral("done"));
        const qint64 wal = number(*conn, QStringLiteral("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '%1')").arg(lsn));
        const qint64 heapGrowth = number(*conn, QStringLiteral("SELECT pg_relation_size('big')")) - heapBefore;
        const qint64 indexGrowth = indexBytes(*conn, newIndex) - indexesBefore;
        const qint64 built = number(*conn, QStringLiteral("SELECT pg_relation_size(to_regclass('%1'))").arg(newIndex));
        qInfo("estimate vs measured: table %lld / %lld, indexes %lld / %lld, new index %lld / %lld, WAL %lld / %lld",
              plan.disk.tableGrowthBytes, heapGrowth, plan.disk.indexGrowthBytes, indexGrowth, plan.disk.newIndexBytes, built,
              plan.disk.walBytes, wal);
        // Upper bounds that hold, and not far above on a table without free space.
        QVERIFY(heapGrowth > 0 && heapGrowth <= plan.disk.tableGrowthBytes * 1.1);
        QVERIFY(plan.disk.tableGrowthBytes <= heapGrowth * 2.0);
        QVERIFY(indexGrowth > 0 && indexGrowth <= plan.disk.indexGrowthBytes * 1.25 && plan.disk.indexGrowthBytes <= indexGrowth * 2.0);
        QVERIFY(built > 0 && built <= plan.disk.newIndexBytes * 1.25 && plan.disk.newIndexBytes <= built * 1.5);
        QVERIFY2(wal <= plan.disk.walBytes * 1.5 && plan.disk.walBytes <= wal * 1.5, "WAL within 1.5x");
    }

private slots:
    void initTestCase() { sharedCluster(); }

    void valueWidths()
    {
        bool variable = true;
        QCOMPARE(valueBytes(QStringLiteral("bigint"), &variable), 8);
        QVERIFY(!variable);
        QCOMPARE(valueBytes(QStringLiteral("timestamp(3) with time zone")), 8);
        QCOMPARE(valueBytes(QStringLiteral("integer")), 4);
        QCOMPARE(valueBytes(QStringLiteral("text"), &variable), 16);
        QVERIFY(variable);
    }

    void boundsWhatARunWrites()
    {
        try {
            boundsBody();
        } catch (const std::exception& e) {
            QFAIL(e.what());
        }
    }

};

QTEST_MAIN(TestDiskEstimate)
#include "test_disk_estimate.moc"
