// SPDX-License-Identifier: GPL-3.0-or-later
// Brief catalog-only steps that follow each other run under one lock request (core/run/lock_groups.h):
// which steps of a real plan are combined, that a combined group waits and retries as one (one attempt
// count, one queue for the application), that its effects commit together, and that a step already in
// the catalog is left out of its group.
#include "core/run/lock_groups.h"
#include "tests/pg/test_runner_support.h"

#include <QTemporaryDir>
#include <QtTest>

#include <thread>

using namespace lockstep;
using namespace lockstep::test;

namespace {
NewColumnChange fullChange()
{
    NewColumnChange ch = twiceChange();
    ch.index = true;
    ch.check = QStringLiteral("twice >= 0");
    return ch;
}

// "a+b c d+e" style: the plan's step ids, grouped as the runner runs them.
QString groups(const Plan& plan, const QVector<bool>& skip = {})
{
    QStringList out;
    for (int i = 0; i < plan.steps.size(); ++i) {
        if (i < skip.size() && skip[i])
            continue;
        const int last = run::lockGroupEnd(plan, i, skip);
        QStringList ids;
        for (int k = i; k <= last; ++k)
            ids << plan.steps[k].id;
        out << ids.join(QLatin1Char('+'));
        i = last;
    }
    return out.join(QLatin1Char(' '));
}

} // namespace

class TestLockGroups : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { sharedCluster(); }

    void combinesOnlyBriefCatalogSteps()
    {
        const QString db = freshDatabase(QStringLiteral("groups_plan"));
        auto conn = lockstep::test::connect(db);
        createBigTable(*conn, 1000);
        const Plan plan = planFor(db, fullChange());
        const QString g = groups(plan);
        qInfo("groups: %s", qPrintable(g));
        // ADD COLUMN's ACCESS EXCLUSIVE covers the trigger's SHARE ROW EXCLUSIVE; the two NOT VALID checks,
        // and SET NOT NULL with the drop of its helper check, all take ACCESS EXCLUSIVE. The catch-up UPDATE, VALIDATE and the index build
        // read rows: alone. The swap is followed by the catch-up: alone.
        QVERIFY2(g.startsWith(QStringLiteral("add_column+sync_trigger backfill sync_swap sync_catch_up")), qPrintable(g));
        QVERIFY2(g.contains(QStringLiteral(" not_null_check+check not_null_validate not_null_set+not_null_drop_check "
                                           "check_validate index ")), qPrintable(g));
        for (const QString& alone : {QStringLiteral("not_null_validate"), QStringLiteral("check_validate"), QStringLiteral("index")}) {
            if (stepIndexOf(plan, alone) >= 0)
                QVERIFY2(g.split(QLatin1Char(' ')).contains(alone), qPrintable(alone + QStringLiteral(" in ") + g));
        }
        // A group never crosses a phase (a run may stop between them) ...
        for (const QString& group : g.split(QLatin1Char(' '))) {
            const QStringList ids = group.split(QLatin1Char('+'));
            for (const QString& id : ids)
                QCOMPARE(plan.steps[stepIndexOf(plan, id)].phase, plan.steps[stepIndexOf(plan, ids.first())].phase);
        }
        // ... nor takes a finished step: after add_column is done, sync_trigger runs alone.
        QVector<bool> skip(plan.steps.size(), false);
        skip[stepIndexOf(plan, QStringLiteral("add_column"))] = true;
        QVERIFY2(groups(plan, skip).startsWith(QStringLiteral("sync_trigger backfill")), qPrintable(groups(plan, skip)));
        // A step that is not catalog-only ends a group even under the same lock.
        Plan edited = plan;
        edited.steps[stepIndexOf(plan, QStringLiteral("sync_trigger"))].statements << QStringLiteral("UPDATE big SET qty = qty;");
        QVERIFY2(groups(edited).startsWith(QStringLiteral("add_column sync_trigger ")), qPrintable(groups(edited)));
    }

    void groupWaitsAndCommitsAsOne()
    {
        const QString db = freshDatabase(QStringLiteral("groups_wait"));
        auto conn = lockstep::test::connect(db);
        createBigTable(*conn, 5000);
        QTemporaryDir dir;
        store::Journal journal(dir.filePath(QStringLiteral("j.sqlite")));
        const qint64 runId = run::createRun(journal, planFor(db, twiceChange()), db, Phase::Expand);

        // A reader holds ACCESS SHARE for 1.5 s: every attempt of the group fails until it commits.
        auto blocker = lockstep::test::connect(db);
        blocker->exec(QStringLiteral("BEGIN"));
        blocker->exec(QStringLiteral("SELECT count(*) FROM big"));
        std::thread release([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(1500));
            blocker->exec(QStringLiteral("COMMIT"));
        });
        run::RunOptions inLine;   // attempts on the ladder, not a free moment (test_free_moment.cpp)
        inLine.freeMomentMs = 0;
        const RunRecording rec = startRun(db, journal.path(), runId, inLine);
        release.join();
        QVERIFY2(rec.outcome == QLatin1String("done"), qPrintable(rec.message));
        const auto steps = journal.steps(runId);
        QCOMPARE(steps.size() >= 2, true);
        qInfo("attempts: add_column %d, sync_trigger %d", steps[0].attempts, steps[1].attempts);
        QVERIFY(steps[0].attempts > 1);
        QCOMPARE(steps[1].attempts, steps[0].attempts);   // retried together, never on its own
        QCOMPARE(steps[1].state, store::StepState::Done);
        QVERIFY2(steps[1].errorMessage.contains(QStringLiteral("in one lock with step 1")), qPrintable(steps[1].errorMessage));
        int groupEvents = 0, waitsOnSecond = 0;
        for (const store::EventRecord& e : journal.events(runId)) {
            groupEvents += e.kind == QLatin1String("lock-group");
            waitsOnSecond += e.kind == QLatin1String("lock-wait") && e.message.startsWith(QStringLiteral("step 1:"));
        }
        QCOMPARE(groupEvents, 1);
        QCOMPARE(waitsOnSecond, 0);
        for (const auto& w : rec.lockWaits)
            QCOMPARE(w.first, 0);
        // Both effects are there: the column and its triggers.
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT count(*) FROM pg_attribute WHERE attrelid = 'big'::regclass AND attname = 'twice'")),
                 QStringLiteral("1"));
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'big'::regclass AND tgname LIKE 'lockstep_%'")),
                 QStringLiteral("2"));
    }

    void leavesOutWhatTheCatalogHas()
    {
        const QString db = freshDatabase(QStringLiteral("groups_done"));
        auto conn = lockstep::test::connect(db);
        createBigTable(*conn, 1000);
        const Plan plan = planFor(db, twiceChange());
        conn->execScript(plan.steps[0].sql);   // ADD COLUMN already there (e.g. a crash after its commit)
        QTemporaryDir dir;
        store::Journal journal(dir.filePath(QStringLiteral("j.sqlite")));
        const qint64 runId = run::createRun(journal, plan, db, Phase::Expand);
        const RunRecording rec = startRun(db, journal.path(), runId, run::RunOptions{});
        QVERIFY2(rec.outcome == QLatin1String("done"), qPrintable(rec.message));
        const auto steps = journal.steps(runId);
        QVERIFY2(steps[0].errorMessage.contains(QStringLiteral("already done")), qPrintable(steps[0].errorMessage));
        QCOMPARE(steps[1].state, store::StepState::Done);
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'big'::regclass AND tgname LIKE 'lockstep_%'")),
                 QStringLiteral("2"));
    }
};

QTEST_GUILESS_MAIN(TestLockGroups)
#include "test_lock_groups.moc"
