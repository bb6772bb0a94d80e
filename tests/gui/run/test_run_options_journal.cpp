// SPDX-License-Identifier: GPL-3.0-or-later
// The window's run controller keeps a run's own options: opening a journaled run takes them (rate cap,
// batch target, lag limit, pacing) instead of the window's defaults, and a knob turned during the run is
// written back, so a later resume -- here or with the CLI -- continues with it.
#include "core/run/run_creation.h"
#include "core/run/run_options_json.h"
#include "core/store/journal.h"
#include "ui/run/run_controller.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace lockstep;

class TestRunOptionsJournal : public QObject {
    Q_OBJECT
private slots:
    void openedRunUsesItsOwnOptionsAndKeepsKnobs()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("j.sqlite"));
        qint64 runId = 0;
        {
            store::Journal journal(path);
            Plan plan;
            plan.table = QStringLiteral("public.orders");
            Step step;
            step.id = QStringLiteral("add_column");
            step.sql = QStringLiteral("ALTER TABLE public.orders ADD COLUMN x int;");
            plan.steps << step;
            runId = run::createRun(journal, plan, QStringLiteral("dbname=none"), Phase::Constrain);
            run::JournaledOptions started;
            started.run.maxRowsPerSecond = 30000;
            started.run.targetBatchMs = 150;
            started.run.yieldToTraffic = false;
            started.maxLagSeconds = 2.5;
            journal.setRunOptions(runId, run::optionsToJson(started));
        }
        ui::RunController controller;
        controller.setJournalPath(path);
        QString error;
        QVERIFY2(controller.attachRun(runId, &error), qPrintable(error));
        QCOMPARE(controller.options().maxRowsPerSecond, 30000);
        QCOMPARE(controller.options().targetBatchMs, 150);
        QCOMPARE(controller.options().yieldToTraffic, false);
        QCOMPARE(controller.options().lockTimeoutMs, run::RunOptions{}.lockTimeoutMs);

        // A knob turned: journaled once it rests.
        controller.setMaxRowsPerSecond(5000);
        controller.setMaxRowsPerSecond(8000);
        QTRY_COMPARE_WITH_TIMEOUT(store::Journal(path).run(runId)->options.value(QStringLiteral("max_rows_per_sec")).toInt(), 8000, 5000);
        const QJsonObject after = store::Journal(path).run(runId)->options;
        QCOMPARE(after.value(QStringLiteral("target_batch_ms")).toInt(), 150);
        QCOMPARE(after.value(QStringLiteral("max_lag_ms")).toInt(), 2500);

        // A run journaled before options were kept: the window's own.
        qint64 older = 0;
        {
            store::Journal journal(path);
            older = run::createRun(journal, store::Journal(path).run(runId)->plan, QStringLiteral("dbname=none"), Phase::Constrain);
        }
        ui::RunController fresh;
        fresh.setJournalPath(path);
        QVERIFY(fresh.attachRun(older, &error));
        QCOMPARE(fresh.options().maxRowsPerSecond, run::RunOptions{}.maxRowsPerSecond);
    }
};

QTEST_MAIN(TestRunOptionsJournal)
#include "test_run_options_journal.moc"
