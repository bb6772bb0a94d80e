// SPDX-License-Identifier: GPL-3.0-or-later
// What changes with the server version: fast defaults (11), SET NOT NULL proven by a validated CHECK
// (12), and the planner options that reach the SQL.
#include "core/plan/planner.h"
#include "tests/unit/test_planner_checks.h"
#include "tests/unit/test_planner_support.h"

#include <QtTest>

using namespace lockstep;
using namespace lockstep::test;

namespace {
Plan planFor(const QString& shape, int version, PlannerOptions options = {})
{
    const TableSnapshot t = snapshotFor(KeyShape::IntPk, version);
    return Planner(offlineIdentQuoter(), options).plan(t, shapeChange(shape, t));
}
} // namespace

class TestPlannerVersions : public QObject {
    Q_OBJECT
private slots:
    void fastDefaultFrom11()
    {
        const Plan p10 = planFor("add_constant_default", 100023);
        const Plan p11 = planFor("add_constant_default", 110000);
        const Step* v10 = findStep(p10, "add_column");
        const Step* v11 = findStep(p11, "add_column");
        QCOMPARE(v10->statements.last(), QStringLiteral(
            "ALTER TABLE \"public\".\"items_int\" ADD COLUMN IF NOT EXISTS \"state\" character varying(20), "
            "ALTER COLUMN \"state\" SET DEFAULT 'new';"));
        QVERIFY(v10->why.contains(QLatin1String("before PostgreSQL 11")));
        QCOMPARE(v11->statements.last(), QStringLiteral(
            "ALTER TABLE \"public\".\"items_int\" ADD COLUMN IF NOT EXISTS \"state\" character varying(20) DEFAULT 'new';"));
        QVERIFY(v11->why.contains(QLatin1String("fast default")));
        QVERIFY(!v10->rewrites && !v11->rewrites);
        // A volatile default never goes inline.
        for (int v : {100023, 110000, 150004}) {
            const Plan plan = planFor("add_volatile_default", v);
            const Step* add = findStep(plan, "add_column");
            QVERIFY(add->sql.contains(QLatin1String(", ALTER COLUMN \"token\" SET DEFAULT gen_random_uuid();")));
            QVERIFY(!add->sql.contains(QLatin1String("uuid DEFAULT")));
        }
    }

    void notNullBefore12KeepsTheCheck()
    {
        const Plan v11 = planFor("add_not_null_backfill", 110022);
        QString all;
        for (const Step& s : v11.steps)
            all += s.sql + QLatin1Char('\n');
        QVERIFY(!all.contains(QLatin1String("SET NOT NULL")));
        QVERIFY(!all.contains(QLatin1String("DROP CONSTRAINT")));
        QVERIFY(all.contains(QLatin1String("VALIDATE CONSTRAINT \"items_int_total_not_null\"")));

        const Plan v12 = planFor("add_not_null_backfill", 120000);
        const Step* set = findStep(v12, "not_null_set");
        QVERIFY(set);
        QVERIFY(!set->scans);   // proven by the validated CHECK
        QCOMPARE(set->statements.last(), QStringLiteral("ALTER TABLE \"public\".\"items_int\" ALTER COLUMN \"total\" SET NOT NULL;"));
        QCOMPARE(set->rollbackStatements.last(), QStringLiteral("ALTER TABLE \"public\".\"items_int\" ALTER COLUMN \"total\" DROP NOT NULL;"));
        const Step* drop = findStep(v12, "not_null_drop_check");
        QVERIFY(drop->rollbackSql.contains(QLatin1String("ADD CONSTRAINT \"items_int_total_not_null\" CHECK (\"total\" IS NOT NULL) NOT VALID")));
        // The order: CHECK NOT VALID, VALIDATE, SET NOT NULL, drop the CHECK.
        const QStringList ids = stepIds(v12);
        QVERIFY(ids.indexOf("not_null_check") < ids.indexOf("not_null_validate"));
        QVERIFY(ids.indexOf("not_null_validate") < ids.indexOf("not_null_set"));
        QVERIFY(ids.indexOf("not_null_set") < ids.indexOf("not_null_drop_check"));
        // Never an inline NOT NULL on ADD COLUMN.
        QVERIFY(!findStep(v12, "add_column")->sql.contains(QLatin1String("NOT NULL")));
    }

    void optionsReachTheSql()
    {
        PlannerOptions o;
        o.lockTimeoutMs = 250;
        o.briefLockSeconds = 0.2;
        o.scanBytesPerSecond = 8192000;   // the table's heap in one second
        const Plan plan = planFor("everything", 150004, o);
        for (const Step& s : plan.steps) {
            QVERIFY(!s.sql.contains(QLatin1String("1000ms")));
            if (s.lock == LockMode::AccessExclusive)
                QVERIFY(s.sql.startsWith(QLatin1String("SET lock_timeout = '250ms';")));
        }
        QVERIFY(findStep(plan, "backfill")->sql.contains(QLatin1String("set_config('lock_timeout', '250ms', true)")));
        QCOMPARE(findStep(plan, "add_column")->estimatedSeconds, 0.2);
        QCOMPARE(findStep(plan, "check_validate")->estimatedSeconds, 1.0);
        QCOMPARE(findStep(plan, "unique_index")->estimatedSeconds, 3.0);   // two passes and a sort
        QCOMPARE(findStep(plan, "foreign_key_validate")->estimatedSeconds, 2.0);
        double total = 0;
        for (const Step& s : plan.steps)
            total += s.estimatedSeconds;
        QCOMPARE(plan.estimatedSeconds(), total);
    }

    void foreignKeyClause()
    {
        const Plan plan = planFor("everything", 150004);
        const Step* fk = findStep(plan, "foreign_key");
        QCOMPARE(fk->statements.last(), QStringLiteral(
            "ALTER TABLE \"public\".\"items_int\" ADD CONSTRAINT \"items_int_score_fkey\" FOREIGN KEY (\"score\") "
            "REFERENCES \"public\".\"customers\" (\"id\") ON DELETE CASCADE NOT VALID;"));
        QCOMPARE(findStep(plan, "foreign_key_validate")->statements.last(), QStringLiteral(
            "ALTER TABLE \"public\".\"items_int\" VALIDATE CONSTRAINT \"items_int_score_fkey\";"));
        // unique + index: one unique index is enough.
        QVERIFY(!findStep(plan, "index"));
        QCOMPARE(findStep(plan, "unique_constraint")->statements.last(), QStringLiteral(
            "ALTER TABLE \"public\".\"items_int\" ADD CONSTRAINT \"items_int_score_key\" UNIQUE USING INDEX \"items_int_score_key\";"));
        QCOMPARE(findStep(plan, "unique_index")->rollbackStatements.last(), QStringLiteral(
            "DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"items_int_score_key\";"));
    }
};

QTEST_APPLESS_MAIN(TestPlannerVersions)
#include "test_planner_versions.moc"
