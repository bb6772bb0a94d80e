// SPDX-License-Identifier: GPL-3.0-or-later
// The History tab on a journal written by real runs against a private PostgreSQL with a streaming replica:
// one run finished through RunSession (as the GUI drives it), one `lockstep run` killed with SIGKILL in the
// middle of its backfill (cut off: its owner process is gone), one left "running" by this live process.
// The list shows them newest first; selecting one replays its journaled samples into the charts; only the
// cut-off run offers Resume and Rollback, and the buttons ask for its id.
#include "core/pg/server_key.h"
#include "core/run/run_session.h"
#include "core/store/run_history.h"
#include "tests/gui/gui_shots.h"
#include "tests/pg/test_runner_support.h"
#include "ui/history/history_view.h"
#include "ui/charts/run_charts.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QLabel>
#include <QMainWindow>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

#include <csignal>

using namespace lockstep;
using namespace lockstep::test;

class TestHistoryView : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        run::registerRunMetaTypes();
        LocalClusterOptions options;
        options.withReplica = true;
        options.settings << QStringLiteral("wal_receiver_status_interval=1s");
        sharedClusterWith(options);
        QVERIFY(m_dir.isValid());
        m_journal = m_dir.filePath(QStringLiteral("history.sqlite"));
    }

    void missingJournalIsNotCreated()
    {
        ui::HistoryView view;
        const QString path = m_dir.filePath(QStringLiteral("absent/journal.sqlite"));
        view.setJournalPath(path);
        QCOMPARE(view.runCount(), 0);
        QVERIFY(!QFileInfo::exists(path));
        QVERIFY(view.findChild<QLabel*>(QStringLiteral("historyStatus"))->text().contains(QLatin1String("does not exist")));
        QVERIFY(!view.canResume());
        QVERIFY(!view.canRollback());
    }

    void finishedRunThroughRunSession()
    {
        const QString db = freshDatabase(QStringLiteral("history_done"));
        auto conn = lockstep::test::connect(db);
        createBigTable(*conn, 150000, /*padded=*/true);
        {
            store::Journal journal(m_journal);
            m_doneRun = run::createRun(journal, planFor(db, twiceChange()), db, Phase::Switch);
        }
        run::RunOptions options;
        options.targetBatchMs = 50;
        options.maxRowsPerSecond = 40000;   // a few seconds: several monitor samples
        run::RunSession session(db, m_journal, m_doneRun, options, /*maxLagSeconds=*/5.0);
        QString outcome;
        QEventLoop loop;
        connect(&session, &run::RunSession::finished, &loop, [&](const QString& o, const QString&) {
            outcome = o;
            loop.quit();
        });
        QTimer::singleShot(180000, &loop, &QEventLoop::quit);
        session.start(run::RunSession::Action::Start);
        loop.exec();
        QCOMPARE(outcome, QStringLiteral("done"));
    }

    void cutOffRunKilledWithSigkill()
    {
        const QString db = freshDatabase(QStringLiteral("history_cut"));
        auto conn = lockstep::test::connect(db);
        createBigTable(*conn, 400000);
        QProcess proc;
        proc.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        proc.start(QStringLiteral(LOCKSTEP_BINARY),
                   {"run", "--db", db, "--journal", m_journal, "--table", "big", "--add-column", "twice", "--type",
                    "bigint", "--backfill", "qty * 2", "--not-null", "--max-rows-per-sec", "40000"});
        QVERIFY(proc.waitForStarted(10000));
        // Kill it once its backfill has a checkpoint well under way.
        QElapsedTimer clock;
        clock.start();
        bool midway = false;
        while (!midway && clock.elapsed() < 90000 && proc.state() != QProcess::NotRunning) {
            QTest::qWait(100);
            store::Journal journal(m_journal);
            for (const store::RunRecord& r : journal.runs()) {
                if (r.id == m_doneRun)
                    continue;
                m_cutRun = r.id;
                for (const store::StepRecord& s : journal.steps(r.id))
                    if (auto cp = journal.checkpoint(r.id, s.index); cp && cp->rowsDone > 60000)
                        midway = true;
            }
        }
        QVERIFY2(midway, "the CLI run never got half-way into its backfill");
        m_cutPid = proc.processId();
        ::kill(pid_t(m_cutPid), SIGKILL);
        QVERIFY(proc.waitForFinished(10000));
        QCOMPARE(proc.exitStatus(), QProcess::CrashExit);

        // A third run, owned by this live process and still "running": no Resume, no Rollback.
        store::Journal journal(m_journal);
        m_liveRun = journal.createRun(journal.run(m_doneRun)->plan, db, QStringLiteral("15"), QStringLiteral("constrain"));
    }

    void listsRunsAndReplaysTheirSamples()
    {
        QVERIFY(m_doneRun > 0 && m_cutRun > 0 && m_liveRun > 0);
        QMainWindow window;
        auto* view = new ui::HistoryView;
        window.setCentralWidget(view);
        window.resize(1600, 1000);
        window.show();
        QSignalSpy resumes(view, &ui::HistoryView::resumeRequested);
        QSignalSpy rollbacks(view, &ui::HistoryView::rollbackRequested);
        view->setJournalPath(m_journal);
        QCOMPARE(view->runCount(), 3);
        auto* list = view->findChild<QTreeWidget*>(QStringLiteral("historyRuns"));
        QCOMPARE(list->topLevelItem(0)->text(0), QString::number(m_liveRun));   // newest first
        QCOMPARE(view->selectedRunId(), m_liveRun);
        QVERIFY(!view->canResume());
        QVERIFY(!view->canRollback());

        store::Journal journal(m_journal);
        // The finished run: its samples replayed one for one, a mark per started step, the replica by name.
        QVERIFY(view->selectRun(m_doneRun));
        const int journaled = journal.samples(m_doneRun).size();
        QVERIFY2(journaled >= 4, qPrintable(QString::number(journaled)));
        QCOMPARE(view->charts()->sampleCount(), journaled);
        QVERIFY(!view->charts()->isLive());
        int started = 0;
        for (const store::StepRecord& s : journal.steps(m_doneRun))
            started += s.startedAt.isValid() ? 1 : 0;
        QVERIFY(started >= 3);
        QCOMPARE(view->charts()->stepMarkCount(), started);
        QVERIFY(!view->charts()->replicaNames().isEmpty());
        QVERIFY(view->charts()->progressCount() >= 2);   // from the checkpoint at least
        QVERIFY(view->charts()->emptyText(ui::RunCharts::Chart::Backfill).isEmpty());
        auto* steps = view->findChild<QTreeWidget*>(QStringLiteral("historySteps"));
        QCOMPARE(steps->topLevelItemCount(), journal.steps(m_doneRun).size());
        QCOMPARE(steps->topLevelItem(0)->text(3), QStringLiteral("done"));
        QVERIFY(!view->canResume());
        QVERIFY(!view->canRollback());
        QVERIFY(view->findChild<QPushButton*>(QStringLiteral("resumeButton"))->toolTip().contains(QLatin1String("finished")));
        saveShots(&window, QStringLiteral("history_done"));

        // The run whose process was killed, seen from a window connected elsewhere (its server may be gone):
        // the list names its server, and neither Resume nor Rollback is offered, with the reason.
        const QString cutServer = pg::serverKey(journal.run(m_cutRun)->conninfo);
        view->setCurrentServer(QStringLiteral("nobody@gone.example:5432/nothing"));
        QVERIFY(view->selectRun(m_cutRun));
        QCOMPARE(list->currentItem()->text(5), cutServer);
        QVERIFY(!view->canResume());
        QVERIFY(!view->canRollback());
        const QString elsewhere = view->findChild<QLabel*>(QStringLiteral("historyStatus"))->text();
        QVERIFY2(elsewhere.startsWith(QLatin1String("Cut off. Run ")) && elsewhere.contains(cutServer)
                     && elsewhere.contains(QLatin1String("this window is connected to nobody@gone.example:5432/nothing")),
                 qPrintable(elsewhere));
        saveShots(&window, QStringLiteral("history_other_server"));

        // Connected to its server: cut off, both offered, and they name the run.
        view->setCurrentServer(cutServer);
        QVERIFY(view->selectRun(m_cutRun));
        QCOMPARE(view->charts()->sampleCount(), journal.samples(m_cutRun).size());
        const QString status = view->findChild<QLabel*>(QStringLiteral("historyStatus"))->text();
        QVERIFY2(status.contains(QLatin1String("Cut off")) && status.contains(QString::number(m_cutPid)), qPrintable(status));
        QVERIFY(view->canResume());
        QVERIFY(view->canRollback());
        QTest::mouseClick(view->findChild<QPushButton*>(QStringLiteral("resumeButton")), Qt::LeftButton);
        QTest::mouseClick(view->findChild<QPushButton*>(QStringLiteral("rollbackButton")), Qt::LeftButton);
        QCOMPARE(resumes.size(), 1);
        QCOMPARE(resumes.first().first().toLongLong(), m_cutRun);
        QCOMPARE(rollbacks.size(), 1);
        QCOMPARE(rollbacks.first().first().toLongLong(), m_cutRun);
        saveShots(&window, QStringLiteral("history_cut_off"));

        // Reload keeps the selection; the live run stays closed to both.
        view->reload();
        QCOMPARE(view->selectedRunId(), m_cutRun);
        QVERIFY(view->selectRun(m_liveRun));
        QVERIFY(!view->canResume());
        QVERIFY(!view->canRollback());
        QVERIFY(view->charts()->emptyText(ui::RunCharts::Chart::Locks).contains(QLatin1String("No monitor samples")));

        // A run done until constrain waits at the switch gate: never listed as "done"; it is opened at the gate
        // (continue through the switch there) or rolled back, never started again.
        const qint64 parked = journal.createRun(journal.run(m_doneRun)->plan.until(Phase::Constrain), journal.run(m_doneRun)->conninfo,
                                                QStringLiteral("15"), QStringLiteral("constrain"));
        journal.setRunState(parked, store::RunState::Done);
        view->setCurrentServer(pg::serverKey(journal.run(parked)->conninfo));
        QVERIFY(view->selectRun(parked));
        QCOMPARE(list->topLevelItem(0)->text(2), QStringLiteral("at the switch gate"));
        const QString parkedStatus = view->findChild<QLabel*>(QStringLiteral("historyStatus"))->text();
        QVERIFY2(parkedStatus.startsWith(QLatin1String("Parked at the switch gate")), qPrintable(parkedStatus));
        QVERIFY(view->canResume());
        QVERIFY(view->canRollback());
        QCOMPARE(view->findChild<QPushButton*>(QStringLiteral("resumeButton"))->text(), QStringLiteral("Open at the gate"));
        saveShots(&window, QStringLiteral("history_parked_at_gate"));
    }

private:
    QTemporaryDir m_dir;
    QString m_journal;
    qint64 m_doneRun = 0;
    qint64 m_cutRun = 0;
    qint64 m_liveRun = 0;
    qint64 m_cutPid = 0;
};

QTEST_MAIN(TestHistoryView)
#include "test_history_view.moc"
