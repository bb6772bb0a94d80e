// SPDX-License-Identifier: GPL-3.0-or-later
// Names of the objects a plan creates: at most 63 bytes, never cut inside a character, distinct from
// the table's existing indexes, constraints and triggers and from each other.
#include "core/plan/object_names.h"
#include "core/plan/planner.h"
#include "tests/unit/test_planner_checks.h"
#include "tests/unit/test_planner_support.h"

#include <QRegularExpression>
#include <QtTest>

using namespace lockstep;
using namespace lockstep::test;

namespace {
int bytes(const QString& s)
{
    return s.toUtf8().size();
}

bool intactUtf8(const QString& s)
{
    return QString::fromUtf8(s.toUtf8()) == s && !s.contains(QChar::ReplacementCharacter)
           && !(s.size() && s.back().isHighSurrogate());
}
} // namespace

class TestPlannerNames : public QObject {
    Q_OBJECT
private slots:
    void shortNamesUnchanged()
    {
        QCOMPARE(fitIdentifier(QString(), {"orders", "total"}, "_key"), QStringLiteral("orders_total_key"));
        QCOMPARE(fitIdentifier("lockstep_", {"Order Items", "Total €"}, "_sync"), QStringLiteral("lockstep_Order Items_Total €_sync"));
    }

    void longNamesFitWithHash_data()
    {
        QTest::addColumn<QString>("table");
        QTest::addColumn<QString>("column");
        QTest::newRow("ascii") << QString(63, QLatin1Char('t')) << QString(63, QLatin1Char('c'));
        QTest::newRow("long table") << QString(60, QLatin1Char('t')) << "total";
        QTest::newRow("euro (3 bytes each)") << QString(21, QChar(0x20AC)) << QString(21, QChar(0x20AC));
        QTest::newRow("emoji (surrogate pairs)") << QString::fromUtf8("\xF0\x9F\x93\xA6").repeated(15) << "x";
        QTest::newRow("mixed") << QStringLiteral("Bestellpositionen für den Großhandel Österreich und Schweiz")
                               << QStringLiteral("Gesamtbetrag in Euro €");
    }

    void longNamesFitWithHash()
    {
        QFETCH(QString, table);
        QFETCH(QString, column);
        const QStringList suffixes{"_key", "_not_null", "_sync_upd"};
        for (const QString& suffix : suffixes) {
            const QString name = fitIdentifier("lockstep_", {table, column}, suffix);
            QVERIFY2(bytes(name) <= kMaxIdentifierBytes, qPrintable(name));
            QVERIFY2(bytes(name) >= kMaxIdentifierBytes - 3, qPrintable(name));   // uses the room it has
            QVERIFY(intactUtf8(name));
            QVERIFY(name.startsWith(QLatin1String("lockstep_")));
            QVERIFY(name.endsWith(suffix));
            QVERIFY(QRegularExpression(QStringLiteral("_[0-9a-f]{8}") + suffix + QLatin1Char('$')).match(name).hasMatch());
        }
        // Two names equal in their first 63 bytes still differ.
        QVERIFY(fitIdentifier({}, {table, column + "a"}, "_key") != fitIdentifier({}, {table, column + "b"}, "_key"));
        // The same input always gives the same name (plans are reproducible).
        QCOMPARE(fitIdentifier({}, {table, column}, "_key"), fitIdentifier({}, {table, column}, "_key"));
    }

    void uniqueAgainstTaken()
    {
        QSet<QString> taken{"t_c_key", "t_c_key1"};
        QCOMPARE(uniqueIdentifier({}, {"t", "c"}, "_key", &taken), QStringLiteral("t_c_key2"));
        QVERIFY(taken.contains("t_c_key2"));
        QCOMPARE(uniqueIdentifier({}, {"t", "c"}, "_key", &taken), QStringLiteral("t_c_key3"));
        QSet<QString> longTaken{fitIdentifier({}, {QString(70, 'x'), "c"}, "_idx")};
        const QString next = uniqueIdentifier({}, {QString(70, 'x'), "c"}, "_idx", &longTaken);
        QVERIFY(bytes(next) <= kMaxIdentifierBytes);
        QVERIFY(next.endsWith(QLatin1String("_idx1")));
    }

    void derivedNamesAvoidTheTable()
    {
        TableSnapshot t = snapshotFor(KeyShape::IntPk);
        IndexInfo idx;
        idx.name = "items_int_total_idx";
        t.indexes << idx;
        ConstraintInfo chk;
        chk.name = "items_int_total_not_null";
        t.constraints << chk;
        ConstraintInfo key;
        key.name = "items_int_total_key";   // a constraint name blocks the index name too
        t.constraints << key;
        t.triggerNames << "lockstep_items_int_total_sync_ins";
        t.schemaRelationNames << "lockstep_items_int_total_changed";   // a log another plan left behind
        const PlanObjectNames n = derivePlanObjectNames(t, "total");
        QCOMPARE(n.index, QStringLiteral("items_int_total_idx1"));
        QCOMPARE(n.notNullCheck, QStringLiteral("items_int_total_not_null1"));
        QCOMPARE(n.uniqueKey, QStringLiteral("items_int_total_key1"));
        QCOMPARE(n.syncInsertTrigger, QStringLiteral("lockstep_items_int_total_sync_ins1"));
        QCOMPARE(n.syncUpdateTrigger, QStringLiteral("lockstep_items_int_total_sync_upd"));
        QCOMPARE(n.foreignKey, QStringLiteral("items_int_total_fkey"));
        QCOMPARE(n.check, QStringLiteral("items_int_total_check"));
        QCOMPARE(n.changedKeysTable, QStringLiteral("lockstep_items_int_total_changed1"));
        QCOMPARE(n.changedKeysFunction, QStringLiteral("lockstep_items_int_total_log"));
        const QStringList all{n.syncFunction, n.syncInsertTrigger, n.syncUpdateTrigger, n.changedKeysTable,
                              n.changedKeysFunction, n.reverseFunction,
                              n.reverseInsertTrigger, n.reverseUpdateTrigger, n.notNullCheck, n.uniqueKey,
                              n.index, n.foreignKey, n.check};
        QCOMPARE(QSet<QString>(all.begin(), all.end()).size(), all.size());

        // The plan uses them.
        ResolvedChange r = addChange(t, "total", "numeric(12,2)");
        setBackfill(&r, "qty * price", {"qty", "price"});
        r.change.notNull = r.change.index = true;
        const Plan plan = Planner(offlineIdentQuoter()).plan(t, r);
        QVERIFY(findStep(plan, "index")->sql.contains(QLatin1String("INDEX CONCURRENTLY IF NOT EXISTS \"items_int_total_idx1\"")));
        QVERIFY(findStep(plan, "not_null_check")->sql.contains(QLatin1String("\"items_int_total_not_null1\"")));
        QVERIFY(findStep(plan, "sync_trigger")->sql.contains(QLatin1String("\"lockstep_items_int_total_sync_ins1\"")));
        QVERIFY(findStep(plan, "sync_trigger")->sql.contains(QLatin1String("CREATE TABLE \"public\".\"lockstep_items_int_total_changed1\"")));
        QVERIFY(findStep(plan, "sync_catch_up")->sql.contains(QLatin1String("DELETE FROM \"public\".\"lockstep_items_int_total_changed1\"")));
    }

    void longTableInAPlan()
    {
        TableSnapshot t = snapshotFor(KeyShape::IntPk);
        t.name = QString(24, QChar(0x00E9)) + QStringLiteral(" \"quoted\" table");   // 63 bytes with a quote in it
        ResolvedChange r = shapeChange("everything", t);
        r.change.column = QString(20, QChar(0x20AC));
        const Plan plan = Planner(offlineIdentQuoter()).plan(t, r);
        for (const Step& s : plan.steps) {
            QStringList identifiers;
            withoutQuoted(s.sql + s.rollbackSql, &identifiers);
            QVERIFY(!identifiers.isEmpty() || s.id == "switch");
            for (const QString& id : identifiers) {
                QVERIFY2(bytes(id) <= kMaxIdentifierBytes, qPrintable(s.id + ": " + id));
                QVERIFY(intactUtf8(id));
            }
        }
        // A double quote inside a name is doubled by the quoter.
        QVERIFY(plan.table.contains(QLatin1String("\"\"quoted\"\"")));
    }
};

QTEST_APPLESS_MAIN(TestPlannerNames)
#include "test_planner_names.moc"
