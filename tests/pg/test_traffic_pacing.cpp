// SPDX-License-Identifier: GPL-3.0-or-later
// The backfill yields to other sessions' writes (TrafficPacer, fed by the server's transaction ids): alone
// it runs at the user's batch target, with a writer on the table it says so, takes short batches and
// pauses; --full-speed (yieldToTraffic = false) never yields. The data ends right either way.
#include "tests/pg/test_runner_support.h"

#include <QTemporaryDir>
#include <QtTest>

#include <thread>

using namespace lockstep;
using namespace lockstep::test;

namespace {
constexpr int kRows = 100000;

struct Outcome {
    RunRecording rec;
    int writes = 0;
    int writeErrors = 0;
    int pacedProgress = 0;     // progress signals that carried a pace note
    int largestBatchRows = 0;
};

// big(id, qty) backfilled with twice = qty * 2 up to the end of the backfill; with `writers`, that many
// sessions update random rows of the table all along.
Outcome backfill(const QString& db, const QString& journalPath, int writers, bool yield)
{
    auto conn = lockstep::test::connect(db);
    createBigTable(*conn, kRows);
    store::Journal journal(journalPath);
    const qint64 runId = run::createRun(journal, planFor(db, twiceChange()), db, Phase::Backfill);
    BigTableWriters writersOnTable(db, writers, kRows);
    std::this_thread::sleep_for(std::chrono::milliseconds(writers > 0 ? 500 : 0));
    run::RunOptions options;
    options.yieldToTraffic = yield;
    Outcome out;
    out.rec = runOnThread(db, journalPath, runId, options);
    writersOnTable.stop();
    out.writes = writersOnTable.writes();
    out.writeErrors = writersOnTable.errors();
    for (const run::Progress& p : out.rec.progress) {
        if (!p.pace.isEmpty())
            ++out.pacedProgress;
        out.largestBatchRows = qMax(out.largestBatchRows, p.batchRows);
    }
    return out;
}

QString mismatches(const QString& db)
{
    auto conn = lockstep::test::connect(db);
    return bigMismatches(*conn);
}
} // namespace

class TestTrafficPacing : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { sharedCluster(); }

    void aloneItNeverYields()
    {
        const QString db = freshDatabase(QStringLiteral("pacing_alone"));
        QTemporaryDir dir;
        const Outcome o = backfill(db, dir.filePath(QStringLiteral("j.sqlite")), 0, true);
        QCOMPARE(o.rec.outcome, QStringLiteral("done"));
        QVERIFY(!o.rec.progress.isEmpty());
        QCOMPARE(o.pacedProgress, 0);
        QCOMPARE(mismatches(db), QStringLiteral("0"));
    }

    void othersWritingMakeItYield()
    {
        const QString db = freshDatabase(QStringLiteral("pacing_busy"));
        QTemporaryDir dir;
        const Outcome o = backfill(db, dir.filePath(QStringLiteral("j.sqlite")), 2, true);
        qInfo("with writers: %d writes (%d errors), %d of %d progress signals paced, largest batch %d rows",
              o.writes, o.writeErrors, o.pacedProgress, int(o.rec.progress.size()), o.largestBatchRows);
        QCOMPARE(o.rec.outcome, QStringLiteral("done"));
        QVERIFY(o.writes > 100);
        QCOMPARE(o.writeErrors, 0);
        QVERIFY2(o.pacedProgress > 0, "the backfill never said it yielded to the writers");
        const run::Progress* paced = nullptr;
        for (const run::Progress& p : o.rec.progress)
            if (!p.pace.isEmpty())
                paced = &p;
        QVERIFY(paced->pace.contains(QLatin1String("writes/s")));
        QVERIFY(paced->throttleReason.isEmpty());   // yielding is not being held
        QCOMPARE(mismatches(db), QStringLiteral("0"));
    }

    void fullSpeedIgnoresThem()
    {
        const QString db = freshDatabase(QStringLiteral("pacing_full"));
        QTemporaryDir dir;
        const Outcome o = backfill(db, dir.filePath(QStringLiteral("j.sqlite")), 2, false);
        QCOMPARE(o.rec.outcome, QStringLiteral("done"));
        QVERIFY(o.writes > 0);
        QCOMPARE(o.pacedProgress, 0);
        QCOMPARE(mismatches(db), QStringLiteral("0"));
    }
};

QTEST_GUILESS_MAIN(TestTrafficPacing)
#include "test_traffic_pacing.moc"
