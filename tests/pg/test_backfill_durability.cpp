// SPDX-License-Identifier: GPL-3.0-or-later
// Alone on the server the backfill commits its batches without waiting for the WAL flush (while others
// write, in the session's own mode), and journals a batch only once its WAL is on disk: the journal never
// claims a batch a server crash could take back. The session's own synchronous_commit is back after the
// walk, finished or stopped.
#include "core/run/backfill.h"
#include "tests/pg/test_runner_support.h"

#include <QTemporaryDir>
#include <QtTest>

#include <memory>
#include <optional>

using namespace lockstep;
using namespace lockstep::test;

namespace {
constexpr int kRows = 60000;

// big(id, qty) with its expand steps' SQL run (column and triggers), the backfill still to do, and a
// session in a given synchronous_commit mode to walk it with.
struct Expanded {
    QTemporaryDir dir;
    store::Journal journal{dir.filePath(QStringLiteral("j.sqlite"))};
    QString db;
    Plan plan;
    int backfillIndex = -1;
    qint64 runId = 0;
    std::unique_ptr<pg::Connection> work;

    Expanded(const QString& prefix, const QString& syncCommit)
    {
        db = freshDatabase(prefix);
        auto conn = lockstep::test::connect(db);
        createBigTable(*conn, kRows);
        plan = expandTwice(*conn, db);
        runId = run::createRun(journal, plan, db, Phase::Backfill);
        for (int i = 0; i < plan.steps.size(); ++i) {
            if (plan.steps[i].backfill)
                backfillIndex = i;
        }
        work = lockstep::test::connect(db);
        work->exec(QStringLiteral("SELECT set_config('synchronous_commit', $1, false)"), {syncCommit});
    }
    QString syncCommit() { return work->exec(QStringLiteral("SHOW synchronous_commit")).value(0, 0); }
    // After the walk: the BEFORE UPDATE trigger swapped in and rows the writers updated meanwhile recomputed.
    void finishSync()
    {
        for (const Step& s : plan.steps)
            if (s.phase == Phase::Backfill && !s.backfill)
                work->execScript(s.sql);
    }
    std::optional<store::Checkpoint> checkpoint() const { return journal.checkpoint(runId, backfillIndex); }
    // The options and control must outlive the Backfill.
    std::unique_ptr<run::Backfill> walker(const run::RunOptions& options, const run::RunControl& control,
                                          run::Backfill::Callbacks cb)
    {
        return std::make_unique<run::Backfill>(*work, journal, runId, backfillIndex, *plan.steps[backfillIndex].backfill,
                                               plan.table, options, control, std::move(cb));
    }
};

qint64 unfilledUpTo(pg::Connection& c, const QString& lastKey)
{
    return c.exec(QStringLiteral("SELECT count(*) FROM big WHERE id <= $1::bigint AND twice IS DISTINCT FROM qty * 2"), {lastKey})
        .value(0, 0)
        .toLongLong();
}
} // namespace

class TestBackfillDurability : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { sharedCluster(); }

    void commitsAsynchronouslyAndRestoresTheSession()
    {
        Expanded big(QStringLiteral("durable_async"), QStringLiteral("local"));
        QVERIFY(big.backfillIndex > 0);
        run::RunOptions options;
        options.targetBatchMs = 20;   // many batches
        run::RunControl control(options);
        QStringList modes;
        bool journalAhead = false;
        run::Backfill::Callbacks cb;
        cb.progress = [&](const run::Progress& p) {
            modes << big.syncCommit();
            if (const auto cp = big.checkpoint())
                journalAhead = journalAhead || cp->rowsDone > p.rowsDone;
        };
        big.walker(options, control, cb)->run();

        QVERIFY2(modes.size() > 5, qPrintable(QString::number(modes.size())));
        // Every batch ran asynchronous; the last report comes after the walk, with the session's mode back.
        QCOMPARE(modes.count(QStringLiteral("off")), modes.size() - 1);
        QCOMPARE(modes.last(), QStringLiteral("local"));
        QVERIFY(!journalAhead);
        QCOMPARE(big.syncCommit(), QStringLiteral("local"));
        const auto cp = big.checkpoint();
        QVERIFY(cp.has_value());
        QCOMPARE(cp->rowsDone, qint64(kRows));
        QCOMPARE(cp->lastKey, QStringList{QString::number(kRows)});
        QCOMPARE(bigMismatches(*big.work), QStringLiteral("0"));
    }

    // With writers on the table the pacer yields, and then the batches commit in the session's own mode:
    // the flush wait is a pause that costs no CPU, and our WAL is not left to the writers' commits.
    void sharingCommitsInTheSessionsMode()
    {
        Expanded big(QStringLiteral("durable_sharing"), QStringLiteral("local"));
        BigTableWriters writers(big.db, 2, kRows);
        QThread::msleep(500);
        run::RunOptions options;
        options.maxRowsPerSecond = 20000;   // about 3 s: time for the pacer to see the writers
        run::RunControl control(options);
        int sharing = 0, sharingInSessionMode = 0;
        run::Backfill::Callbacks cb;
        cb.progress = [&](const run::Progress& p) {
            if (p.pace.isEmpty())
                return;
            ++sharing;
            if (big.syncCommit() == QLatin1String("local"))
                ++sharingInSessionMode;
        };
        const auto backfill = big.walker(options, control, cb);
        backfill->run();
        writers.stop();
        QVERIFY2(sharing > 3, qPrintable(QString::number(sharing)));
        QCOMPARE(sharingInSessionMode, sharing);
        QCOMPARE(big.checkpoint()->rowsDone, backfill->progress().rowsDone);
        big.finishSync();
        QCOMPARE(bigMismatches(*big.work), QStringLiteral("0"));
    }

    void stoppedWalkJournalsItsLastBatch()
    {
        Expanded big(QStringLiteral("durable_abort"), QStringLiteral("remote_write"));
        run::RunOptions options;
        options.targetBatchMs = 20;
        run::RunControl control(options);
        run::Backfill::Callbacks cb;
        cb.progress = [&](const run::Progress& p) {
            if (p.rowsDone >= 20000)
                control.abort();
        };
        const auto backfill = big.walker(options, control, cb);
        bool aborted = false;
        try {
            backfill->run();
        } catch (const run::Aborted&) {
            aborted = true;
        }
        QVERIFY(aborted);
        QCOMPARE(big.syncCommit(), QStringLiteral("remote_write"));
        const auto cp = big.checkpoint();
        QVERIFY(cp.has_value());
        QCOMPARE(cp->rowsDone, backfill->progress().rowsDone);   // the stop made the last batch durable and journaled it
        QVERIFY(cp->rowsDone >= 20000 && cp->rowsDone < kRows);
        QCOMPARE(unfilledUpTo(*big.work, cp->lastKey.value(0)), qint64(0));
        QCOMPARE(scalar(*big.work, QStringLiteral("SELECT count(*) FROM big WHERE twice IS NULL")),
                 QString::number(kRows - cp->rowsDone));
    }

    // A crash (immediate shutdown) mid-walk: what the journal holds is on disk after recovery, and the
    // Runner reconnects, resumes and ends with every row right.
    void crashLosesNothingJournaled()
    {
        const QString db = freshDatabase(QStringLiteral("durable_crash"));
        auto conn = lockstep::test::connect(db);
        createBigTable(*conn, 150000);
        conn.reset();
        QTemporaryDir dir;
        store::Journal journal(dir.filePath(QStringLiteral("j.sqlite")));
        const Plan plan = planFor(db, twiceChange());
        const qint64 runId = run::createRun(journal, plan, db, Phase::Backfill);
        int backfillIndex = -1;
        for (int i = 0; i < plan.steps.size(); ++i)
            if (plan.steps[i].backfill)
                backfillIndex = i;

        run::RunOptions options;
        options.targetBatchMs = 30;
        run::Runner runner(db, journal.path(), runId, options);
        RunRecording rec;
        QObject context;
        record(runner, &rec, &context);
        std::optional<store::Checkpoint> atCrash;
        qint64 unfilledBehindJournal = -1;
        QObject::connect(&runner, &run::Runner::progress, &context, [&](const run::Progress& p) {
            if (atCrash || p.rowsDone < 40000)
                return;
            sharedCluster().restartImmediate();
            atCrash = journal.checkpoint(runId, backfillIndex);
            auto after = lockstep::test::connect(db);
            unfilledBehindJournal = atCrash ? unfilledUpTo(*after, atCrash->lastKey.value(0)) : -1;
        });
        runner.start();
        QVERIFY2(atCrash.has_value(), "the crash did not land mid-backfill");
        QVERIFY(atCrash->rowsDone > 0 && atCrash->rowsDone < 150000);
        QCOMPARE(unfilledBehindJournal, qint64(0));
        QCOMPARE(rec.outcome, QStringLiteral("done"));
        conn = lockstep::test::connect(db);
        QCOMPARE(bigMismatches(*conn), QStringLiteral("0"));
    }
};

QTEST_GUILESS_MAIN(TestBackfillDurability)
#include "test_backfill_durability.moc"
