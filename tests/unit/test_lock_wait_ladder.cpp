// SPDX-License-Identifier: GPL-3.0-or-later
// Brief-lock attempts start short (what queues behind a waiting lock request is what the application
// pays), double every three failures up to the run's lock_timeout, and retry after a short jittered pause
// while the waits are short.
#include "core/run/lock_wait_ladder.h"

#include <QtTest>

using namespace lockstep::run;

class TestLockWaitLadder : public QObject {
    Q_OBJECT
private slots:
    void startsShortAndDoublesEveryThreeFailuresUpToTheCap()
    {
        RunOptions o;   // 20 ms start, 1000 ms cap
        const LockWaitLadder ladder(o);
        QCOMPARE(ladder.startMs(), 20);
        QList<int> waits;
        for (int attempt = 1; attempt <= 21; ++attempt)
            waits << ladder.timeoutMs(attempt);
        QCOMPARE(waits, (QList<int>{20, 20, 20, 40, 40, 40, 80, 80, 80, 160, 160, 160, 320, 320, 320, 640, 640, 640,
                                    1000, 1000, 1000}));
        QCOMPARE(ladder.timeoutMs(30), 1000);
    }

    void theStartIsTheBudgetWithinTheCap()
    {
        RunOptions o;
        o.lockWaitStartMs = 50;
        QCOMPARE(LockWaitLadder(o).startMs(), 50);
        QCOMPARE(LockWaitLadder(o).timeoutMs(4), 100);
        o.lockWaitStartMs = 5000;                           // at least the cap: every attempt waits the cap (as before)
        const LockWaitLadder fixed(o);
        QCOMPARE(fixed.timeoutMs(1), 1000);
        QCOMPARE(fixed.timeoutMs(7), 1000);
    }

    void shortWaitsRetrySoonWithJitter()
    {
        RunOptions o;
        const LockWaitLadder ladder(o);
        QSet<int> seen;
        for (int i = 0; i < 200; ++i) {
            const int d = ladder.delayMs(1);   // wait 20 ms: 20..60 ms
            QVERIFY2(d >= 20 && d <= 60, qPrintable(QString::number(d)));
            seen << d;
        }
        QVERIFY(seen.size() > 10);   // jittered, not one fixed pause
        // Once the waits are long, the usual exponential backoff (base 100 ms, capped at 5 s).
        for (int i = 0; i < 50; ++i) {
            const int d = ladder.delayMs(20);
            QVERIFY2(d >= 2500 && d <= 5000, qPrintable(QString::number(d)));
        }
    }
};

QTEST_GUILESS_MAIN(TestLockWaitLadder)
#include "test_lock_wait_ladder.moc"
