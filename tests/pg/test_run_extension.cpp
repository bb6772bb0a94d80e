// SPDX-License-Identifier: GPL-3.0-or-later
// What the run view adds to the core: a run stopped at the switch gate is extended through the switch and
// goes on from where it stopped; the gate's verification counts rows that still differ; a blocker's
// statement is cancelled with pg_cancel_backend.
#include "core/run/run_extension.h"
#include "core/run/switch_verification.h"
#include "tests/pg/test_runner_support.h"

#include <QTemporaryDir>
#include <QtTest>
#include <atomic>
#include <thread>

using namespace lockstep;
using namespace lockstep::test;

class TestRunExtension : public QObject {
    Q_OBJECT
private slots:
    void extendsThroughSwitchAndVerifies()
    {
        const QString db = freshDatabase(QStringLiteral("run_ext"));
        auto conn = lockstep::test::connect(db);
        createBigTable(*conn, 5000);
        const Plan plan = planFor(db, twiceChange());
        QTemporaryDir dir;
        const QString journalPath = dir.filePath(QStringLiteral("j.sqlite"));
        qint64 runId = 0;
        {
            store::Journal journal(journalPath);
            runId = run::createRun(journal, plan, db, Phase::Constrain);
        }
        RunRecording first = runOnThread(db, journalPath, runId, {});
        QCOMPARE(first.outcome, QStringLiteral("done"));
        const run::SwitchVerification after = run::verifySwitch(*conn, plan);
        QVERIFY(after.hasBackfill);
        QCOMPARE(after.rowsDiffering, qint64(0));
        QVERIFY(after.detail.contains(QLatin1String("0 row(s) where")));

        int switchIndex = -1;
        for (int i = 0; i < plan.steps.size(); ++i)
            if (plan.steps[i].phase == Phase::Switch)
                switchIndex = i;
        QVERIFY(switchIndex > 0);
        {
            store::Journal journal(journalPath);
            QCOMPARE(journal.steps(runId).size(), switchIndex);   // stored up to constrain only
        }

        // A plan that does not match the run is refused and nothing changes.
        Plan other = plan;
        other.steps[0].id = QStringLiteral("something_else");
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, run::extendRun(journalPath, runId, other, Phase::Switch));

        run::extendRun(journalPath, runId, plan, Phase::Switch);
        run::extendRun(journalPath, runId, plan, Phase::Switch);   // again: nothing to add
        {
            store::Journal journal(journalPath);
            const auto record = journal.run(runId);
            QCOMPARE(record->untilPhase, QStringLiteral("switch"));
            QCOMPARE(record->plan.steps.size(), switchIndex + 1);
            const auto steps = journal.steps(runId);
            QCOMPARE(steps.size(), switchIndex + 1);
            QCOMPARE(steps.last().state, store::StepState::Pending);
            QCOMPARE(steps.first().state, store::StepState::Done);
        }
        RunRecording second = runOnThread(db, journalPath, runId, {});
        QCOMPARE(second.outcome, QStringLiteral("done"));
        // Only the switch ran: the steps before it were not touched again.
        for (const auto& s : second.states)
            QCOMPARE(s.first, switchIndex);
        store::Journal journal(journalPath);
        QCOMPARE(journal.steps(runId).last().state, store::StepState::Done);

        // A row that drifts is counted.
        conn->exec(QStringLiteral("ALTER TABLE big DISABLE TRIGGER USER"));
        conn->exec(QStringLiteral("UPDATE big SET twice = 0 WHERE id <= 3"));
        QCOMPARE(run::verifySwitch(*conn, plan).rowsDiffering, qint64(3));
    }

    void cancelsABlockersStatement()
    {
        const QString db = freshDatabase(QStringLiteral("run_cancel"));
        auto victim = lockstep::test::connect(db);
        const int pid = victim->backendPid();
        std::atomic<bool> cancelled{false};
        std::thread t([&] {
            try {
                victim->exec(QStringLiteral("SELECT pg_sleep(60)"));
            } catch (const pg::PgException& e) {
                cancelled = e.error().sqlstate == QLatin1String("57014");
            }
        });
        auto conn = lockstep::test::connect(db);
        // Wait until the statement runs, then cancel it.
        QTRY_COMPARE_WITH_TIMEOUT(scalar(*conn, QStringLiteral("SELECT state FROM pg_stat_activity WHERE pid = %1").arg(pid)),
                                  QStringLiteral("active"), 5000);
        QVERIFY(run::cancelBackend(*conn, pid));
        t.join();
        QVERIFY(cancelled);
        QVERIFY(!run::cancelBackend(*conn, 999999));   // no such backend: nothing sent (a warning)
    }
};

QTEST_GUILESS_MAIN(TestRunExtension)
#include "test_run_extension.moc"
