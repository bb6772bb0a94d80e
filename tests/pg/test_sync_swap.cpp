// SPDX-License-Identifier: GPL-3.0-or-later
// During the walk the application's updates only log their keys (an AFTER trigger: PostgreSQL locks the
// rows the backfill updates when a BEFORE UPDATE trigger exists); after it the BEFORE trigger is swapped in
// and the logged rows are recomputed. No write made during the walk is lost, the walk's own updates are
// not logged, a rollback leaves nothing behind, and an application role needs no right on the log.
#include "tests/pg/test_runner_support.h"
#include "tests/unit/test_planner_checks.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace lockstep;
using namespace lockstep::test;

namespace {
constexpr int kRows = 40000;
const QString kLog = QStringLiteral("lockstep_big_twice_changed");

// BEFORE or AFTER, from pg_trigger.tgtype (bit 1 = BEFORE); "" when the trigger is not there.
QString updateTriggerTiming(pg::Connection& c)
{
    const pg::Result r = c.exec(QStringLiteral("SELECT CASE WHEN tgtype & 2 = 2 THEN 'BEFORE' ELSE 'AFTER' END FROM pg_trigger "
                                               "WHERE tgrelid = 'big'::regclass AND tgname = 'lockstep_big_twice_sync_upd'"));
    return r.rows() > 0 ? r.value(0, 0) : QString();
}

QString logged(pg::Connection& c) { return scalar(c, QStringLiteral("SELECT count(*) FROM ") + kLog); }
bool logExists(pg::Connection& c) { return scalar(c, QStringLiteral("SELECT to_regclass('%1') IS NOT NULL").arg(kLog)) == "t"; }
} // namespace

class TestSyncSwap : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { sharedCluster(); }

    void walkIsNotLoggedAndTheCatchUpRecomputesLoggedRows()
    {
        const QString db = freshDatabase(QStringLiteral("swap_steps"));
        auto c = lockstep::test::connect(db);
        createBigTable(*c, kRows);
        const Plan plan = expandTwice(*c, db);
        for (const char* id : {"backfill", "sync_swap", "sync_catch_up", "contract_drop_sync"})
            QVERIFY2(findStep(plan, QString::fromLatin1(id)), id);
        QCOMPARE(updateTriggerTiming(*c), QStringLiteral("AFTER"));

        // An update before the walk is logged and not computed; a new row is computed at once.
        c->exec(QStringLiteral("UPDATE big SET qty = qty + 1 WHERE id <= 10"));
        QCOMPARE(logged(*c), QStringLiteral("10"));
        QCOMPARE(scalar(*c, QStringLiteral("SELECT count(*) FROM big WHERE id <= 10 AND twice IS NULL")), QStringLiteral("10"));
        c->exec(QStringLiteral("INSERT INTO big (id, qty) VALUES (%1, 21)").arg(kRows + 1));
        QCOMPARE(scalar(*c, QStringLiteral("SELECT twice FROM big WHERE id = %1").arg(kRows + 1)), QStringLiteral("42"));

        // The walk (the step's own script, a DO block committing per batch) writes every row and logs none
        // of its updates.
        for (const QString& statement : findStep(plan, QStringLiteral("backfill"))->statements)
            c->exec(statement);
        QCOMPARE(logged(*c), QStringLiteral("10"));
        QCOMPARE(bigMismatches(*c), QStringLiteral("0"));

        // Updates after the rows were filled: wrong until the catch-up.
        c->exec(QStringLiteral("UPDATE big SET qty = qty + 5 WHERE id BETWEEN 100 AND 124"));
        QCOMPARE(bigMismatches(*c), QStringLiteral("25"));
        QCOMPARE(logged(*c), QStringLiteral("35"));

        c->execScript(findStep(plan, QStringLiteral("sync_swap"))->sql);
        QCOMPARE(updateTriggerTiming(*c), QStringLiteral("BEFORE"));
        c->execScript(findStep(plan, QStringLiteral("sync_catch_up"))->sql);
        QCOMPARE(bigMismatches(*c), QStringLiteral("0"));
        QCOMPARE(logged(*c), QStringLiteral("0"));
        // A second catch-up (a rerun after a crash) finds nothing to do and fails on nothing.
        c->execScript(findStep(plan, QStringLiteral("sync_catch_up"))->sql);

        // From here the BEFORE trigger computes every update itself and nothing is logged.
        c->exec(QStringLiteral("UPDATE big SET qty = qty + 1 WHERE id <= 50"));
        QCOMPARE(bigMismatches(*c), QStringLiteral("0"));
        QCOMPARE(logged(*c), QStringLiteral("0"));

        // Contract removes the log with the triggers.
        c->execScript(findStep(plan, QStringLiteral("contract_drop_sync"))->sql);
        QVERIFY(!logExists(*c));
        QCOMPARE(updateTriggerTiming(*c), QString());
    }

    void noWriteIsLostWhileWritersRunThroughTheWholePhase()
    {
        const QString db = freshDatabase(QStringLiteral("swap_writers"));
        auto c = lockstep::test::connect(db);
        createBigTable(*c, kRows);
        QTemporaryDir dir;
        const QString journalPath = dir.filePath(QStringLiteral("j.sqlite"));
        store::Journal journal(journalPath);
        const qint64 runId = run::createRun(journal, planFor(db, twiceChange()), db, Phase::Backfill);
        BigTableWriters writers(db, 3, kRows);
        run::RunOptions options;
        options.targetBatchMs = 20;   // a walk of many batches, so the writers hit rows behind the cursor
        const RunRecording rec = runOnThread(db, journalPath, runId, options);
        writers.stop();
        QCOMPARE(rec.outcome, QStringLiteral("done"));
        QVERIFY2(writers.writes() > 100, qPrintable(QString::number(writers.writes())));
        QCOMPARE(writers.errors(), 0);
        QCOMPARE(bigMismatches(*c), QStringLiteral("0"));
        QCOMPARE(logged(*c), QStringLiteral("0"));
        QCOMPARE(updateTriggerTiming(*c), QStringLiteral("BEFORE"));
        QStringList done;
        for (const store::StepRecord& s : journal.steps(runId))
            done << s.stepId + QLatin1Char('=') + store::stepStateName(s.state);
        QVERIFY2(done.contains(QStringLiteral("sync_catch_up=done")), qPrintable(done.join(QLatin1Char(' '))));
    }

    void rollbackOfTheSyncStepRemovesTheLog()
    {
        const QString db = freshDatabase(QStringLiteral("swap_rollback"));
        auto c = lockstep::test::connect(db);
        createBigTable(*c, 100);
        const Plan plan = expandTwice(*c, db);
        c->exec(QStringLiteral("UPDATE big SET qty = qty + 1 WHERE id <= 3"));
        QCOMPARE(logged(*c), QStringLiteral("3"));
        QVERIFY(findStep(plan, QStringLiteral("sync_trigger")));
        c->execScript(findStep(plan, QStringLiteral("sync_trigger"))->rollbackSql);
        QVERIFY(!logExists(*c));
        QCOMPARE(scalar(*c, QStringLiteral("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'big'::regclass AND NOT tgisinternal")),
                 QStringLiteral("0"));
        QCOMPARE(scalar(*c, QStringLiteral("SELECT count(*) FROM pg_proc WHERE proname LIKE 'lockstep_big_twice_%'")),
                 QStringLiteral("0"));
    }

    void aRelationOfTheLogsNameIsNeverReused()
    {
        const QString db = freshDatabase(QStringLiteral("swap_name"));
        auto c = lockstep::test::connect(db);
        createBigTable(*c, 100);
        c->exec(QStringLiteral("CREATE TABLE %1 (note text)").arg(kLog));   // someone's, or a log left by another plan
        const Plan plan = expandTwice(*c, db);
        c->exec(QStringLiteral("UPDATE big SET qty = qty + 1 WHERE id = 4"));
        QCOMPARE(scalar(*c, QStringLiteral("SELECT string_agg(id::text, ',') FROM %1").arg(kLog + QLatin1Char('1'))),
                 QStringLiteral("4"));
        QCOMPARE(scalar(*c, QStringLiteral("SELECT count(*) FROM ") + kLog), QStringLiteral("0"));
    }

    void anApplicationRoleNeedsNoRightOnTheLog()
    {
        const QString db = freshDatabase(QStringLiteral("swap_role"));
        auto c = lockstep::test::connect(db);
        createBigTable(*c, 100);
        const Plan plan = expandTwice(*c, db);
        c->execScript(QStringLiteral("DROP ROLE IF EXISTS swap_app; CREATE ROLE swap_app;"
                                     "GRANT SELECT, UPDATE ON big TO swap_app;"));
        c->exec(QStringLiteral("SET ROLE swap_app"));
        QVERIFY_THROWS_EXCEPTION(pg::PgException, c->exec(QStringLiteral("SELECT count(*) FROM ") + kLog));
        c->exec(QStringLiteral("UPDATE big SET qty = qty + 1 WHERE id = 7"));
        c->exec(QStringLiteral("RESET ROLE"));
        QCOMPARE(scalar(*c, QStringLiteral("SELECT string_agg(id::text, ',') FROM ") + kLog), QStringLiteral("7"));
    }
};

QTEST_GUILESS_MAIN(TestSyncSwap)
#include "test_sync_swap.moc"
