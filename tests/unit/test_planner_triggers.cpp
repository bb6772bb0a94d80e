// SPDX-License-Identifier: GPL-3.0-or-later
// The dual-write triggers: forward sync (expand), reverse sync (switch, replace by cast), their removal
// at contract, and the version-dependent trigger syntax.
#include "core/plan/planner.h"
#include "tests/unit/test_planner_checks.h"
#include "tests/unit/test_planner_support.h"

#include <QtTest>

using namespace lockstep;
using namespace lockstep::test;

namespace {
Plan planFor(const QString& shape, KeyShape key = KeyShape::IntPk, int version = 150004)
{
    const TableSnapshot t = snapshotFor(key, version);
    return Planner(offlineIdentQuoter()).plan(t, shapeChange(shape, t));
}
} // namespace

class TestPlannerTriggers : public QObject {
    Q_OBJECT
private slots:
    void forwardSync()
    {
        const Plan plan = planFor(QStringLiteral("add_not_null_backfill"));
        const Step* s = findStep(plan, QStringLiteral("sync_trigger"));
        QVERIFY(s);
        QCOMPARE(s->statements.size(), 9);
        QCOMPARE(s->statements[0], QStringLiteral("SET lock_timeout = '1000ms';"));
        // The value function first: the expression on one row, never raising (NULL and the row recorded).
        QVERIFY(s->statements[1].startsWith(QLatin1String("CREATE TABLE \"public\".\"lockstep_items_int_total_failed\" (")));
        QVERIFY(s->statements[2].contains(QLatin1String("\"public\".\"lockstep_items_int_total_fail\"(row_key jsonb, code text, message text) "
                                                        "RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp")));
        const QString value = s->statements[3];
        QVERIFY(value.startsWith(QLatin1String("CREATE OR REPLACE FUNCTION \"public\".\"lockstep_items_int_total_value\"(lockstep_row "
                                               "record) RETURNS numeric(12,2) LANGUAGE plpgsql")));
        // The expression is evaluated in the scope of a one-row table named like the real one.
        QVERIFY(value.contains(QLatin1String("SELECT (qty * 2.5)::numeric(12,2) INTO lockstep_v FROM (SELECT lockstep_row.*) AS \"items_int\";")));
        QVERIFY(value.contains(QLatin1String("#variable_conflict use_column")));
        QVERIFY(value.contains(QLatin1String("EXCEPTION WHEN others THEN")));
        QVERIFY(value.contains(QLatin1String("jsonb_build_object('id', lockstep_row.\"id\")")));
        const QString fn = s->statements[4];
        QVERIFY(fn.startsWith(QLatin1String("CREATE OR REPLACE FUNCTION \"public\".\"lockstep_items_int_total_sync\"() "
                                            "RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $lockstep$")));
        QVERIFY(fn.contains(QLatin1String("NEW.\"total\" := \"public\".\"lockstep_items_int_total_value\"(NEW);")));
        QCOMPARE(s->statements[5], QStringLiteral(
            "CREATE OR REPLACE TRIGGER \"lockstep_items_int_total_sync_ins\" BEFORE INSERT ON \"public\".\"items_int\" "
            "FOR EACH ROW WHEN (NEW.\"total\" IS NULL) EXECUTE FUNCTION \"public\".\"lockstep_items_int_total_sync\"();"));
        // Its rollback drops the value function, the recording function and the record.
        QVERIFY(s->rollbackSql.contains(QLatin1String("DROP FUNCTION IF EXISTS \"public\".\"lockstep_items_int_total_value\"(record);")));
        QVERIFY(s->rollbackSql.contains(QLatin1String("DROP TABLE IF EXISTS \"public\".\"lockstep_items_int_total_failed\";")));
        // During the walk an update only logs its key (AFTER: no lock on the rows the backfill updates).
        QCOMPARE(s->statements[6], QStringLiteral(
            "CREATE TABLE \"public\".\"lockstep_items_int_total_changed\" AS SELECT \"id\" FROM \"public\".\"items_int\" WITH NO DATA;"));
        QVERIFY(s->statements[7].startsWith(QLatin1String(
            "CREATE OR REPLACE FUNCTION \"public\".\"lockstep_items_int_total_log\"() RETURNS trigger LANGUAGE plpgsql "
            "SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $lockstep$")));
        QVERIFY(s->statements[7].contains(QLatin1String(
            "INSERT INTO \"public\".\"lockstep_items_int_total_changed\" (\"id\") VALUES (NEW.\"id\");\n  RETURN NULL;")));
        QCOMPARE(s->statements[8], QStringLiteral(
            "CREATE OR REPLACE TRIGGER \"lockstep_items_int_total_sync_upd\" AFTER UPDATE OF \"qty\" ON \"public\".\"items_int\" "
            "FOR EACH ROW WHEN (NEW.\"qty\" IS DISTINCT FROM OLD.\"qty\") EXECUTE FUNCTION \"public\".\"lockstep_items_int_total_log\"();"));
        QCOMPARE(s->rollbackStatements, (QStringList{
            "SET lock_timeout = '1000ms';",
            "DROP TRIGGER IF EXISTS \"lockstep_items_int_total_sync_upd\" ON \"public\".\"items_int\";",
            "DROP TRIGGER IF EXISTS \"lockstep_items_int_total_sync_ins\" ON \"public\".\"items_int\";",
            "DROP FUNCTION IF EXISTS \"public\".\"lockstep_items_int_total_sync\"();",
            "DROP FUNCTION IF EXISTS \"public\".\"lockstep_items_int_total_value\"(record);",
            "DROP FUNCTION IF EXISTS \"public\".\"lockstep_items_int_total_fail\"(jsonb, text, text);",
            "-- squawk-ignore ban-drop-table\nDROP TABLE IF EXISTS \"public\".\"lockstep_items_int_total_failed\";",
            "DROP FUNCTION IF EXISTS \"public\".\"lockstep_items_int_total_log\"();",
            "-- squawk-ignore ban-drop-table\nDROP TABLE IF EXISTS \"public\".\"lockstep_items_int_total_changed\";"}));

        // After the walk: the BEFORE UPDATE trigger replaces the AFTER one under the same name, then the
        // logged rows are recomputed and the log emptied in one transaction.
        const Step* swap = findStep(plan, QStringLiteral("sync_swap"));
        QVERIFY(swap);
        QCOMPARE(swap->phase, Phase::Backfill);
        QCOMPARE(swap->statements, (QStringList{"SET lock_timeout = '1000ms';",
            "CREATE OR REPLACE TRIGGER \"lockstep_items_int_total_sync_upd\" BEFORE UPDATE OF \"qty\" ON \"public\".\"items_int\" "
            "FOR EACH ROW WHEN (NEW.\"qty\" IS DISTINCT FROM OLD.\"qty\") EXECUTE FUNCTION \"public\".\"lockstep_items_int_total_sync\"();"}));
        QVERIFY(swap->transactional);
        const Step* catchUp = findStep(plan, QStringLiteral("sync_catch_up"));
        QVERIFY(catchUp);
        QCOMPARE(catchUp->statements.mid(1), (QStringList{
            "LOCK TABLE \"public\".\"items_int\" IN ROW EXCLUSIVE MODE;",
            // Every logged row through the value function: a row whose value fails is recorded, not a failed step.
            "UPDATE \"public\".\"items_int\" AS lockstep_row SET \"total\" = \"public\".\"lockstep_items_int_total_value\"(lockstep_row.*) "
            "WHERE \"id\" IN (SELECT \"id\" FROM \"public\".\"lockstep_items_int_total_changed\");",
            "DELETE FROM \"public\".\"lockstep_items_int_total_changed\";"}));
        QVERIFY(catchUp->transactional);
        const QStringList ids = stepIds(plan);
        QCOMPARE(ids.indexOf("sync_swap"), ids.indexOf("backfill") + 1);
        QCOMPARE(ids.indexOf("sync_catch_up"), ids.indexOf("sync_swap") + 1);
        // The log goes with the triggers at contract; its rollback brings back the BEFORE form only.
        const Step* drop = findStep(plan, QStringLiteral("contract_drop_sync"));
        QVERIFY(drop->sql.contains(QLatin1String("DROP TABLE IF EXISTS \"public\".\"lockstep_items_int_total_changed\";")));
        QVERIFY(drop->rollbackSql.contains(QLatin1String("BEFORE UPDATE OF \"qty\"")));
        QVERIFY(!drop->rollbackSql.contains(QLatin1String("_changed")));
    }

    void beforeTriggerThroughoutWithoutKeyOrBefore14()
    {
        // Before 14 there is no one-statement swap; without a key the log could not find the rows again.
        for (const Plan& plan : {planFor(QStringLiteral("add_not_null_backfill"), KeyShape::IntPk, 130008),
                                 planFor(QStringLiteral("add_not_null_backfill"), KeyShape::NoKey)}) {
            const Step* s = findStep(plan, QStringLiteral("sync_trigger"));
            QVERIFY(s);
            QCOMPARE(s->statements.size(), 7);   // timeout, value function (3), sync function, 2 triggers
            QVERIFY(s->statements[6].contains(QLatin1String(" BEFORE UPDATE OF \"qty\" ON ")));
            QVERIFY(!s->sql.contains(QLatin1String("_changed")));
            QVERIFY(!findStep(plan, QStringLiteral("sync_swap")));
            QVERIFY(!findStep(plan, QStringLiteral("sync_catch_up")));
        }
    }

    void severalSourcesAndNone()
    {
        const TableSnapshot t = snapshotFor(KeyShape::QuotedPk);
        ResolvedChange r = addChange(t, QStringLiteral("Total €"), QStringLiteral("numeric(14,2)"));
        setBackfill(&r, QStringLiteral("\"Qty\" * \"Order Items\".\"Unit Price\""), {QStringLiteral("Qty"), QStringLiteral("Unit Price")});
        const Plan plan = Planner(offlineIdentQuoter()).plan(t, r);
        const QString sql = findStep(plan, QStringLiteral("sync_trigger"))->sql;
        QVERIFY(sql.contains(QLatin1String("AFTER UPDATE OF \"Qty\", \"Unit Price\" ON \"sales\".\"Order Items\"")));
        QVERIFY(findStep(plan, QStringLiteral("sync_swap"))->sql.contains(
            QLatin1String("BEFORE UPDATE OF \"Qty\", \"Unit Price\" ON \"sales\".\"Order Items\"")));
        QVERIFY(sql.contains(QLatin1String("WHEN (NEW.\"Qty\" IS DISTINCT FROM OLD.\"Qty\" OR NEW.\"Unit Price\" IS DISTINCT FROM OLD.\"Unit Price\")")));
        QVERIFY(sql.contains(QLatin1String("FROM (SELECT lockstep_row.*) AS \"Order Items\";")));

        // An expression that reads no column needs no update trigger.
        ResolvedChange stamp = addChange(t, QStringLiteral("Seen"), QStringLiteral("timestamp with time zone"));
        setBackfill(&stamp, QStringLiteral("now()"), {});
        const Plan p2 = Planner(offlineIdentQuoter()).plan(t, stamp);
        const Step* s2 = findStep(p2, QStringLiteral("sync_trigger"));
        QVERIFY(s2);
        QVERIFY(s2->sql.contains(QLatin1String("BEFORE INSERT")));
        QVERIFY(!s2->sql.contains(QLatin1String("BEFORE UPDATE")));
    }

    void defaultDrivenFillNeedsNoTrigger()
    {
        // The column default already gives every new row its value.
        const Plan plan = planFor(QStringLiteral("add_volatile_default"));
        QVERIFY(!findStep(plan, QStringLiteral("sync_trigger")));
        QVERIFY(!findStep(plan, QStringLiteral("contract_drop_sync")));
        QVERIFY(findStep(plan, QStringLiteral("backfill")));
    }

    void triggerSyntaxByVersion()
    {
        const QString p10 = findStep(planFor(QStringLiteral("index"), KeyShape::IntPk, 100023), QStringLiteral("sync_trigger"))->sql;
        const QString p11 = findStep(planFor(QStringLiteral("index"), KeyShape::IntPk, 110022), QStringLiteral("sync_trigger"))->sql;
        const QString p14 = findStep(planFor(QStringLiteral("index"), KeyShape::IntPk, 140000), QStringLiteral("sync_trigger"))->sql;
        QVERIFY(p10.contains(QLatin1String("\nCREATE TRIGGER ")) && p10.contains(QLatin1String("EXECUTE PROCEDURE")));
        QVERIFY(!p10.contains(QLatin1String("EXECUTE FUNCTION")));
        QVERIFY(p11.contains(QLatin1String("\nCREATE TRIGGER ")) && p11.contains(QLatin1String("EXECUTE FUNCTION")));
        QVERIFY(p14.contains(QLatin1String("\nCREATE OR REPLACE TRIGGER ")));
        QVERIFY(!p11.contains(QLatin1String("OR REPLACE TRIGGER")));
    }

    void replaceByCastInstallsReverseSyncAtSwitch()
    {
        const Plan plan = planFor(QStringLiteral("replace_int_to_bigint"));
        const Step* sync = findStep(plan, QStringLiteral("sync_trigger"));
        QVERIFY(sync->sql.contains(QLatin1String("SELECT (\"qty\"::bigint)::bigint INTO lockstep_v")));
        QVERIFY(findStep(plan, QStringLiteral("sync_swap"))->sql.contains(QLatin1String("BEFORE UPDATE OF \"qty\"")));
        const Step* sw = findStep(plan, QStringLiteral("switch"));
        QVERIFY(sw);
        QCOMPARE(sw->lock, std::optional<LockMode>(LockMode::ShareRowExclusive));
        QVERIFY(sw->sql.contains(QLatin1String("NEW.\"qty\" := (NEW.\"qty_big\")::integer;")));
        QVERIFY(sw->sql.contains(QLatin1String("BEFORE INSERT ON \"public\".\"items_int\" FOR EACH ROW WHEN (NEW.\"qty_big\" IS NOT NULL "
                                               "AND NEW.\"qty\" IS DISTINCT FROM (NEW.\"qty_big\")::integer)")));
        QVERIFY(sw->sql.contains(QLatin1String("BEFORE UPDATE OF \"qty_big\" ON \"public\".\"items_int\" FOR EACH ROW "
                                               "WHEN (NEW.\"qty_big\" IS DISTINCT FROM OLD.\"qty_big\")")));
        QVERIFY(sw->rollbackSql.contains(QLatin1String("DROP FUNCTION IF EXISTS \"public\".\"lockstep_items_int_qty_big_rev\"();")));
        QVERIFY(sw->why.contains(QLatin1String("loses nothing")));

        // Contract drops both directions and its rollback restores both.
        const Step* drop = findStep(plan, QStringLiteral("contract_drop_sync"));
        QCOMPARE(drop->sql.count(QLatin1String("DROP TRIGGER IF EXISTS")), 4);
        QCOMPARE(drop->sql.count(QLatin1String("DROP FUNCTION IF EXISTS")), 5);   // reverse, forward, its value and record functions, the log's
        QCOMPARE(drop->rollbackSql.count(QLatin1String("CREATE OR REPLACE FUNCTION")), 4);   // reverse, forward, value, record
        QCOMPARE(drop->lock, std::optional<LockMode>(LockMode::AccessExclusive));
        const Step* old = findStep(plan, QStringLiteral("contract_drop_old_column"));
        QVERIFY(old);
        QCOMPARE(old->statements.last(), QStringLiteral("ALTER TABLE \"public\".\"items_int\" DROP COLUMN IF EXISTS \"qty\";"));
        QCOMPARE(plan.steps.last().id, QStringLiteral("contract_drop_old_column"));
    }

    void transformHasNoReverse()
    {
        const Plan plan = planFor(QStringLiteral("replace_transform"));
        const Step* sync = findStep(plan, QStringLiteral("sync_trigger"));
        QVERIFY(sync->sql.contains(QLatin1String("SELECT (qty * 100)::bigint INTO lockstep_v")));
        const Step* sw = findStep(plan, QStringLiteral("switch"));
        QVERIFY(sw->statements.isEmpty());
        QVERIFY(!sw->lock);
        QVERIFY(sw->sql.startsWith(QLatin1String("--")));
        QVERIFY(sw->why.contains(QLatin1String("no known inverse")));
        // The sync function, its value and record functions, and the log's.
        QCOMPARE(findStep(plan, QStringLiteral("contract_drop_sync"))->sql.count(QLatin1String("DROP FUNCTION")), 4);
    }

    void addGateIsAComment()
    {
        const Plan plan = planFor(QStringLiteral("add_nullable"));
        const Step* sw = findStep(plan, QStringLiteral("switch"));
        QVERIFY(sw && !sw->lock && sw->statements.isEmpty() && sw->rollbackSql.isEmpty());
        QCOMPARE(sw->phase, Phase::Switch);
        QCOMPARE(sw->estimatedSeconds, 0.0);
    }
};

QTEST_APPLESS_MAIN(TestPlannerTriggers)
#include "test_planner_triggers.moc"
