// SPDX-License-Identifier: GPL-3.0-or-later
// The lock table: every rule consistent with itself, every operation covered for PostgreSQL 10-17
// exactly once, and the facts measured on PostgreSQL 15 (pg_locks of the session and
// pg_relation_filenode before/after, inside BEGIN ... ROLLBACK) written out once more here.
#include "core/plan/lock_table.h"

#include <QtTest>

using namespace lockstep;
using Op = DdlOperation;

Q_DECLARE_METATYPE(lockstep::DdlOperation)

namespace {
QString lockName(const std::optional<LockMode>& m)
{
    return m ? lockModeName(*m) : QStringLiteral("none");
}

const QVector<int> kVersions{100000, 100023, 109999, 110000, 110022, 119999, 120000, 120019, 130000, 140000,
                             150004, 160000, 170000, 179999};
} // namespace

class TestLockTable : public QObject {
    Q_OBJECT
private slots:
    void ruleIsConsistent_data()
    {
        QTest::addColumn<int>("index");
        const auto& rules = lockRules();
        for (int i = 0; i < rules.size(); ++i) {
            const LockRule& r = rules[i];
            QTest::newRow(qPrintable(QStringLiteral("%1@%2-%3").arg(ddlOperationName(r.op)).arg(r.minVersion).arg(r.maxVersion)))
                << i;
        }
    }

    void ruleIsConsistent()
    {
        QFETCH(int, index);
        const LockRule& r = lockRules().at(index);
        QVERIFY(r.minVersion >= kMinServerVersion);
        QVERIFY(r.maxVersion <= kMaxServerVersion);
        QVERIFY(r.minVersion <= r.maxVersion);
        QVERIFY(!r.statement.trimmed().isEmpty());
        QVERIFY(!ddlOperationName(r.op).isEmpty());
        // A rewrite always happens under ACCESS EXCLUSIVE, and a rewrite is not a "scan" on top.
        if (r.rewrites)
            QCOMPARE(r.lock, std::optional<LockMode>(LockMode::AccessExclusive));
        // Only CONCURRENTLY refuses a transaction block; its statement says so.
        QCOMPARE(!r.allowedInTransaction, r.statement.contains(QLatin1String("CONCURRENTLY")));
        if (r.statement.contains(QLatin1String("CONCURRENTLY")))
            QCOMPARE(r.lock, std::optional<LockMode>(LockMode::ShareUpdateExclusive));
        // Foreign keys lock the referenced table too; nothing else does.
        const bool fk = r.statement.contains(QLatin1String("FOREIGN KEY")) || r.op == Op::ValidateForeignKey
                        || r.op == Op::DropForeignKey;
        QCOMPARE(r.referencedTableLock.has_value(), fk);
        // Only function DDL takes no table lock.
        QCOMPARE(!r.lock.has_value(), r.op == Op::CreateFunction || r.op == Op::DropFunction);
        // A scan under a lock that blocks writes is what the planner must avoid; the statement shape
        // must agree with the flag for the operations the planner relies on.
        if (r.op == Op::ValidateConstraint || r.op == Op::ValidateForeignKey || r.op == Op::CreateIndexConcurrently)
            QVERIFY(r.scans && !lockModesConflict(*r.lock, LockMode::RowExclusive));
    }

    void everyOperationCoveredOnce()
    {
        for (Op op : allDdlOperations()) {
            for (int v : kVersions) {
                int matches = 0;
                for (const LockRule& r : lockRules())
                    matches += r.op == op && v >= r.minVersion && v <= r.maxVersion;
                QVERIFY2(matches == 1, qPrintable(QStringLiteral("%1 at %2: %3 rules").arg(ddlOperationName(op)).arg(v).arg(matches)));
                QCOMPARE(lockRuleFor(op, v).op, op);
            }
        }
    }

    void versionsOutsideTheRangeClamp()
    {
        QCOMPARE(lockRuleFor(Op::AddColumnConstantDefault, 90600).rewrites, true);    // 9.6 behaves like 10
        QCOMPARE(lockRuleFor(Op::AddColumnConstantDefault, 180000).rewrites, false);  // 18 like 17
    }

    void fastDefaultFrom11()
    {
        QVERIFY(lockRuleFor(Op::AddColumnConstantDefault, 100023).rewrites);
        QVERIFY(lockRuleFor(Op::AddColumnConstantDefault, 109999).rewrites);
        QVERIFY(!lockRuleFor(Op::AddColumnConstantDefault, 110000).rewrites);
        QVERIFY(!lockRuleFor(Op::AddColumnConstantDefault, 150004).rewrites);
        // A volatile default rewrites on every version.
        for (int v : kVersions)
            QVERIFY(lockRuleFor(Op::AddColumnVolatileDefault, v).rewrites);
    }

    void setNotNullSkipsTheScanFrom12()
    {
        QVERIFY(lockRuleFor(Op::SetNotNullWithValidatedCheck, 110022).scans);
        QVERIFY(lockRuleFor(Op::SetNotNullWithValidatedCheck, 119999).scans);
        QVERIFY(!lockRuleFor(Op::SetNotNullWithValidatedCheck, 120000).scans);
        for (int v : kVersions) {
            QVERIFY(lockRuleFor(Op::SetNotNull, v).scans);
            QCOMPARE(lockRuleFor(Op::SetNotNullWithValidatedCheck, v).lock, std::optional<LockMode>(LockMode::AccessExclusive));
        }
    }

    void measuredOnPostgres15_data()
    {
        QTest::addColumn<Op>("op");
        QTest::addColumn<QString>("lock");
        QTest::addColumn<bool>("rewrites");
        QTest::addColumn<bool>("scans");
        QTest::addColumn<bool>("inTransaction");
        QTest::addColumn<QString>("referenced");
        QTest::newRow("add column") << Op::AddColumn << "ACCESS EXCLUSIVE" << false << false << true << "none";
        QTest::newRow("add column default 5") << Op::AddColumnConstantDefault << "ACCESS EXCLUSIVE" << false << false << true << "none";
        QTest::newRow("add column default gen_random_uuid()") << Op::AddColumnVolatileDefault << "ACCESS EXCLUSIVE" << true << false << true << "none";
        QTest::newRow("add column identity") << Op::AddColumnSerialOrIdentity << "ACCESS EXCLUSIVE" << true << false << true << "none";
        QTest::newRow("add column stored generated") << Op::AddColumnStoredGenerated << "ACCESS EXCLUSIVE" << true << false << true << "none";
        QTest::newRow("drop column") << Op::DropColumn << "ACCESS EXCLUSIVE" << false << false << true << "none";
        QTest::newRow("rename column") << Op::RenameColumn << "ACCESS EXCLUSIVE" << false << false << true << "none";
        QTest::newRow("type int to bigint") << Op::AlterColumnTypeRewrite << "ACCESS EXCLUSIVE" << true << false << true << "none";
        QTest::newRow("type varchar(10) to varchar(20)") << Op::AlterColumnTypeBinaryCoercible << "ACCESS EXCLUSIVE" << false << false << true << "none";
        QTest::newRow("set not null") << Op::SetNotNull << "ACCESS EXCLUSIVE" << false << true << true << "none";
        QTest::newRow("set not null, validated check") << Op::SetNotNullWithValidatedCheck << "ACCESS EXCLUSIVE" << false << false << true << "none";
        QTest::newRow("drop not null") << Op::DropNotNull << "ACCESS EXCLUSIVE" << false << false << true << "none";
        QTest::newRow("set default") << Op::SetDefault << "ACCESS EXCLUSIVE" << false << false << true << "none";
        QTest::newRow("add check") << Op::AddCheck << "ACCESS EXCLUSIVE" << false << true << true << "none";
        QTest::newRow("add check not valid") << Op::AddCheckNotValid << "ACCESS EXCLUSIVE" << false << false << true << "none";
        QTest::newRow("add fk") << Op::AddForeignKey << "SHARE ROW EXCLUSIVE" << false << true << true << "SHARE ROW EXCLUSIVE";
        QTest::newRow("add fk not valid") << Op::AddForeignKeyNotValid << "SHARE ROW EXCLUSIVE" << false << false << true << "SHARE ROW EXCLUSIVE";
        QTest::newRow("validate check") << Op::ValidateConstraint << "SHARE UPDATE EXCLUSIVE" << false << true << true << "none";
        QTest::newRow("validate fk") << Op::ValidateForeignKey << "SHARE UPDATE EXCLUSIVE" << false << true << true << "ROW SHARE";
        QTest::newRow("add unique") << Op::AddUniqueConstraint << "ACCESS EXCLUSIVE" << false << true << true << "none";
        QTest::newRow("add unique using index") << Op::AddUniqueUsingIndex << "ACCESS EXCLUSIVE" << false << false << true << "none";
        QTest::newRow("drop check") << Op::DropConstraint << "ACCESS EXCLUSIVE" << false << false << true << "none";
        QTest::newRow("drop fk") << Op::DropForeignKey << "ACCESS EXCLUSIVE" << false << false << true << "ACCESS EXCLUSIVE";
        QTest::newRow("create index") << Op::CreateIndex << "SHARE" << false << true << true << "none";
        QTest::newRow("create index concurrently") << Op::CreateIndexConcurrently << "SHARE UPDATE EXCLUSIVE" << false << true << false << "none";
        QTest::newRow("drop index") << Op::DropIndex << "ACCESS EXCLUSIVE" << false << false << true << "none";
        QTest::newRow("drop index concurrently") << Op::DropIndexConcurrently << "SHARE UPDATE EXCLUSIVE" << false << false << false << "none";
        QTest::newRow("create trigger") << Op::CreateTrigger << "SHARE ROW EXCLUSIVE" << false << false << true << "none";
        QTest::newRow("drop trigger") << Op::DropTrigger << "ACCESS EXCLUSIVE" << false << false << true << "none";
        QTest::newRow("create function") << Op::CreateFunction << "none" << false << false << true << "none";
        QTest::newRow("update") << Op::Update << "ROW EXCLUSIVE" << false << false << true << "none";
        QTest::newRow("select") << Op::Select << "ACCESS SHARE" << false << false << true << "none";
    }

    void measuredOnPostgres15()
    {
        QFETCH(Op, op);
        QFETCH(QString, lock);
        QFETCH(bool, rewrites);
        QFETCH(bool, scans);
        QFETCH(bool, inTransaction);
        QFETCH(QString, referenced);
        const LockRule& r = lockRuleFor(op, 150004);
        QCOMPARE(lockName(r.lock), lock);
        QCOMPARE(r.rewrites, rewrites);
        QCOMPARE(r.scans, scans);
        QCOMPARE(r.allowedInTransaction, inTransaction);
        QCOMPARE(lockName(r.referencedTableLock), referenced);
    }
};

QTEST_APPLESS_MAIN(TestLockTable)
#include "test_lock_table.moc"
