// SPDX-License-Identifier: GPL-3.0-or-later
// Lock risk rules: each factor raises the score and names itself with its figure; the score grows with
// size, write rate, transaction age and replica lag, never falls, and stays within 0..100.
#include "core/plan/lock_risk.h"

#include <QtTest>

using namespace lockstep;

namespace {
constexpr qint64 kMB = 1024LL * 1024;
constexpr qint64 kGB = 1024LL * kMB;

// A small, quiet table with a primary key on a server with no replicas and no long transactions.
pg::TableStats calmTable()
{
    pg::TableStats t;
    t.oid = 1;
    t.schema = QStringLiteral("public");
    t.name = QStringLiteral("orders");
    t.totalBytes = 64 * 1024;
    t.rows = 100;
    t.hasPrimaryKey = true;
    return t;
}

pg::LongTransaction transaction(int pid, double age, QStringList locked = {})
{
    pg::LongTransaction t;
    t.pid = pid;
    t.ageSeconds = age;
    t.state = QStringLiteral("idle in transaction");
    t.lockedTables = std::move(locked);
    return t;
}

pg::ReplicaInfo replica(double lagSeconds)
{
    pg::ReplicaInfo r;
    r.name = QStringLiteral("walreceiver");
    r.state = QStringLiteral("streaming");
    r.replayLagSeconds = lagSeconds;
    return r;
}

bool anyReasonContains(const LockRisk& risk, const QString& text)
{
    for (const QString& r : risk.reasons)
        if (r.contains(text))
            return true;
    return false;
}
} // namespace

class TestLockRisk : public QObject {
    Q_OBJECT
private slots:
    void calmSmallTableScoresZero()
    {
        const LockRisk risk = scoreLockRisk(calmTable(), {});
        QCOMPARE(risk.score, 0);
        QVERIFY(risk.reasons.isEmpty());
    }

    void sizeRaisesTheScoreWithItsFigure()
    {
        pg::TableStats t = calmTable();
        t.totalBytes = kGB + kGB / 5;   // 1.2 GB
        const LockRisk risk = scoreLockRisk(t, {});
        QVERIFY2(risk.score >= 20 && risk.score <= 30, qPrintable(QString::number(risk.score)));
        QCOMPARE(risk.reasons, QStringList{QStringLiteral("1.2 GB")});
    }

    void writeRateRaisesTheScoreWithItsFigure()
    {
        pg::TableStats t = calmTable();
        t.writesPerSecond = 450;
        const LockRisk risk = scoreLockRisk(t, {});
        QVERIFY(risk.score > 20);
        QCOMPARE(risk.reasons, QStringList{QStringLiteral("450 writes/s")});
    }

    void longTransactionHoldingALockOnTheTable()
    {
        pg::ServerInfo server;
        server.longTransactions << transaction(812, 14 * 60, {QStringLiteral("public.orders")});
        const LockRisk risk = scoreLockRisk(calmTable(), server);
        QVERIFY(risk.score >= 30);
        QCOMPARE(risk.reasons, QStringList{QStringLiteral("a transaction open 14 min holds a lock on it (pid 812)")});
    }

    void severalHoldersAreCountedAndTheOldestNamed()
    {
        pg::ServerInfo server;
        server.longTransactions << transaction(1, 40, {QStringLiteral("public.orders")})
                                << transaction(2, 7200, {QStringLiteral("public.orders"), QStringLiteral("public.x")});
        const LockRisk risk = scoreLockRisk(calmTable(), server);
        QCOMPARE(risk.reasons.size(), 1);
        QCOMPARE(risk.reasons.first(), QStringLiteral("2 transactions hold locks on it, the oldest open 2 h (pid 2)"));
    }

    void longTransactionElsewhereCountsLessThanOneHoldingTheTable()
    {
        pg::ServerInfo elsewhere;
        elsewhere.longTransactions << transaction(5, 600, {QStringLiteral("public.customers")});
        pg::ServerInfo holding;
        holding.longTransactions << transaction(5, 600, {QStringLiteral("public.orders")});
        const LockRisk other = scoreLockRisk(calmTable(), elsewhere);
        const LockRisk own = scoreLockRisk(calmTable(), holding);
        QVERIFY(other.score > 0);
        QVERIFY(own.score > other.score);
        QVERIFY(anyReasonContains(other, QStringLiteral("open 10 min elsewhere (pid 5)")));
        QVERIFY(anyReasonContains(other, QStringLiteral("CONCURRENTLY")));
    }

    void aTableNameIsMatchedWhole()
    {
        pg::ServerInfo server;
        server.longTransactions << transaction(5, 600, {QStringLiteral("public.orders_archive")});
        QVERIFY(anyReasonContains(scoreLockRisk(calmTable(), server), QStringLiteral("elsewhere")));
    }

    void replicaLagRaisesTheScore()
    {
        pg::ServerInfo server;
        server.replicas << replica(3);
        const LockRisk one = scoreLockRisk(calmTable(), server);
        QVERIFY(one.score > 0);
        QCOMPARE(one.reasons, QStringList{QStringLiteral("1 replica 3 s behind")});
        server.replicas << replica(0.2);
        QCOMPARE(scoreLockRisk(calmTable(), server).reasons,
                 QStringList{QStringLiteral("2 replicas, the furthest 3 s behind")});
    }

    void caughtUpReplicaAddsNothing()
    {
        pg::ServerInfo server;
        server.replicas << replica(0) << replica(0.4);
        QCOMPARE(scoreLockRisk(calmTable(), server).score, 0);
    }

    void missingPrimaryKeyRaisesTheScore()
    {
        pg::TableStats t = calmTable();
        t.hasPrimaryKey = false;
        const LockRisk risk = scoreLockRisk(t, {});
        QCOMPARE(risk.score, 10);
        QVERIFY(anyReasonContains(risk, QStringLiteral("no primary key")));
    }

    void monotoneInSize()
    {
        int last = -1;
        for (qint64 bytes = 1024; bytes < 100000 * kGB; bytes *= 3) {
            pg::TableStats t = calmTable();
            t.totalBytes = bytes;
            const int score = scoreLockRisk(t, {}).score;
            QVERIFY2(score >= last, qPrintable(QStringLiteral("%1 bytes: %2 < %3").arg(bytes).arg(score).arg(last)));
            last = score;
        }
        QVERIFY(last > 30);
    }

    void monotoneInWritesAndLagAndAge()
    {
        int lastWrites = -1, lastLag = -1, lastAge = -1;
        for (double x = 0.1; x < 1e6; x *= 2) {
            pg::TableStats t = calmTable();
            t.writesPerSecond = x;
            const int writes = scoreLockRisk(t, {}).score;
            pg::ServerInfo lag;
            lag.replicas << replica(x);
            const int lagScore = scoreLockRisk(calmTable(), lag).score;
            pg::ServerInfo age;
            age.longTransactions << transaction(9, x, {QStringLiteral("public.orders")});
            const int ageScore = scoreLockRisk(calmTable(), age).score;
            QVERIFY(writes >= lastWrites);
            QVERIFY(lagScore >= lastLag);
            QVERIFY(ageScore >= lastAge);
            lastWrites = writes;
            lastLag = lagScore;
            lastAge = ageScore;
        }
        QVERIFY(lastWrites > 20);
        QVERIFY(lastLag > 20);
        QVERIFY(lastAge > 30);
    }

    void everythingAtOnceIsClampedTo100WithAllReasonsMostWeightyFirst()
    {
        pg::TableStats t = calmTable();
        t.totalBytes = 5000 * kGB;
        t.writesPerSecond = 1e6;
        t.hasPrimaryKey = false;
        pg::ServerInfo server;
        server.replicas << replica(5000);
        server.longTransactions << transaction(1, 1e6, {QStringLiteral("public.orders")}) << transaction(2, 1e6);
        const LockRisk risk = scoreLockRisk(t, server);
        QCOMPARE(risk.score, 100);
        QCOMPARE(risk.reasons.size(), 6);
        QVERIFY(risk.reasons.first().contains(QLatin1String("holds a lock")) || risk.reasons.first().endsWith(QLatin1String("TB")));
        QVERIFY(risk.reasons.last().contains(QLatin1String("no primary key")));
    }

    void humanBytes_data()
    {
        QTest::addColumn<qint64>("bytes");
        QTest::addColumn<QString>("text");
        QTest::newRow("bytes") << qint64(512) << QStringLiteral("512 bytes");
        QTest::newRow("kB") << qint64(12 * 1024) << QStringLiteral("12 kB");
        QTest::newRow("MB") << qint64(800 * kMB) << QStringLiteral("800 MB");
        QTest::newRow("GB") << qint64(kGB + kGB / 5) << QStringLiteral("1.2 GB");
        QTest::newRow("whole GB") << kGB << QStringLiteral("1 GB");
        QTest::newRow("TB") << qint64(3 * 1024 * kGB) << QStringLiteral("3 TB");
    }

    void humanBytes()
    {
        QFETCH(qint64, bytes);
        QFETCH(QString, text);
        QCOMPARE(lockstep::humanBytes(bytes), text);
    }

    void humanDuration()
    {
        QCOMPARE(lockstep::humanDuration(3.24), QStringLiteral("3.2 s"));
        QCOMPARE(lockstep::humanDuration(45), QStringLiteral("45 s"));
        QCOMPARE(lockstep::humanDuration(14 * 60 + 10), QStringLiteral("14 min"));
        QCOMPARE(lockstep::humanDuration(9000), QStringLiteral("2.5 h"));
        QCOMPARE(lockstep::humanDuration(3 * 86400), QStringLiteral("3 d"));
    }
};

QTEST_APPLESS_MAIN(TestLockRisk)
#include "test_lock_risk.moc"
