// SPDX-License-Identifier: GPL-3.0-or-later
// Lock mode names and PostgreSQL's conflict matrix, checked against the matrix as the documentation
// prints it ("Conflicting Lock Modes"), written out here independently of the implementation.
#include "core/plan/lock_mode.h"

#include <QtTest>

using namespace lockstep;

namespace {
const QVector<LockMode> kAll{LockMode::AccessShare, LockMode::RowShare, LockMode::RowExclusive,
                             LockMode::ShareUpdateExclusive, LockMode::Share, LockMode::ShareRowExclusive,
                             LockMode::Exclusive, LockMode::AccessExclusive};

// Row = requested mode, column = held mode, in the order of kAll; X = conflict.
const char* const kDocumentedMatrix[] = {
    ".......X", // ACCESS SHARE
    "......XX", // ROW SHARE
    "....XXXX", // ROW EXCLUSIVE
    "...XXXXX", // SHARE UPDATE EXCLUSIVE
    "..XX.XXX", // SHARE
    "..XXXXXX", // SHARE ROW EXCLUSIVE
    ".XXXXXXX", // EXCLUSIVE
    "XXXXXXXX", // ACCESS EXCLUSIVE
};
} // namespace

class TestLockMode : public QObject {
    Q_OBJECT
private slots:
    void namesRoundTrip_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<QString>("sqlName");
        QTest::addColumn<QString>("catalogName");
        QTest::newRow("access share") << 0 << "ACCESS SHARE" << "AccessShareLock";
        QTest::newRow("row share") << 1 << "ROW SHARE" << "RowShareLock";
        QTest::newRow("row exclusive") << 2 << "ROW EXCLUSIVE" << "RowExclusiveLock";
        QTest::newRow("share update exclusive") << 3 << "SHARE UPDATE EXCLUSIVE" << "ShareUpdateExclusiveLock";
        QTest::newRow("share") << 4 << "SHARE" << "ShareLock";
        QTest::newRow("share row exclusive") << 5 << "SHARE ROW EXCLUSIVE" << "ShareRowExclusiveLock";
        QTest::newRow("exclusive") << 6 << "EXCLUSIVE" << "ExclusiveLock";
        QTest::newRow("access exclusive") << 7 << "ACCESS EXCLUSIVE" << "AccessExclusiveLock";
    }

    void namesRoundTrip()
    {
        QFETCH(int, mode);
        QFETCH(QString, sqlName);
        QFETCH(QString, catalogName);
        const auto m = static_cast<LockMode>(mode);
        QCOMPARE(lockModeName(m), sqlName);
        QCOMPARE(lockModeFromName(sqlName), std::optional<LockMode>(m));
        QCOMPARE(lockModeFromName(catalogName), std::optional<LockMode>(m));
        QCOMPARE(lockModeFromName(sqlName.toLower()), std::optional<LockMode>(m));
    }

    void unknownNames()
    {
        QVERIFY(!lockModeFromName(QString()));
        QVERIFY(!lockModeFromName(QStringLiteral("SUPER EXCLUSIVE")));
        QVERIFY(!lockModeFromName(QStringLiteral("Lock")));
        // "SHARE" must not be mistaken for a longer mode that contains it, nor the reverse.
        QCOMPARE(lockModeFromName(QStringLiteral("ShareLock")), std::optional<LockMode>(LockMode::Share));
        QCOMPARE(lockModeFromName(QStringLiteral("ExclusiveLock")), std::optional<LockMode>(LockMode::Exclusive));
    }

    void matrixAsDocumented()
    {
        for (int a = 0; a < kAll.size(); ++a) {
            for (int b = 0; b < kAll.size(); ++b) {
                const bool expected = kDocumentedMatrix[a][b] == 'X';
                QVERIFY2(lockModesConflict(kAll[a], kAll[b]) == expected,
                         qPrintable(lockModeName(kAll[a]) + QStringLiteral(" vs ") + lockModeName(kAll[b])));
            }
        }
    }

    void matrixIsSymmetric()
    {
        for (LockMode a : kAll)
            for (LockMode b : kAll)
                QCOMPARE(lockModesConflict(a, b), lockModesConflict(b, a));
    }

    void accessExclusiveConflictsWithEverything()
    {
        for (LockMode m : kAll) {
            QVERIFY(lockModesConflict(LockMode::AccessExclusive, m));
            // ACCESS SHARE (a plain SELECT) conflicts with nothing else.
            QCOMPARE(lockModesConflict(LockMode::AccessShare, m), m == LockMode::AccessExclusive);
        }
    }

    void selfConflicts()
    {
        // The modes DDL relies on: two SHARE UPDATE EXCLUSIVE (VALIDATE, CONCURRENTLY) never run together,
        // while SHARE (plain CREATE INDEX) and the row-level modes of DML coexist with themselves.
        QVERIFY(lockModesConflict(LockMode::ShareUpdateExclusive, LockMode::ShareUpdateExclusive));
        QVERIFY(lockModesConflict(LockMode::ShareRowExclusive, LockMode::ShareRowExclusive));
        QVERIFY(!lockModesConflict(LockMode::Share, LockMode::Share));
        QVERIFY(!lockModesConflict(LockMode::RowExclusive, LockMode::RowExclusive));
        QVERIFY(!lockModesConflict(LockMode::RowShare, LockMode::RowShare));
        // Writes continue during VALIDATE and CONCURRENTLY, but not during a plain index build.
        QVERIFY(!lockModesConflict(LockMode::ShareUpdateExclusive, LockMode::RowExclusive));
        QVERIFY(lockModesConflict(LockMode::Share, LockMode::RowExclusive));
    }

    void blocks_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("access share") << 0 << QStringList{};
        QTest::newRow("row share") << 1 << QStringList{};
        QTest::newRow("row exclusive") << 2 << QStringList{};
        QTest::newRow("share update exclusive") << 3 << QStringList{};
        QTest::newRow("share") << 4 << QStringList{"writes"};
        QTest::newRow("share row exclusive") << 5 << QStringList{"writes"};
        QTest::newRow("exclusive") << 6 << QStringList{"writes"};
        QTest::newRow("access exclusive") << 7 << QStringList{"reads", "writes"};
    }

    void blocks()
    {
        QFETCH(int, mode);
        QFETCH(QStringList, expected);
        QCOMPARE(lockBlocks(static_cast<LockMode>(mode)), expected);
    }
};

QTEST_APPLESS_MAIN(TestLockMode)
#include "test_lock_mode.moc"
