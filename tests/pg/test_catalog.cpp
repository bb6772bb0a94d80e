// SPDX-License-Identifier: GPL-3.0-or-later
// readCatalog on a real server with a streaming replica: sizes and rows of known tables, partitions,
// a table without a primary key, write rates measured while another session writes, a long transaction
// holding a lock, a table held in ACCESS EXCLUSIVE mode (read without waiting), system schemas left out,
// and 1,000 tables counted exactly.
#include "core/pg/catalog.h"
#include "tests/support/pg_fixture.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QtTest>

#include <atomic>
#include <thread>

using namespace lockstep;
using namespace lockstep::test;

namespace {
const char* kSchemaSql = R"SQL(
CREATE TABLE big (id bigint PRIMARY KEY, pad text NOT NULL);
INSERT INTO big SELECT g, repeat('x', 80) FROM generate_series(1, 100000) g;
CREATE TABLE small (id integer PRIMARY KEY, name text, qty integer, at timestamptz);
INSERT INTO small SELECT g, 'n' || g, g, now() FROM generate_series(1, 100) g;
CREATE TABLE keyless (a integer, b text);
INSERT INTO keyless SELECT g, 'b' || g FROM generate_series(1, 50) g;
CREATE TABLE written (id serial PRIMARY KEY, v integer);
CREATE TABLE quiet (id serial PRIMARY KEY, v integer);
CREATE TABLE locked_t (id integer PRIMARY KEY);
CREATE TABLE twin_t (id integer PRIMARY KEY);
CREATE TABLE held_t (id integer PRIMARY KEY);
CREATE SCHEMA sales;
CREATE TABLE sales.events (id bigint NOT NULL, at date NOT NULL, v integer, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE sales.events_2025 PARTITION OF sales.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE sales.events_2026 PARTITION OF sales.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
INSERT INTO sales.events SELECT g, '2025-06-01'::date + (g % 400), g FROM generate_series(1, 3000) g;
ANALYZE;
)SQL";

const pg::TableStats* find(const pg::CatalogSnapshot& s, const QString& schema, const QString& name)
{
    for (const pg::TableStats& t : s.tables)
        if (t.schema == schema && t.name == name)
            return &t;
    return nullptr;
}

qint64 scalar(pg::Connection& c, const QString& sql) { return c.exec(sql).value(0, 0).toLongLong(); }
} // namespace

class TestCatalog : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        LocalClusterOptions options;
        options.withReplica = true;
        sharedClusterWith(options).start();
        m_db = freshDatabase(QStringLiteral("catalog"));
        m_conn = test::connect(m_db);
        m_conn->execScript(QString::fromUtf8(kSchemaSql));
    }

    void sizesAndRowsOfKnownTables()
    {
        const pg::CatalogSnapshot s = pg::readCatalog(*m_conn, 0);
        const pg::TableStats* big = find(s, QStringLiteral("public"), QStringLiteral("big"));
        QVERIFY(big);
        QCOMPARE(big->relkind, 'r');
        // Over the measuring threshold: every figure is the server's own.
        QVERIFY(big->heapBytes >= pg::kMeasureIndexesFromBytes);
        QVERIFY(!big->sizesEstimated);
        QCOMPARE(big->heapBytes, scalar(*m_conn, QStringLiteral("SELECT pg_relation_size('big')")));
        QCOMPARE(big->indexBytes, scalar(*m_conn, QStringLiteral("SELECT pg_indexes_size('big')")));
        QCOMPARE(big->totalBytes, scalar(*m_conn, QStringLiteral("SELECT pg_total_relation_size('big')")));
        QVERIFY2(qAbs(big->rows - 100000) < 5000, qPrintable(QString::number(big->rows)));
        QVERIFY(big->hasPrimaryKey);
        QCOMPARE(big->columnCount, 2);
        QCOMPARE(big->indexCount, 1);

        const pg::TableStats* small = find(s, QStringLiteral("public"), QStringLiteral("small"));
        QVERIFY(small);
        QCOMPARE(small->heapBytes, scalar(*m_conn, QStringLiteral("SELECT pg_relation_size('small')")));
        QVERIFY(small->totalBytes >= small->heapBytes + small->indexBytes);
        QVERIFY(small->indexBytes > 0);   // the primary key's pages, from pg_class after ANALYZE
        QCOMPARE(small->rows, 100.0);
        QCOMPARE(small->columnCount, 4);
        QCOMPARE(small->risk, 0);
        QVERIFY(small->riskReasons.isEmpty());
        QVERIFY(s.at.isValid());
        QCOMPARE(s.rateIntervalSeconds, 0.0);
        QCOMPARE(small->writesPerSecond, 0.0);
    }

    void partitionedTableSumsItsPartitions()
    {
        const pg::CatalogSnapshot s = pg::readCatalog(*m_conn, 0);
        const pg::TableStats* parent = find(s, QStringLiteral("sales"), QStringLiteral("events"));
        const pg::TableStats* a = find(s, QStringLiteral("sales"), QStringLiteral("events_2025"));
        const pg::TableStats* b = find(s, QStringLiteral("sales"), QStringLiteral("events_2026"));
        QVERIFY(parent && a && b);
        QCOMPARE(parent->relkind, 'p');
        QCOMPARE(parent->partitionChildren,
                 (QStringList{QStringLiteral("sales.events_2025"), QStringLiteral("sales.events_2026")}));
        QCOMPARE(a->partitionParent, QStringLiteral("sales.events"));
        QVERIFY(parent->partitionParent.isEmpty());
        QCOMPARE(parent->rows, a->rows + b->rows);
        QCOMPARE(parent->rows, 3000.0);
        QCOMPARE(parent->totalBytes, a->totalBytes + b->totalBytes);
        QVERIFY(parent->totalBytes > 0);
        QVERIFY(parent->hasPrimaryKey);
    }

    void tableWithoutPrimaryKey()
    {
        const pg::CatalogSnapshot s = pg::readCatalog(*m_conn, 0);
        const pg::TableStats* t = find(s, QStringLiteral("public"), QStringLiteral("keyless"));
        QVERIFY(t);
        QVERIFY(!t->hasPrimaryKey);
        QCOMPARE(t->indexCount, 0);
        QVERIFY(t->risk > 0);
        QVERIFY(t->riskReasons.join(QLatin1Char('\n')).contains(QLatin1String("no primary key")));
    }

    void systemSchemasAreLeftOut()
    {
        m_conn->exec(QStringLiteral("CREATE TEMP TABLE scratch (id integer)"));
        const pg::CatalogSnapshot s = pg::readCatalog(*m_conn, 0);
        for (const pg::TableStats& t : s.tables) {
            QVERIFY2(!t.schema.startsWith(QLatin1String("pg_")) && t.schema != QLatin1String("information_schema"),
                     qPrintable(t.qualifiedName()));
        }
        const qint64 expected = scalar(*m_conn, QStringLiteral(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p') AND n.nspname IN ('public', 'sales')"));
        QCOMPARE(qint64(s.tables.size()), expected);
        m_conn->exec(QStringLiteral("DROP TABLE scratch"));
    }

    void writesDuringTheSampleGiveARate()
    {
        std::atomic<bool> stop{false};
        std::atomic<int> inserted{0};
        std::thread writer([&] {
            auto c = pg::Connection::open(m_db);
            while (!stop) {
                c->exec(QStringLiteral("INSERT INTO written (v) SELECT g FROM generate_series(1, 20) g"));
                inserted += 20;
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
        });
        QThread::msleep(1200);
        QElapsedTimer timer;
        timer.start();
        pg::CatalogSnapshot s;
        try {
            s = pg::readCatalog(*m_conn, 2500);
        } catch (...) {
            stop = true;
            writer.join();
            throw;
        }
        const double elapsed = timer.nsecsElapsed() / 1e9;
        // Keep writing until the refresh below has its second sample.
        const pg::CatalogSnapshot first = s;
        QThread::msleep(2500);
        pg::CatalogSnapshot next = s;
        pg::refreshRates(*m_conn, next, first);
        stop = true;
        writer.join();

        QVERIFY2(elapsed >= 2.5, qPrintable(QString::number(elapsed)));
        QVERIFY(s.rateIntervalSeconds >= 2.4 && s.rateIntervalSeconds <= elapsed + 0.1);
        const pg::TableStats* written = find(s, QStringLiteral("public"), QStringLiteral("written"));
        const pg::TableStats* quiet = find(s, QStringLiteral("public"), QStringLiteral("quiet"));
        QVERIFY(written && quiet);
        qInfo("written: %.0f writes/s (%d rows inserted in all)", written->writesPerSecond, int(inserted));
        QVERIFY(written->writesPerSecond > 50);
        QCOMPARE(quiet->writesPerSecond, 0.0);
        QVERIFY(written->writeCounter > 0);

        QVERIFY(next.rateIntervalSeconds >= 2.4);
        const pg::TableStats* refreshed = find(next, QStringLiteral("public"), QStringLiteral("written"));
        QVERIFY(refreshed->writesPerSecond > 50);
        QVERIFY(refreshed->writeCounter > written->writeCounter);
        QCOMPARE(find(next, QStringLiteral("public"), QStringLiteral("quiet"))->writesPerSecond, 0.0);
    }

    void longTransactionHoldingALockRaisesThatTablesRisk()
    {
        auto other = test::connect(m_db);
        other->exec(QStringLiteral("BEGIN"));
        other->exec(QStringLiteral("SELECT count(*) FROM locked_t"));
        QThread::msleep(1300);
        const pg::CatalogSnapshot s = pg::readCatalog(*m_conn, 0, 1.0);
        other->exec(QStringLiteral("ROLLBACK"));

        const pg::LongTransaction* found = nullptr;
        for (const pg::LongTransaction& t : s.server.longTransactions)
            if (t.pid == other->backendPid())
                found = &t;
        QVERIFY(found);
        QCOMPARE(found->lockedTables, QStringList{QStringLiteral("public.locked_t")});
        QCOMPARE(found->state, QStringLiteral("idle in transaction"));
        QVERIFY(found->ageSeconds >= 1.0);
        QVERIFY(found->query.contains(QLatin1String("locked_t")));
        for (const pg::LongTransaction& t : s.server.longTransactions)
            QVERIFY(t.pid != m_conn->backendPid());

        const pg::TableStats* locked = find(s, QStringLiteral("public"), QStringLiteral("locked_t"));
        const pg::TableStats* twin = find(s, QStringLiteral("public"), QStringLiteral("twin_t"));
        QVERIFY(locked && twin);
        QVERIFY2(locked->risk > twin->risk, qPrintable(QStringLiteral("%1 vs %2").arg(locked->risk).arg(twin->risk)));
        QVERIFY(locked->riskReasons.join(QLatin1Char('\n')).contains(QLatin1String("holds a lock on it")));
        QVERIFY(twin->riskReasons.join(QLatin1Char('\n')).contains(QLatin1String("elsewhere")));

        // With the default threshold (30 s) a fresh transaction is not long.
        QVERIFY(pg::readCatalog(*m_conn, 0).server.longTransactions.isEmpty());
    }

    void tableHeldInAccessExclusiveModeIsReadWithoutWaiting()
    {
        auto other = test::connect(m_db);
        other->exec(QStringLiteral("BEGIN"));
        other->exec(QStringLiteral("LOCK TABLE held_t IN ACCESS EXCLUSIVE MODE"));
        QElapsedTimer timer;
        timer.start();
        pg::CatalogSnapshot s;
        try {
            s = pg::readCatalog(*m_conn, 0);
        } catch (...) {
            other->exec(QStringLiteral("ROLLBACK"));
            throw;
        }
        const qint64 ms = timer.elapsed();
        other->exec(QStringLiteral("ROLLBACK"));
        QVERIFY2(ms < 1500, qPrintable(QString::number(ms)));
        const pg::TableStats* held = find(s, QStringLiteral("public"), QStringLiteral("held_t"));
        QVERIFY(held);
        QVERIFY(held->sizesEstimated);
        QVERIFY(!find(s, QStringLiteral("public"), QStringLiteral("big"))->sizesEstimated);
    }

    void replicaIsListed()
    {
        const pg::CatalogSnapshot s = pg::readCatalog(*m_conn, 0);
        QCOMPARE(s.server.replicas.size(), 1);
        QCOMPARE(s.server.replicas.first().state, QStringLiteral("streaming"));
        QVERIFY(s.server.replicas.first().replayLagSeconds >= 0);
        QVERIFY(!s.server.inRecovery);
        QVERIFY(s.server.versionNum >= 150000);
        QVERIFY(s.server.version.startsWith(QLatin1String("15")));
        QVERIFY(s.server.database.startsWith(QLatin1String("catalog")));
        QVERIFY(!s.server.host.isEmpty());
    }

    void standbyReadsToo()
    {
        const QString dbname = pg::readCatalog(*m_conn, 0).server.database;
        auto standby = test::connect(sharedCluster().replicaConninfo(dbname));
        // The replica replays the schema asynchronously: wait (bounded) for the last table to arrive.
        for (int i = 0; i < 100 && standby->exec(QStringLiteral("SELECT to_regclass('held_t')")).isNull(0, 0); ++i)
            QThread::msleep(100);
        const pg::CatalogSnapshot s = pg::readCatalog(*standby, 200);
        QVERIFY(s.server.inRecovery);
        QVERIFY(s.server.replicas.isEmpty());
        QVERIFY(find(s, QStringLiteral("public"), QStringLiteral("big")));
        QVERIFY(find(s, QStringLiteral("sales"), QStringLiteral("events")));
    }

    void jsonHasTheContractKeys()
    {
        const QJsonObject json = pg::toJson(pg::readCatalog(*m_conn, 0));
        QVERIFY(json.value(QStringLiteral("server")).isObject());
        QVERIFY(json.value(QStringLiteral("server")).toObject().value(QStringLiteral("replicas")).isArray());
        const QJsonArray tables = json.value(QStringLiteral("tables")).toArray();
        QVERIFY(!tables.isEmpty());
        for (const char* key : {"schema", "name", "total_bytes", "rows", "risk", "risk_reasons"})
            QVERIFY2(tables.first().toObject().contains(QLatin1String(key)), key);
    }

    void thousandTablesLoadAndCountsMatch()
    {
        const QString db = freshDatabase(QStringLiteral("catalog_many"));
        auto c = test::connect(db);
        for (int from = 1; from <= 1000; from += 500)
            c->exec(QStringLiteral("DO $$ BEGIN FOR i IN %1..%2 LOOP "
                                   "EXECUTE format('CREATE TABLE t%s (id integer PRIMARY KEY, note text)', i); "
                                   "END LOOP; END $$").arg(from).arg(from + 499));
        c->exec(QStringLiteral("INSERT INTO t7 SELECT g, 'x' FROM generate_series(1, 10) g"));
        c->exec(QStringLiteral("ANALYZE t7"));
        QElapsedTimer timer;
        timer.start();
        const pg::CatalogSnapshot s = pg::readCatalog(*c, 0);
        qInfo("1,000 tables in %lld ms", timer.elapsed());
        QCOMPARE(s.tables.size(), 1000);
        int withKey = 0;
        for (const pg::TableStats& t : s.tables)
            withKey += t.hasPrimaryKey && t.columnCount == 2 && t.indexCount == 1;
        QCOMPARE(withKey, 1000);
        QCOMPARE(find(s, QStringLiteral("public"), QStringLiteral("t7"))->rows, 10.0);
    }

private:
    QString m_db;
    std::unique_ptr<pg::Connection> m_conn;
};

QTEST_GUILESS_MAIN(TestCatalog)
#include "test_catalog.moc"
