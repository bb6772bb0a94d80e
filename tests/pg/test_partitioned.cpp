// SPDX-License-Identifier: GPL-3.0-or-later
// Partitioned tables end to end: range, list with a default partition, and sub-partitions, changed by a
// NOT NULL + backfill + index plan (the index ON ONLY the parent, then CONCURRENTLY per leaf and
// attached), under concurrent writes, checked row by row, then rolled back to the original schema and data;
// what PostgreSQL cannot do safely on a partitioned table (a unique key without the partition key, a
// foreign key) refused at plan time with the reason.
#include "core/run/run_extension.h"
#include "tests/pg/test_runner_support.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace lockstep;
using namespace lockstep::test;

namespace {
const char* const kRange = R"sql(
CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, qty integer NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
INSERT INTO events SELECT g, date '2025-03-01' + (g % 600), g % 97 FROM generate_series(1, 30000) g;
)sql";

const char* const kListDefault = R"sql(
CREATE SCHEMA archive;
CREATE TABLE events (id bigint NOT NULL, region text NOT NULL, qty integer NOT NULL, PRIMARY KEY (id, region)) PARTITION BY LIST (region);
CREATE TABLE events_eu PARTITION OF events FOR VALUES IN ('eu');
CREATE TABLE events_us PARTITION OF events FOR VALUES IN ('us');
CREATE TABLE archive.events_rest PARTITION OF events DEFAULT;
INSERT INTO events SELECT g, (ARRAY['eu', 'us', 'apac'])[1 + g % 3], g % 97 FROM generate_series(1, 30000) g;
)sql";

const char* const kSubPartitions = R"sql(
CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, region text NOT NULL, qty integer NOT NULL,
                     PRIMARY KEY (id, at, region)) PARTITION BY RANGE (at);
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01') PARTITION BY LIST (region);
CREATE TABLE events_2025_eu PARTITION OF events_2025 FOR VALUES IN ('eu');
CREATE TABLE events_2025_other PARTITION OF events_2025 DEFAULT;
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
INSERT INTO events SELECT g, date '2025-03-01' + (g % 600), (ARRAY['eu', 'us'])[1 + g % 2], g % 97 FROM generate_series(1, 30000) g;
)sql";

NewColumnChange tripled()
{
    NewColumnChange ch;
    ch.table = QStringLiteral("events");
    ch.column = QStringLiteral("tripled");
    ch.type = QStringLiteral("bigint");
    ch.backfill = QStringLiteral("qty * 3");
    ch.notNull = true;
    ch.index = true;
    return ch;
}
} // namespace

class TestPartitioned : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { sharedCluster(); }

    void runsAndRollsBack_data()
    {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<int>("leaves");
        QTest::addColumn<QString>("insertSql");   // an application insert of row $1
        QTest::newRow("range") << QString::fromUtf8(kRange) << 2
                               << QStringLiteral("INSERT INTO events (id, at, qty) VALUES ($1::bigint, date '2025-05-01' + ($1::int % 500), 5)");
        QTest::newRow("list with default, other schema") << QString::fromUtf8(kListDefault) << 3
                               << QStringLiteral("INSERT INTO events (id, region, qty) VALUES ($1::bigint, (ARRAY['eu', 'us', 'apac'])[1 + $1::int % 3], 5)");
        QTest::newRow("sub-partitions") << QString::fromUtf8(kSubPartitions) << 3
                               << QStringLiteral("INSERT INTO events (id, at, region, qty) VALUES ($1::bigint, date '2025-05-01' + ($1::int % 500), "
                                                 "(ARRAY['eu', 'us'])[1 + $1::int % 2], 5)");
    }

    void runsAndRollsBack()
    {
        QFETCH(QString, fixture);
        QFETCH(int, leaves);
        QFETCH(QString, insertSql);
        const QString db = freshDatabase(QStringLiteral("partitioned"));
        auto conn = lockstep::test::connect(db);
        conn->execScript(fixture + QStringLiteral("ANALYZE events;"));
        const QString schemaBefore = pgDumpSchema(db);
        const QString idsBefore = checksum(*conn, QStringLiteral("events"), QStringLiteral("id"), QStringLiteral("id"));

        const Plan plan = planFor(db, tripled());
        QStringList ids;
        for (const Step& s : plan.steps)
            ids << s.id;
        QVERIFY2(ids.join(QLatin1Char(' ')).contains(QStringLiteral("index_parent index index_attach")), qPrintable(ids.join(QLatin1Char(' '))));
        QVERIFY(plan.steps[ids.indexOf(QStringLiteral("index_attach"))].sql.contains(QStringLiteral("LOCK TABLE ONLY")));
        const Step& parentStep = plan.steps[ids.indexOf(QStringLiteral("index_parent"))];
        QVERIFY(parentStep.sql.contains(QStringLiteral("ON ONLY")));
        QCOMPARE(lockModeName(*parentStep.lock), QStringLiteral("SHARE"));
        QCOMPARE(plan.steps[ids.indexOf(QStringLiteral("index"))].sql.count(QStringLiteral("CONCURRENTLY")), leaves);
        // The backfill walks partition by partition, each walk with its own checkpoint.
        QVector<int> walks;
        for (int i = 0; i < plan.steps.size(); ++i)
            if (plan.steps[i].backfill) {
                walks << i;
                QVERIFY(!plan.steps[i].backfill->table.isEmpty());
                QVERIFY(plan.steps[i].backfill->batchSql.contains(plan.steps[i].backfill->table));
            }
        QCOMPARE(walks.size(), leaves);

        QTemporaryDir dir;
        store::Journal journal(dir.filePath(QStringLiteral("j.sqlite")));
        const qint64 runId = run::createRun(journal, plan, db, Phase::Constrain);
        std::atomic<bool> stop{false};
        std::atomic<int> writes{0}, errors{0};
        std::thread writer([&] {   // the application keeps inserting and updating across partitions
            auto w = pg::Connection::open(db);
            int next = 100000;
            while (!stop) {
                try {
                    w->exec(QStringLiteral("UPDATE events SET qty = qty + 1 WHERE id = $1"), {QRandomGenerator::global()->bounded(1, 30000)});
                    w->exec(insertSql, {++next});
                    writes += 2;
                } catch (const pg::PgException& e) {
                    if (errors++ == 0)
                        qWarning("first application error: %s", qPrintable(e.error().toString()));
                }
            }
        });
        const RunRecording rec = startRun(db, journal.path(), runId, run::RunOptions{});
        stop = true;
        writer.join();
        qInfo("%d application writes during the run, %d errors", int(writes), int(errors));
        QVERIFY2(rec.outcome == QLatin1String("done"), qPrintable(rec.message));
        QCOMPARE(errors.load(), 0);
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT count(*) FROM events WHERE tripled IS DISTINCT FROM qty * 3")), QStringLiteral("0"));
        // Every row there before the run was written by one partition's walk; rows the application inserted
        // after the sync trigger came by it (those inserted before it, walked too, are a few dozen at most).
        qint64 walked = 0;
        for (int i : walks) {
            const auto checkpoint = journal.checkpoint(runId, i);
            QVERIFY2(checkpoint && checkpoint->rowsDone > 0, qPrintable(plan.steps[i].id));
            walked += checkpoint->rowsDone;
        }
        QVERIFY2(walked >= 30000 && walked <= 30000 + writes / 2, qPrintable(QString::number(walked)));
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT attnotnull FROM pg_attribute WHERE attrelid = 'events'::regclass AND attname = 'tripled'")),
                 QStringLiteral("t"));
        // The parent's index is valid: every leaf's index was built and attached.
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT indisvalid FROM pg_index WHERE indexrelid = 'events_tripled_idx'::regclass")), QStringLiteral("t"));
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                                              "WHERE c.relname LIKE 'events%tripled_idx' AND NOT i.indisvalid")), QStringLiteral("0"));

        const RunRecording back = rollbackRun(db, journal.path(), runId, run::RunOptions{});
        QVERIFY2(back.outcome == QLatin1String("rolled-back"), qPrintable(back.message));
        conn->exec(QStringLiteral("DELETE FROM events WHERE id > 30000"));
        QCOMPARE(pgDumpSchema(db), schemaBefore);
        QCOMPARE(checksum(*conn, QStringLiteral("events"), QStringLiteral("id"), QStringLiteral("id")), idsBefore);
    }

    // A partition created (or detached) while the run is between its backfill and the partitioned index
    // stops the run before the index steps, naming it; after a rollback the schema is as before.
    void partitionsChangedDuringTheRun_data()
    {
        QTest::addColumn<QString>("change");
        QTest::addColumn<QString>("named");
        QTest::addColumn<QString>("undo");   // what puts the partitions back as planned
        QTest::newRow("created") << "CREATE TABLE events_2027 PARTITION OF events FOR VALUES FROM ('2027-01-01') TO ('2028-01-01')"
                                 << "attached or created public.events_2027" << "DROP TABLE events_2027";
        QTest::newRow("detached") << "ALTER TABLE events DETACH PARTITION events_2026"
                                  << "detached or dropped public.events_2026"
                                  << "ALTER TABLE events ATTACH PARTITION events_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')";
    }

    void partitionsChangedDuringTheRun()
    {
        QFETCH(QString, change);
        QFETCH(QString, named);
        QFETCH(QString, undo);
        const QString db = freshDatabase(QStringLiteral("partitions_changed"));
        auto conn = lockstep::test::connect(db);
        conn->execScript(QString::fromUtf8(kRange) + QStringLiteral("ANALYZE events;"));
        const QString schemaBefore = pgDumpSchema(db);
        const Plan plan = planFor(db, tripled());
        QCOMPARE(plan.partitions, (QStringList{QStringLiteral("public.events_2025"), QStringLiteral("public.events_2026")}));
        QCOMPARE(Plan::fromJson(plan.toJson()).partitions, plan.partitions);

        QTemporaryDir dir;
        store::Journal journal(dir.filePath(QStringLiteral("j.sqlite")));
        const qint64 runId = run::createRun(journal, plan, db, Phase::Backfill);
        QVERIFY2(startRun(db, journal.path(), runId).outcome == QLatin1String("done"), "expand and backfill");
        conn->exec(change);   // the application's DDL, between the backfill and the index
        run::extendRun(journal.path(), runId, plan, Phase::Constrain);
        const RunRecording stopped = startRun(db, journal.path(), runId);
        QCOMPARE(stopped.outcome, QStringLiteral("failed"));
        QVERIFY2(stopped.message.contains(named) && stopped.message.contains(QStringLiteral("lockstep rollback %1").arg(runId)),
                 qPrintable(stopped.message));
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT count(*) FROM pg_class WHERE relname LIKE 'events%tripled_idx'")), QStringLiteral("0"));

        // Put back as planned, the run goes on to a valid index; rolled back, the schema is the original.
        conn->execScript(undo);
        const RunRecording resumed = startRun(db, journal.path(), runId);
        QVERIFY2(resumed.outcome == QLatin1String("done"), qPrintable(resumed.message));
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT indisvalid FROM pg_index WHERE indexrelid = 'events_tripled_idx'::regclass")), QStringLiteral("t"));
        QVERIFY(rollbackRun(db, journal.path(), runId).outcome == QLatin1String("rolled-back"));
        QCOMPARE(pgDumpSchema(db), schemaBefore);
    }

    void refusesWhatCannotBeDoneSafely()
    {
        const QString db = freshDatabase(QStringLiteral("partitioned_refused"));
        lockstep::test::connect(db)->execScript(QString::fromUtf8(kRange)
                                                + QStringLiteral("CREATE TABLE refd (id bigint PRIMARY KEY);"));
        ProcessResult r = runLockstep({"plan", "--db", db, "--table", "events", "--add-column", "code", "--type", "bigint",
                                       "--backfill", "id", "--unique"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("is partitioned by (at): a unique key on it must include the partition key"), r.err.constData());
        r = runLockstep({"plan", "--db", db, "--table", "events", "--add-column", "ref", "--type", "bigint",
                         "--references", "refd(id)"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("cannot add a NOT VALID foreign key on a partitioned table"), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestPartitioned)
#include "test_partitioned.moc"
