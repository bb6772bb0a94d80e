// SPDX-License-Identifier: GPL-3.0-or-later
// A single integer key is stepped by arithmetic where its keys are dense (a unique integer key has at most
// n rows in (k, k + n]) and found by the boundary query where they are sparse; every row is filled once
// either way, and rows inserted past the largest key of the start are still found.
#include "tests/pg/test_runner_support.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace lockstep;
using namespace lockstep::test;

namespace {
// Index scans of big's primary key so far (the boundary query makes two, a batch one).
qint64 keyScans(pg::Connection& c)
{
    c.exec(QStringLiteral("SELECT pg_stat_clear_snapshot()"));
    return scalar(c, QStringLiteral("SELECT idx_scan FROM pg_stat_user_indexes WHERE indexrelname = 'big_pkey'")).toLongLong();
}
} // namespace

class TestBackfillKeys : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { sharedCluster(); }

    void planStepsOnlyASingleIntegerKey()
    {
        const QString db = freshDatabase(QStringLiteral("keys_plan"));
        auto c = lockstep::test::connect(db);
        createBigTable(*c, 10);
        c->execScript(QStringLiteral("CREATE TABLE pair (a int, b int, qty int, PRIMARY KEY (a, b));"
                                     "CREATE TABLE named (code text PRIMARY KEY, qty int);"));
        auto specOf = [&](const QString& table) {
            NewColumnChange ch = twiceChange();
            ch.table = table;
            for (const Step& s : planFor(db, ch).steps)
                if (s.backfill)
                    return *s.backfill;
            throw std::runtime_error("no backfill");
        };
        QCOMPARE(specOf(QStringLiteral("big")).lastKeySql, QStringLiteral("SELECT max(\"id\")::text FROM \"public\".\"big\""));
        QVERIFY(specOf(QStringLiteral("pair")).lastKeySql.isEmpty());
        QVERIFY(specOf(QStringLiteral("named")).lastKeySql.isEmpty());
        // Older plans (journaled without it) read back without it: no stepping.
        QJsonObject json = specOf(QStringLiteral("big")).toJson();
        QVERIFY(json.contains(QStringLiteral("last_key_sql")));
        json.remove(QStringLiteral("last_key_sql"));
        QVERIFY(BackfillSpec::fromJson(json).lastKeySql.isEmpty());
    }

    void denseAndSparseRunsFillEveryRowOnce()
    {
        const QString db = freshDatabase(QStringLiteral("keys_gaps"));
        auto c = lockstep::test::connect(db);
        // Dense, then one key in 50, then dense again: 30,000 + 1,000 + 20,000 rows.
        c->execScript(QStringLiteral(
            "CREATE TABLE big (id bigint PRIMARY KEY, qty integer NOT NULL);"
            "INSERT INTO big SELECT g, g % 97 FROM generate_series(1, 30000) g;"
            "INSERT INTO big SELECT 1000000 + 50 * g, g % 97 FROM generate_series(1, 1000) g;"
            "INSERT INTO big SELECT 5000000 + g, g % 97 FROM generate_series(1, 20000) g; ANALYZE big;"));
        QTemporaryDir dir;
        const QString journalPath = dir.filePath(QStringLiteral("j.sqlite"));
        store::Journal journal(journalPath);
        const qint64 runId = run::createRun(journal, planFor(db, twiceChange()), db, Phase::Backfill);
        const qint64 scansBefore = keyScans(*c);
        run::RunOptions options;
        options.targetBatchMs = 5;   // many small batches
        const RunRecording rec = runOnThread(db, journalPath, runId, options);
        QCOMPARE(rec.outcome, QStringLiteral("done"));
        QCOMPARE(bigMismatches(*c), QStringLiteral("0"));
        const auto cp = backfillCheckpoint(journal, runId);
        QVERIFY(cp);
        const qint64 batches = cp->batches;
        QCOMPARE(cp->rowsDone, qint64(51000));   // no row twice, none missed
        // Stepping saved boundary queries: with one before every batch there would be 3 scans a batch.
        qint64 scans = 0;
        QTRY_VERIFY_WITH_TIMEOUT((scans = keyScans(*c) - scansBefore) > 0, 5000);
        QVERIFY2(scans < 2 * batches, qPrintable(QStringLiteral("%1 key scans for %2 batches").arg(scans).arg(batches)));
    }

    void rowsPastTheStartsLargestKeyAreFound()
    {
        const QString db = freshDatabase(QStringLiteral("keys_tail"));
        auto c = lockstep::test::connect(db);
        createBigTable(*c, 20000);
        const Plan plan = expandTwice(*c, db);
        // Inserted with the new column explicitly NULL and no trigger to compute it: only the walk can.
        c->exec(QStringLiteral("ALTER TABLE big DISABLE TRIGGER USER"));
        QTemporaryDir dir;
        const QString journalPath = dir.filePath(QStringLiteral("j.sqlite"));
        store::Journal journal(journalPath);
        const qint64 runId = run::createRun(journal, plan, db, Phase::Backfill);
        run::RunOptions options;
        options.targetBatchMs = 5;
        options.maxRowsPerSecond = 20000;   // a walk of about a second: the rows go in while it runs
        std::atomic<bool> inserted{false};
        QThread* inserter = QThread::create([&] {
            auto w = pg::Connection::open(db);
            // Once the walk has started (its first rows are filled), rows above the largest key at its start.
            while (scalar(*w, QStringLiteral("SELECT count(*) FROM big WHERE twice IS NOT NULL")) == QLatin1String("0"))
                QThread::msleep(1);
            w->exec(QStringLiteral("INSERT INTO big (id, qty) SELECT g, 5 FROM generate_series(20001, 20100) g"));
            inserted = true;
        });
        inserter->start();
        const RunRecording rec = runOnThread(db, journalPath, runId, options);
        inserter->wait();
        delete inserter;
        QVERIFY(inserted);
        QCOMPARE(rec.outcome, QStringLiteral("done"));
        QCOMPARE(bigMismatches(*c), QStringLiteral("0"));
    }

    // Under a rate cap the rows go out in batches no bigger than the cap allows in one target batch time,
    // so the rate the progress reports is the cap's, not a burst of one huge batch before a long sleep
    // (a 52,224-row batch at "48,591 rows/s" under a 15,000 rows/s cap was seen in the window).
    void aRateCapSpreadsTheRowsEvenly()
    {
        const QString db = freshDatabase(QStringLiteral("keys_cap"));
        auto c = lockstep::test::connect(db);
        createBigTable(*c, 40000);
        const Plan plan = expandTwice(*c, db);
        QTemporaryDir dir;
        const QString journalPath = dir.filePath(QStringLiteral("j.sqlite"));
        store::Journal journal(journalPath);
        const qint64 runId = run::createRun(journal, plan, db, Phase::Backfill);
        run::RunOptions options;
        options.targetBatchMs = 300;
        options.maxRowsPerSecond = 20000;   // about 2 s
        const RunRecording rec = runOnThread(db, journalPath, runId, options);
        QCOMPARE(rec.outcome, QStringLiteral("done"));
        QCOMPARE(bigMismatches(*c), QStringLiteral("0"));
        int batches = 0;
        double fastest = 0;
        for (const run::Progress& p : rec.progress) {
            if (p.rowsDone == 0)
                continue;
            ++batches;
            QVERIFY2(p.batchRows <= 20000 * 300 / 1000, qPrintable(QString::number(p.batchRows)));
            if (p.rowsDone >= 10000)   // past the first half second, the rate is measured over enough batches
                fastest = qMax(fastest, p.rowsPerSecond);
        }
        qInfo("%d progress reports, fastest reported rate %.0f rows/s under a cap of 20,000", batches, fastest);
        QVERIFY(batches >= 7);
        QVERIFY2(fastest > 0 && fastest <= 20000 * 1.3, qPrintable(QString::number(fastest)));
    }
};

QTEST_GUILESS_MAIN(TestBackfillKeys)
#include "test_backfill_keys.moc"
