// SPDX-License-Identifier: GPL-3.0-or-later
// TrafficPacer: how the backfill tells other sessions' writes from its own and what it does about them.
#include "core/run/traffic_pacer.h"

#include <QtTest>

using namespace lockstep::run;

class TestTrafficPacer : public QObject {
    Q_OBJECT
private slots:
    void aloneItRunsAtTheUsersTarget()
    {
        TrafficPacer p;
        quint64 xid = 1000;
        // 20 batches/s, each one transaction id of our own: nobody else.
        for (int i = 0; i <= 40; ++i) {
            p.sample(i * 50, xid, i == 0 ? 0 : 1);
            xid += 1;
        }
        QVERIFY(!p.sharing());
        QCOMPARE(p.othersWritesPerSecond(), 0.0);
        QCOMPARE(p.targetBatchMs(300), 300.0);
        QCOMPARE(p.pauseAfterBatchMs(300), 0.0);
        QVERIFY(p.reason().isEmpty());
    }

    void othersWritingMakeItShortAndPause()
    {
        TrafficPacer p;
        quint64 xid = 5000;
        // Every 100 ms: our batch (1 xid) and 40 of others' = 400 writes/s.
        for (int i = 0; i <= 10; ++i) {
            p.sample(i * 100, xid, i == 0 ? 0 : 1);
            xid += 41;
        }
        QVERIFY(p.sharing());
        QVERIFY2(qAbs(p.othersWritesPerSecond() - 400) < 1, qPrintable(QString::number(p.othersWritesPerSecond())));
        QCOMPARE(p.targetBatchMs(300), TrafficPacer::kSharingBatchMs);
        QCOMPARE(p.targetBatchMs(1), qMin(1.0, TrafficPacer::kSharingBatchMs));   // never above the user's own
        QCOMPARE(p.pauseAfterBatchMs(30), 30 * TrafficPacer::kSharingPauseRatio);
        QCOMPARE(p.pauseAfterBatchMs(0.6), 0.6 * TrafficPacer::kSharingPauseRatio);   // a short batch still pauses
        QVERIFY(p.reason().contains(QLatin1String("400 writes/s")));
    }

    void aShortWindowKeepsTheVerdict()
    {
        TrafficPacer p;
        // No verdict yet: yields as if others wrote.
        QVERIFY(p.yielding());
        QCOMPARE(p.targetBatchMs(300), TrafficPacer::kSharingBatchMs);
        QCOMPARE(p.pauseAfterBatchMs(0.5), 0.5 * TrafficPacer::kSharingPauseRatio);
        p.sample(0, 100, 0);
        p.sample(TrafficPacer::kMinWindowMs - 10, 100, 0);   // nothing from others, but not yet a window
        QVERIFY(!p.sharing());
        QVERIFY(p.yielding());
        p.sample(TrafficPacer::kMinWindowMs, 100, 0);          // a window without others: alone, full batches
        QVERIFY(!p.yielding());
        QCOMPARE(p.targetBatchMs(300), 300.0);
        QCOMPARE(p.pauseAfterBatchMs(300), 0.0);
        p.sample(TrafficPacer::kMinWindowMs + 20, 300, 0);     // 200 more in 20 ms: the window says others write
        QVERIFY(p.sharing());
        QVERIFY(p.yielding());
    }

    void aWalkStartingUnderTrafficYieldsAtOnce()
    {
        TrafficPacer p;
        quint64 xid = 1;
        // 400 writes/s of others and our own batch every 2 ms: never a full-size batch on the way in.
        for (qint64 t = 0; t <= 2 * TrafficPacer::kMinWindowMs; t += 2) {
            QCOMPARE(p.targetBatchMs(300), TrafficPacer::kSharingBatchMs);
            p.sample(t, xid, t == 0 ? 0 : 1);
            xid += 1 + (t % 5 == 0 ? 4 : 0);   // 4 of others' every 10 ms
        }
        QVERIFY(p.sharing());
    }

    void trafficThatStopsIsForgotten()
    {
        TrafficPacer p;
        quint64 xid = 1;
        qint64 t = 0;
        for (; t <= 2000; t += 100) {
            p.sample(t, xid, 1);
            xid += 51;
        }
        QVERIFY(p.sharing());
        for (; t <= 2000 + TrafficPacer::kMaxWindowMs + 500; t += 100) {
            p.sample(t, xid, 1);
            xid += 1;
        }
        QVERIFY(!p.sharing());
        QCOMPARE(p.targetBatchMs(300), 300.0);
    }

    void ourOwnBurstIsNotTraffic()
    {
        TrafficPacer p;
        quint64 xid = 1;
        for (qint64 t = 0; t <= 2000; t += 10) {
            p.sample(t, xid, 3);   // retries: three ids per batch, all ours
            xid += 3;
        }
        QVERIFY(!p.sharing());
    }

    void disabledNeverYields()
    {
        TrafficPacer p(false);
        quint64 xid = 1;
        for (qint64 t = 0; t <= 2000; t += 100) {
            p.sample(t, xid, 0);
            xid += 100;
        }
        QVERIFY(!p.sharing());
        QVERIFY(!p.yielding());
        QCOMPARE(p.pauseAfterBatchMs(100), 0.0);
        QCOMPARE(p.targetBatchMs(300), 300.0);   // no short start either
    }
};

QTEST_APPLESS_MAIN(TestTrafficPacer)
#include "test_traffic_pacer.moc"
