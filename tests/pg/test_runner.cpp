// SPDX-License-Identifier: GPL-3.0-or-later
// The Runner on a real server: a full plan under concurrent writes (on its own QThread), DDL that waits for
// a lock held by another session, abort and resume from the checkpoint, the connection killed
// mid-backfill, and the backfill's speed next to a single UPDATE.
#include "core/run/batch_sizer.h"
#include "core/run/statement_splitter.h"
#include "tests/pg/test_runner_support.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QRegularExpression>
#include <QtTest>

#include <atomic>
#include <thread>

using namespace lockstep;
using namespace lockstep::test;

namespace {
constexpr int kRows = 200000;

void createOrders(pg::Connection& c, const QString& name, int rows)
{
    c.execScript(QStringLiteral(
        "CREATE TABLE %1 (id bigint PRIMARY KEY, qty integer NOT NULL, price numeric(10,2) NOT NULL, note text);"
        "INSERT INTO %1 SELECT g, g %% 97, (g %% 1000) / 10.0, 'row ' || g FROM generate_series(1, %2) g;"
        "ANALYZE %1;").arg(name).arg(rows).replace(QStringLiteral("%%"), QStringLiteral("%")));
}

NewColumnChange totalChange(const QString& table)
{
    NewColumnChange ch;
    ch.table = table;
    ch.column = QStringLiteral("total");
    ch.type = QStringLiteral("numeric(12,2)");
    ch.backfill = QStringLiteral("qty * price");
    ch.notNull = true;
    ch.index = true;
    ch.check = QStringLiteral("total >= 0");
    return ch;
}

QString mismatches(pg::Connection& c, const QString& table)
{
    return scalar(c, QStringLiteral("SELECT count(*) FROM %1 WHERE total IS DISTINCT FROM (qty * price)::numeric(12,2)").arg(table));
}

// Runs start() in this thread (signals arrive directly), `onProgress` may act on the run.
RunRecording runHere(run::Runner& runner, std::function<void(const run::Progress&)> onProgress = {})
{
    RunRecording rec;
    QObject context;
    record(runner, &rec, &context);
    if (onProgress)
        QObject::connect(&runner, &run::Runner::progress, &context, onProgress);
    runner.start();
    return rec;
}
} // namespace

class TestRunner : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { sharedCluster(); }

    void splitsWithTheParser()
    {
        const QStringList s = run::splitStatements(QStringLiteral(
            "SET lock_timeout = '1s'; CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $x$ BEGIN RETURN 1; END $x$;\n"
            "DO $$ BEGIN PERFORM 1; PERFORM 2; END $$; SELECT ';'"));
        QCOMPARE(s.size(), 4);
        QVERIFY(s[1].endsWith(QLatin1String("$x$")));
        QVERIFY(s[2].startsWith(QLatin1String("DO $$")));
        QCOMPARE(s[3], QStringLiteral("SELECT ';'"));
        QVERIFY_THROWS_EXCEPTION(run::SplitError, run::splitStatements(QStringLiteral("SELEC 1 FROM")));
    }

    void batchSizeSteersTowardTheTarget()
    {
        run::BatchSizer sizer;
        QCOMPARE(sizer.size(), 1000);
        sizer.record(30, 300);                 // ten times too fast: grows, but only 4x
        QCOMPARE(sizer.size(), 4000);
        sizer.record(150, 300);                // twice too fast: near the target, only 1.5x
        QCOMPARE(sizer.size(), 6000);
        sizer.record(600, 300);                // twice too slow: halves
        QCOMPARE(sizer.size(), 3000);
        sizer.record(6000, 300);               // 20x the target: cut at once to the ideal
        QCOMPARE(sizer.size(), 150);
        sizer.record(3000, 300);               // 10x the target: cut at once to the ideal
        QCOMPARE(sizer.size(), 100);           // (15, bounded below)
        for (int i = 0; i < 40; ++i)
            sizer.record(1, 300);
        QCOMPARE(sizer.size(), run::BatchSizer::kMax);
        run::BatchSizer shared;                // the pacer's 1 ms target, timed to the microsecond
        shared.record(0.25, 1.0);              // a quarter of the target: 4x
        QCOMPARE(shared.size(), 4000);
        shared.record(2.0, 1.0);               // twice the target: halves
        QCOMPARE(shared.size(), 2000);
    }

    // The whole plan through constrain while a writer inserts, updates and deletes all along.
    void fullPlanUnderWrites()
    {
        const QString db = freshDatabase(QStringLiteral("runner_full"));
        auto conn = lockstep::test::connect(db);
        createOrders(*conn, QStringLiteral("orders"), kRows);
        const QString cols = QStringLiteral("id, qty, price, note");
        const QString untouched = QStringLiteral("id > 50000 AND id <= %1").arg(kRows);
        const QString before = checksum(*conn, QStringLiteral("orders"), cols, QStringLiteral("id"), untouched);

        QTemporaryDir dir;
        store::Journal journal(dir.filePath(QStringLiteral("j.sqlite")));
        const Plan plan = planFor(db, totalChange(QStringLiteral("orders")));
        const qint64 runId = run::createRun(journal, plan, db, Phase::Constrain);

        std::atomic<bool> stop{false};
        std::atomic<int> writes{0}, writeErrors{0};
        std::thread writer([&] {
            auto w = pg::Connection::open(db);
            QRandomGenerator rng(7);
            qint64 nextId = 10000000;
            while (!stop) {
                try {
                    switch (rng.bounded(3)) {
                    case 0:
                        w->exec(QStringLiteral("INSERT INTO orders (id, qty, price, note) VALUES ($1, $2, $3, 'new')"),
                                {nextId++, rng.bounded(100), rng.bounded(10000) / 100.0});
                        break;
                    case 1:
                        w->exec(QStringLiteral("UPDATE orders SET qty = qty + 1, price = price + 0.5 WHERE id = $1"),
                                {rng.bounded(1, 50001)});
                        break;
                    default:
                        w->exec(QStringLiteral("DELETE FROM orders WHERE id = $1"), {rng.bounded(1, 50001)});
                    }
                    ++writes;
                } catch (const pg::PgException&) {
                    ++writeErrors;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
        });

        run::RunOptions options;
        options.targetBatchMs = 100;
        RunRecording rec;
        try {
            rec = runOnThread(db, journal.path(), runId, options);
        } catch (...) {
            stop = true;
            writer.join();
            throw;
        }
        stop = true;
        writer.join();
        qInfo("full plan under writes: %s (%s); writer did %d writes (%d errors), %d progress signals",
              qPrintable(rec.outcome), qPrintable(rec.message), int(writes), int(writeErrors), int(rec.progress.size()));
        QCOMPARE(rec.outcome, QStringLiteral("done"));
        QVERIFY(writes > 100);
        QVERIFY(!rec.progress.isEmpty());
        for (const run::Progress& p : rec.progress)
            QVERIFY(p.percent() <= 100.0 && p.rowsDone <= p.rowsTotal);
        QCOMPARE(mismatches(*conn, QStringLiteral("orders")), QStringLiteral("0"));
        QCOMPARE(checksum(*conn, QStringLiteral("orders"), cols, QStringLiteral("id"), untouched), before);
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT attnotnull FROM pg_attribute WHERE attrelid = 'orders'::regclass AND attname = 'total'")),
                 QStringLiteral("t"));
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT count(*) FROM pg_index WHERE indrelid = 'orders'::regclass AND indisvalid")),
                 QStringLiteral("2"));
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT count(*) FROM pg_constraint WHERE conrelid = 'orders'::regclass AND convalidated AND contype = 'c'")),
                 QStringLiteral("1"));
        for (const store::StepRecord& s : journal.steps(runId))
            QVERIFY2(s.state == store::StepState::Done, qPrintable(s.stepId));
        QCOMPARE(journal.run(runId)->state, store::RunState::Done);
    }

    // An open transaction holding ACCESS SHARE for ~5 s: ADD COLUMN retries with short waits first (never
    // queuing readers for longer than the attempt's lock_timeout) and completes once the blocker is gone.
    void waitsForLockWithoutQueuingReaders()
    {
        const QString db = freshDatabase(QStringLiteral("runner_lock"));
        auto conn = lockstep::test::connect(db);
        createOrders(*conn, QStringLiteral("orders"), 20000);
        QTemporaryDir dir;
        store::Journal journal(dir.filePath(QStringLiteral("j.sqlite")));
        const qint64 runId = run::createRun(journal, planFor(db, totalChange(QStringLiteral("orders"))), db, Phase::Expand);

        auto blocker = lockstep::test::connect(db);
        const int blockerPid = blocker->backendPid();
        blocker->exec(QStringLiteral("BEGIN"));
        blocker->exec(QStringLiteral("SELECT count(*) FROM orders WHERE id < 10"));
        std::thread release([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(5000));
            blocker->exec(QStringLiteral("COMMIT"));
        });
        std::atomic<bool> stop{false};
        std::atomic<qint64> worstMs{0};
        std::atomic<int> reads{0};
        std::thread reader([&] {
            auto r = pg::Connection::open(db);
            QElapsedTimer t;
            while (!stop) {
                t.start();
                r->exec(QStringLiteral("SELECT qty FROM orders WHERE id = $1"), {QRandomGenerator::global()->bounded(1, 20000)});
                worstMs = qMax<qint64>(worstMs, t.elapsed());
                ++reads;
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            }
        });

        run::RunOptions options;   // lock_timeout 1000 ms
        run::Runner runner(db, journal.path(), runId, options);
        QElapsedTimer total;
        total.start();
        const RunRecording rec = runHere(runner);
        const qint64 runMs = total.elapsed();
        stop = true;
        reader.join();
        release.join();
        qInfo("blocked expand: %s after %lld ms, %d lock waits, %d reads, worst read %lld ms", qPrintable(rec.outcome),
              static_cast<long long>(runMs), int(rec.lockWaits.size()), int(reads), static_cast<long long>(worstMs.load()));
        QCOMPARE(rec.outcome, QStringLiteral("done"));
        QVERIFY(runMs >= 4000);                               // it did wait for the blocker
        QVERIFY(!rec.lockWaits.isEmpty());
        bool named = false;
        for (const auto& w : rec.lockWaits) {
            QCOMPARE(w.first, 0);
            for (const run::BlockingSession& b : w.second)
                named = named || b.pid == blockerPid;
        }
        QVERIFY2(named, "waitingForLock never named the blocker's pid");
        const auto steps = journal.steps(runId);
        QVERIFY(steps[0].attempts > 1);
        QCOMPARE(steps[0].state, store::StepState::Done);
        // The waits climb the ladder: 20 ms first (what readers queued behind the request paid at most),
        // doubling every three failures; each failed attempt's event says what it waited.
        QStringList waits;
        for (const store::EventRecord& e : journal.events(runId)) {
            const QRegularExpressionMatch m = QRegularExpression(QStringLiteral("waited (\\d+) ms, this attempt's lock_timeout")).match(e.message);
            if (e.kind == QLatin1String("lock-wait") && m.hasMatch())
                waits << m.captured(1);
        }
        QVERIFY2(waits.size() >= 7, qPrintable(waits.join(QLatin1Char(' '))));
        QCOMPARE(waits.mid(0, 7), (QStringList{"20", "20", "20", "40", "40", "40", "80"}));
        QVERIFY(reads > 100);
        QVERIFY2(worstMs <= options.lockTimeoutMs + 100, qPrintable(QString::number(worstMs)));
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT count(*) FROM pg_attribute WHERE attrelid = 'orders'::regclass AND attname = 'total'")),
                 QStringLiteral("1"));
    }

    // Abort mid-backfill, then a new Runner on the same run continues from the checkpoint.
    void resumesFromCheckpoint()
    {
        const QString db = freshDatabase(QStringLiteral("runner_resume"));
        auto conn = lockstep::test::connect(db);
        createOrders(*conn, QStringLiteral("orders"), kRows);
        QTemporaryDir dir;
        store::Journal journal(dir.filePath(QStringLiteral("j.sqlite")));
        const Plan plan = planFor(db, totalChange(QStringLiteral("orders")));
        const qint64 runId = run::createRun(journal, plan, db, Phase::Constrain);
        int backfillIndex = -1;
        for (int i = 0; i < plan.steps.size(); ++i)
            if (plan.steps[i].backfill)
                backfillIndex = i;
        QVERIFY(backfillIndex > 0);

        run::RunOptions options;
        options.targetBatchMs = 30;
        run::Runner first(db, journal.path(), runId, options);
        const RunRecording one = runHere(first, [&first](const run::Progress& p) {
            if (p.rowsDone >= 60000)
                first.abort();
        });
        QCOMPARE(one.outcome, QStringLiteral("paused"));
        QCOMPARE(journal.run(runId)->state, store::RunState::Paused);
        const auto cp = journal.checkpoint(runId, backfillIndex);
        QVERIFY(cp.has_value());
        QVERIFY(cp->rowsDone >= 60000 && cp->rowsDone < kRows);
        const qint64 leftAtAbort = scalar(*conn, QStringLiteral("SELECT count(*) FROM orders WHERE total IS NULL")).toLongLong();
        QVERIFY(leftAtAbort > 0);

        run::Runner second(db, journal.path(), runId, options);
        const RunRecording two = runHere(second);
        QCOMPARE(two.outcome, QStringLiteral("done"));
        QVERIFY(!two.progress.isEmpty());
        QVERIFY(two.progress.first().rowsDone >= cp->rowsDone);   // it did not start over
        qint64 last = 0;
        for (const run::Progress& p : two.progress) {
            QVERIFY(p.rowsDone >= last);
            last = p.rowsDone;
        }
        QCOMPARE(last, qint64(kRows));   // every row filled exactly once across both runs
        QCOMPARE(mismatches(*conn, QStringLiteral("orders")), QStringLiteral("0"));
        // Steps before the backfill were not run again.
        for (const auto& s : two.states)
            QVERIFY(s.first >= backfillIndex);
    }

    // pg_terminate_backend of the runner's session mid-backfill: it reconnects and finishes.
    void survivesTerminatedConnection()
    {
        const QString db = freshDatabase(QStringLiteral("runner_kill"));
        auto conn = lockstep::test::connect(db);
        createOrders(*conn, QStringLiteral("orders"), kRows);
        QTemporaryDir dir;
        store::Journal journal(dir.filePath(QStringLiteral("j.sqlite")));
        const qint64 runId = run::createRun(journal, planFor(db, totalChange(QStringLiteral("orders"))), db, Phase::Constrain);

        run::RunOptions options;
        options.targetBatchMs = 30;
        run::Runner runner(db, journal.path(), runId, options);
        int killed = 0;
        const RunRecording rec = runHere(runner, [&](const run::Progress& p) {
            if (killed == 0 && p.rowsDone >= 50000) {
                killed = conn->exec(QStringLiteral("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                                   "WHERE application_name LIKE 'lockstep %' AND application_name NOT LIKE 'lockstep lock-queue%' "
                                                   "AND datname = current_database()"))
                             .value(0, 0).toInt();
            }
        });
        QCOMPARE(killed, 1);
        QCOMPARE(rec.outcome, QStringLiteral("done"));
        QCOMPARE(mismatches(*conn, QStringLiteral("orders")), QStringLiteral("0"));
        bool lost = false, back = false;
        for (const store::EventRecord& e : journal.events(runId)) {
            lost = lost || e.kind == QLatin1String("connection-lost");
            back = back || e.kind == QLatin1String("reconnected");
        }
        QVERIFY(lost && back);
    }

    // The user's pause, a rate cap and the throttle hook (the Monitor's replica lag later) hold the backfill.
    void throttles()
    {
        const QString db = freshDatabase(QStringLiteral("runner_throttle"));
        auto conn = lockstep::test::connect(db);
        createOrders(*conn, QStringLiteral("orders"), 50000);
        QTemporaryDir dir;
        store::Journal journal(dir.filePath(QStringLiteral("j.sqlite")));
        const qint64 runId = run::createRun(journal, planFor(db, totalChange(QStringLiteral("orders"))), db, Phase::Backfill);

        run::RunOptions options;
        options.targetBatchMs = 20;
        run::Runner runner(db, journal.path(), runId, options);
        runner.setMaxRowsPerSecond(40000);
        int hookCalls = 0;
        runner.setThrottleHook([&hookCalls]() -> std::optional<QString> {
            if (++hookCalls <= 5)
                return QStringLiteral("replica lag 3 s");
            return std::nullopt;
        });
        std::thread resumer;
        bool paused = false;
        const RunRecording rec = runHere(runner, [&](const run::Progress& p) {
            if (!paused && p.batches == 2) {
                paused = true;
                runner.pause();
                resumer = std::thread([&runner] {
                    std::this_thread::sleep_for(std::chrono::milliseconds(500));
                    runner.resumeRun();
                });
            }
        });
        if (resumer.joinable())
            resumer.join();
        QCOMPARE(rec.outcome, QStringLiteral("done"));
        QStringList reasons;
        for (const run::Progress& p : rec.progress)
            if (!p.throttleReason.isEmpty() && !reasons.contains(p.throttleReason))
                reasons << p.throttleReason;
        QVERIFY2(reasons.contains(QStringLiteral("replica lag 3 s")), qPrintable(reasons.join(QLatin1Char('|'))));
        QVERIFY2(reasons.contains(QStringLiteral("paused by the user")), qPrintable(reasons.join(QLatin1Char('|'))));
        QVERIFY2(reasons.contains(QStringLiteral("rate cap 40,000 rows/s")), qPrintable(reasons.join(QLatin1Char('|'))));
        bool throttledState = false;
        for (const auto& s : rec.states)
            throttledState = throttledState || s.second == QLatin1String("throttled");
        QVERIFY(throttledState);
        qint64 backfillMs = -1;
        for (const store::StepRecord& s : journal.steps(runId))
            if (s.stepId == QLatin1String("backfill"))
                backfillMs = s.startedAt.msecsTo(s.endedAt);
        qInfo("throttled backfill of 50000 rows took %lld ms (cap 40000 rows/s, 500 ms pause)", static_cast<long long>(backfillMs));
        QVERIFY(backfillMs >= 1000 + 500);
        QCOMPARE(mismatches(*conn, QStringLiteral("orders")), QStringLiteral("0"));
    }

    // Figures only: the batched backfill against one UPDATE of the whole table.
    void backfillSpeedFigures()
    {
        const QString db = freshDatabase(QStringLiteral("runner_speed"));
        auto conn = lockstep::test::connect(db);
        createOrders(*conn, QStringLiteral("orders"), kRows);
        createOrders(*conn, QStringLiteral("orders_copy"), kRows);
        QTemporaryDir dir;
        store::Journal journal(dir.filePath(QStringLiteral("j.sqlite")));
        const qint64 runId = run::createRun(journal, planFor(db, totalChange(QStringLiteral("orders"))), db, Phase::Backfill);
        run::Runner runner(db, journal.path(), runId, run::RunOptions{});
        QElapsedTimer batches;   // from the first progress signal (after the initial count) to the last
        qint64 batchesMs = 0;
        const RunRecording rec = runHere(runner, [&](const run::Progress& p) {
            if (!batches.isValid())
                batches.start();
            if (p.rowsDone > 0)
                batchesMs = batches.elapsed();
        });
        QCOMPARE(rec.outcome, QStringLiteral("done"));
        QCOMPARE(mismatches(*conn, QStringLiteral("orders")), QStringLiteral("0"));
        // The backfill step's own time (its start includes counting the rows still to fill).
        qint64 backfillMs = -1;
        for (const store::StepRecord& s : journal.steps(runId))
            if (s.stepId == QLatin1String("backfill"))
                backfillMs = s.startedAt.msecsTo(s.endedAt);
        const run::Progress last = rec.progress.last();
        QElapsedTimer t;

        conn->exec(QStringLiteral("ALTER TABLE orders_copy ADD COLUMN total numeric(12,2)"));
        t.start();
        conn->exec(QStringLiteral("UPDATE orders_copy SET total = (qty * price)::numeric(12,2)"));
        const qint64 singleMs = t.elapsed();
        const double stepRate = last.rowsDone * 1000.0 / qMax<qint64>(1, backfillMs);
        const double batchedRate = last.rowsDone * 1000.0 / qMax<qint64>(1, batchesMs);
        const double singleRate = kRows * 1000.0 / qMax<qint64>(1, singleMs);
        qInfo("backfill of %d rows: %lld batches, %.0f rows/s in batches (%.0f rows/s for the whole step, with its "
              "initial count); final batch size %d, target %d ms; single UPDATE: %.0f rows/s; ratio %.2f (step %.2f)",
              kRows, static_cast<long long>(last.batches), batchedRate, stepRate, last.batchRows,
              run::RunOptions{}.targetBatchMs, singleRate, batchedRate / singleRate, stepRate / singleRate);
        QCOMPARE(last.rowsDone, qint64(kRows));
    }
};

QTEST_GUILESS_MAIN(TestRunner)
#include "test_runner.moc"
