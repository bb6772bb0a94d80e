// SPDX-License-Identifier: GPL-3.0-or-later
// The Runner's ways back: rollback after every step of a full plan (schema and data as before), refusal
// past the point of no return, steps found already done in the catalog (what makes a resume after a crash
// correct), an INVALID index left by a failed concurrent build, and the verification before the switch.
#include "core/run/run_extension.h"
#include "tests/pg/test_runner_support.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace lockstep;
using namespace lockstep::test;

namespace {
constexpr int kRows = 20000;

void createFixture(pg::Connection& c)
{
    c.execScript(QStringLiteral(
        "CREATE TABLE customers (id integer PRIMARY KEY, name text NOT NULL);"
        "INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 100) g;"
        "CREATE TABLE orders (id bigint PRIMARY KEY, qty integer NOT NULL, price numeric(10,2) NOT NULL, note text);"
        "INSERT INTO orders SELECT g, g % 97, (g % 1000) / 10.0, 'row ' || g FROM generate_series(1, %1) g;"
        "ANALYZE;").arg(kRows));
}

// Every kind of step an add change can have: not null, index, foreign key and check.
NewColumnChange fullChange()
{
    NewColumnChange ch;
    ch.table = QStringLiteral("orders");
    ch.column = QStringLiteral("customer_id");
    ch.type = QStringLiteral("integer");
    ch.backfill = QStringLiteral("(id % 100) + 1");
    ch.notNull = true;
    ch.index = true;
    ch.referencesTable = QStringLiteral("customers");
    ch.referencesColumn = QStringLiteral("id");
    ch.check = QStringLiteral("customer_id > 0");
    return ch;
}

const QString kOriginalColumns = QStringLiteral("id, qty, price, note");

} // namespace

class TestRunnerRecovery : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { sharedCluster(); }

    void rollsBackAfterEveryStep()
    {
        const QString probe = freshDatabase(QStringLiteral("recovery_probe"));
        {
            auto c = lockstep::test::connect(probe);
            createFixture(*c);
        }
        const Plan full = planFor(probe, fullChange());
        QVERIFY(full.steps.size() >= 12);
        QStringList ids;
        for (const Step& s : full.steps)
            ids << s.id;
        qInfo("plan steps: %s", qPrintable(ids.join(QStringLiteral(", "))));

        QTemporaryDir dir;
        store::Journal journal(dir.filePath(QStringLiteral("j.sqlite")));
        for (int k = 0; k < full.steps.size(); ++k) {
            const QString db = freshDatabase(QStringLiteral("recovery_k"));
            auto conn = lockstep::test::connect(db);
            createFixture(*conn);
            const QString schemaBefore = pgDumpSchema(db);
            const QString dataBefore = checksum(*conn, QStringLiteral("orders"), kOriginalColumns, QStringLiteral("id"));

            Plan partial = planFor(db, fullChange());
            QCOMPARE(partial.steps.size(), full.steps.size());
            partial.steps.resize(k + 1);   // the run stops after step k
            const qint64 runId = run::createRun(journal, partial, db, Phase::Contract);
            const RunRecording ran = startRun(db, journal.path(), runId);
            QVERIFY2(ran.outcome == QLatin1String("done"), qPrintable(QStringLiteral("step %1: %2").arg(k).arg(ran.message)));

            const RunRecording back = rollbackRun(db, journal.path(), runId);
            QVERIFY2(back.outcome == QLatin1String("rolled-back"),
                     qPrintable(QStringLiteral("after %1: %2").arg(ids[k], back.message)));
            QVERIFY2(pgDumpSchema(db) == schemaBefore, qPrintable(QStringLiteral("schema differs after rolling back %1").arg(ids[k])));
            QCOMPARE(checksum(*conn, QStringLiteral("orders"), kOriginalColumns, QStringLiteral("id")), dataBefore);
            QCOMPARE(journal.run(runId)->state, store::RunState::RolledBack);
            for (const store::StepRecord& s : journal.steps(runId))
                QCOMPARE(s.state, store::StepState::RolledBack);
        }
        // A rolled-back run is not started again by accident.
        const QString db = freshDatabase(QStringLiteral("recovery_again"));
        auto conn = lockstep::test::connect(db);
        createFixture(*conn);
        Plan expand = planFor(db, fullChange()).until(Phase::Expand);
        const qint64 runId = run::createRun(journal, expand, db, Phase::Expand);
        QCOMPARE(startRun(db, journal.path(), runId).outcome, QStringLiteral("done"));
        QCOMPARE(rollbackRun(db, journal.path(), runId).outcome, QStringLiteral("rolled-back"));
        const RunRecording again = startRun(db, journal.path(), runId);
        QCOMPARE(again.outcome, QStringLiteral("failed"));
        QVERIFY2(again.message.contains(QLatin1String("rolled back")), qPrintable(again.message));
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT count(*) FROM pg_attribute WHERE attrelid = 'orders'::regclass AND attname = 'customer_id' AND NOT attisdropped")),
                 QStringLiteral("0"));
    }

    void refusesRollbackPastThePointOfNoReturn()
    {
        const QString db = freshDatabase(QStringLiteral("recovery_replace"));
        auto conn = lockstep::test::connect(db);
        createFixture(*conn);
        NewColumnChange ch;
        ch.kind = NewColumnChange::Kind::Replace;
        ch.table = QStringLiteral("orders");
        ch.oldColumn = QStringLiteral("qty");
        ch.column = QStringLiteral("qty_big");
        ch.type = QStringLiteral("bigint");
        QTemporaryDir dir;
        store::Journal journal(dir.filePath(QStringLiteral("j.sqlite")));
        const qint64 runId = run::createRun(journal, planFor(db, ch), db, Phase::Contract);
        QCOMPARE(startRun(db, journal.path(), runId).outcome, QStringLiteral("done"));
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT count(*) FROM orders WHERE qty_big <> (id % 97)")), QStringLiteral("0"));
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT count(*) FROM pg_attribute WHERE attrelid = 'orders'::regclass AND attname = 'qty' AND NOT attisdropped")),
                 QStringLiteral("0"));

        const QString schemaAfter = pgDumpSchema(db);
        const RunRecording back = rollbackRun(db, journal.path(), runId);
        QCOMPARE(back.outcome, QStringLiteral("failed"));
        QVERIFY2(back.message.contains(QLatin1String("contract_drop_old_column")), qPrintable(back.message));
        QCOMPARE(pgDumpSchema(db), schemaAfter);   // nothing was touched
        QCOMPARE(journal.run(runId)->state, store::RunState::Done);
    }

    // A second run of the same plan finds the expand steps in the catalog, drops the INVALID index a
    // failed concurrent build left under the plan's index name, and builds it properly.
    void findsDoneStepsAndInvalidIndexes()
    {
        const QString db = freshDatabase(QStringLiteral("recovery_catalog"));
        auto conn = lockstep::test::connect(db);
        createFixture(*conn);
        const Plan plan = planFor(db, fullChange());
        QTemporaryDir dir;
        store::Journal journal(dir.filePath(QStringLiteral("j.sqlite")));
        const qint64 firstRun = run::createRun(journal, plan, db, Phase::Backfill);
        QCOMPARE(startRun(db, journal.path(), firstRun).outcome, QStringLiteral("done"));

        // A unique build on a column full of duplicates fails and leaves an INVALID index behind.
        const int indexStep = stepIndexOf(plan, QStringLiteral("index"));
        QVERIFY(indexStep > 0);
        QString indexName;
        for (const QString& s : plan.steps[indexStep].statements) {
            const int at = s.indexOf(QLatin1String("IF NOT EXISTS \""));
            if (at >= 0)
                indexName = s.mid(at + 15, s.indexOf(QLatin1Char('"'), at + 15) - at - 15);
        }
        QVERIFY(!indexName.isEmpty());
        QVERIFY_THROWS_EXCEPTION(pg::PgException,
                                 conn->exec(QStringLiteral("CREATE UNIQUE INDEX CONCURRENTLY %1 ON orders (customer_id)")
                                                .arg(conn->quoteIdent(indexName))));
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT count(*) FROM pg_index WHERE indrelid = 'orders'::regclass AND NOT indisvalid")),
                 QStringLiteral("1"));

        // The journal lost its step writes (a SIGKILL between each COMMIT and its journal write): every step
        // it ran reads pending again. The same run, extended through constrain, finds them in the catalog --
        // they carry its own mark (owner_marks.h).
        const int addColumnAttempts = journal.steps(firstRun)[0].attempts;
        for (int i = 0; i < plan.until(Phase::Backfill).steps.size(); ++i)
            journal.setStepState(firstRun, i, store::StepState::Pending);
        run::extendRun(journal.path(), firstRun, plan, Phase::Constrain);
        const qint64 secondRun = firstRun;
        const RunRecording rec = startRun(db, journal.path(), secondRun);
        QVERIFY2(rec.outcome == QLatin1String("done"), qPrintable(rec.message));
        QStringList events;
        for (const store::EventRecord& e : journal.events(secondRun))
            events << e.kind;
        QVERIFY2(events.count(QStringLiteral("step-already-done")) >= 2, qPrintable(events.join(QLatin1Char(','))));
        QVERIFY(events.contains(QStringLiteral("invalid-index-dropped")));
        const auto steps = journal.steps(secondRun);
        QCOMPARE(steps[0].attempts, addColumnAttempts);   // add_column was never executed again
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT count(*) FROM pg_index WHERE indrelid = 'orders'::regclass AND NOT indisvalid")),
                 QStringLiteral("0"));
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT indisunique FROM pg_index WHERE indexrelid = to_regclass($1)").replace(QLatin1String("$1"), conn->quoteLiteral(indexName))),
                 QStringLiteral("f"));
    }

    // Stopping at a safe point works for a rollback too: it stops before its next step, says who asked in
    // the journal, and a later rollback finishes the job.
    void stopAtSafePointDuringRollback()
    {
        const QString db = freshDatabase(QStringLiteral("recovery_stop"));
        auto conn = lockstep::test::connect(db);
        createFixture(*conn);
        const QString schemaBefore = pgDumpSchema(db);
        QTemporaryDir dir;
        store::Journal journal(dir.filePath(QStringLiteral("j.sqlite")));
        const qint64 runId = run::createRun(journal, planFor(db, fullChange()), db, Phase::Expand);
        QCOMPARE(startRun(db, journal.path(), runId).outcome, QStringLiteral("done"));

        RunRecording rec;
        QObject context;
        run::Runner runner(db, journal.path(), runId, run::RunOptions{});
        record(runner, &rec, &context);
        runner.stopAtSafePoint(QStringLiteral("the window was closed by tester"));
        runner.rollback();
        QCOMPARE(rec.outcome, QStringLiteral("paused"));
        QCOMPARE(journal.run(runId)->state, store::RunState::Paused);
        bool said = false;
        for (const store::EventRecord& e : journal.events(runId))
            said = said || (e.kind == QLatin1String("operator") && e.message == QLatin1String("rollback stopped: the window was closed by tester"));
        QVERIFY(said);
        QCOMPARE(rollbackRun(db, journal.path(), runId).outcome, QStringLiteral("rolled-back"));
        QCOMPARE(pgDumpSchema(db), schemaBefore);
    }

    // The switch refuses while a row still differs from the backfill expression.
    void verificationBlocksTheSwitch()
    {
        const QString db = freshDatabase(QStringLiteral("recovery_verify"));
        auto conn = lockstep::test::connect(db);
        createFixture(*conn);
        const Plan plan = planFor(db, fullChange());
        QTemporaryDir dir;
        store::Journal journal(dir.filePath(QStringLiteral("j.sqlite")));
        const qint64 runId = run::createRun(journal, plan.until(Phase::Backfill), db, Phase::Switch);
        QCOMPARE(startRun(db, journal.path(), runId).outcome, QStringLiteral("done"));
        // Written past the sync trigger (it follows the source column `id`, not the new column itself).
        conn->exec(QStringLiteral("UPDATE orders SET customer_id = 50 WHERE id IN (5, 6)"));
        // A run of the switch alone (the backfill marked done, as if it had run): verification fails.
        Plan switchOnly = plan;
        switchOnly.steps.clear();
        for (const Step& s : plan.steps)
            if (s.phase == Phase::Backfill || s.phase == Phase::Switch)
                switchOnly.steps << s;
        const qint64 gate = run::createRun(journal, switchOnly, db, Phase::Switch);
        // The gate run stands in for the first one (a test shortcut): the column must not carry that run's mark.
        conn->exec(QStringLiteral("COMMENT ON COLUMN orders.customer_id IS NULL"));
        const int switchIndex = switchOnly.steps.size() - 1;
        for (int i = 0; i < switchIndex; ++i)   // the walk and, from 14, the trigger swap and catch-up
            journal.setStepState(gate, i, store::StepState::Done);
        const RunRecording rec = startRun(db, journal.path(), gate);
        QCOMPARE(rec.outcome, QStringLiteral("failed"));
        QVERIFY2(rec.message.contains(QLatin1String("2 row(s)")), qPrintable(rec.message));
        QCOMPARE(journal.run(gate)->state, store::RunState::Failed);
        QCOMPARE(journal.steps(gate)[switchIndex].stepId, QStringLiteral("switch"));
        QCOMPARE(journal.steps(gate)[switchIndex].state, store::StepState::Failed);
    }

    // A fast restart of the whole server mid-backfill: the runner's connection dies with it; the runner
    // reconnects with backoff once the server is back and finishes with correct data.
    void survivesServerRestart()
    {
        const QString db = freshDatabase(QStringLiteral("recovery_restart"));
        auto conn = lockstep::test::connect(db);
        createBigTable(*conn, 150000);
        QTemporaryDir dir;
        store::Journal journal(dir.filePath(QStringLiteral("j.sqlite")));
        const qint64 runId = run::createRun(journal, planFor(db, twiceChange()), db, Phase::Constrain);
        conn.reset();   // the restart ends every session

        run::RunOptions options;
        options.targetBatchMs = 30;   // many small batches: the restart lands mid-backfill
        run::Runner runner(db, journal.path(), runId, options);
        RunRecording rec;
        QObject context;
        record(runner, &rec, &context);
        qint64 restartedAt = -1;
        QObject::connect(&runner, &run::Runner::progress, &context, [&](const run::Progress& p) {
            if (restartedAt < 0 && p.rowsDone >= 40000) {
                restartedAt = p.rowsDone;
                sharedCluster().restartFast();
            }
        });
        runner.start();
        QVERIFY2(restartedAt > 0 && restartedAt < 150000, "the restart did not land mid-backfill");
        QCOMPARE(rec.outcome, QStringLiteral("done"));
        conn = lockstep::test::connect(db);
        QCOMPARE(bigMismatches(*conn), QStringLiteral("0"));
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT count(*) FROM big")), QStringLiteral("150000"));
        bool lost = false, back = false;
        for (const store::EventRecord& e : journal.events(runId)) {
            lost = lost || e.kind == QLatin1String("connection-lost");
            back = back || e.kind == QLatin1String("reconnected");
        }
        QVERIFY(lost && back);
    }
};

QTEST_GUILESS_MAIN(TestRunnerRecovery)
#include "test_runner_recovery.moc"
