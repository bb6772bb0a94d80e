// SPDX-License-Identifier: GPL-3.0-or-later
// Step, BackfillSpec and Plan JSON: the documented keys, lock as a name or null, phases by name,
// round trips, and Plan::until.
#include "core/plan/planner.h"
#include "tests/unit/test_planner_checks.h"
#include "tests/unit/test_planner_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace lockstep;
using namespace lockstep::test;

namespace {
Step sampleStep()
{
    Step s;
    s.id = QStringLiteral("backfill");
    s.phase = Phase::Backfill;
    s.title = QStringLiteral("Backfill \"Total €\"");
    s.why = QStringLiteral("Because.");
    s.statements = {QStringLiteral("SET statement_timeout = 0;"), QStringLiteral("DO $x$BEGIN NULL; END$x$;")};
    s.sql = s.statements.join(QLatin1Char('\n'));
    s.rollbackStatements = {QStringLiteral("SELECT 1;")};
    s.rollbackSql = s.rollbackStatements.join(QLatin1Char('\n'));
    s.reversible = true;
    s.lock = LockMode::RowExclusive;
    s.scans = true;
    s.transactional = false;
    s.estimatedSeconds = 12.5;
    BackfillSpec b;
    b.keyKind = QStringLiteral("primary_key");
    b.keyColumns = {QStringLiteral("a"), QStringLiteral("B c")};
    b.keyTypes = {QStringLiteral("integer"), QStringLiteral("text")};
    b.targetColumn = QStringLiteral("Total €");
    b.expression = QStringLiteral("qty * 2");
    b.filter = QStringLiteral("x IS NULL");
    b.batchSql = QStringLiteral("UPDATE 1");
    b.firstBatchSql = QStringLiteral("UPDATE 2");
    b.boundarySql = QStringLiteral("SELECT 3");
    b.firstBoundarySql = QStringLiteral("SELECT 4");
    b.remainingSql = QStringLiteral("SELECT 5");
    b.rowsPerPage = 42.5;
    s.backfill = b;
    return s;
}
} // namespace

class TestPlanJson : public QObject {
    Q_OBJECT
private slots:
    void phaseNames()
    {
        const QStringList names{"expand", "backfill", "constrain", "switch", "contract"};
        for (int i = 0; i < names.size(); ++i) {
            QCOMPARE(phaseName(static_cast<Phase>(i)), names[i]);
            QCOMPARE(phaseFromName(names[i]), std::optional<Phase>(static_cast<Phase>(i)));
        }
        QCOMPARE(phaseFromName(QStringLiteral("Contract")), std::optional<Phase>(Phase::Contract));
        QVERIFY(!phaseFromName(QStringLiteral("deploy")));
        QVERIFY(!phaseFromName(QString()));
    }

    void stepKeys()
    {
        const QJsonObject o = sampleStep().toJson();
        for (const char* key : {"id", "phase", "title", "why", "sql", "rollback_sql", "statements", "rollback_statements",
                                "reversible", "lock", "rewrites", "scans", "transactional", "estimated_seconds", "backfill"})
            QVERIFY2(o.contains(QLatin1String(key)), key);
        QCOMPARE(o.value("phase").toString(), QStringLiteral("backfill"));
        QCOMPARE(o.value("lock").toString(), QStringLiteral("ROW EXCLUSIVE"));
        QCOMPARE(o.value("statements").toArray().size(), 2);
        const QJsonObject b = o.value("backfill").toObject();
        for (const char* key : {"key_kind", "key_columns", "key_types", "target_column", "expression", "filter", "batch_sql",
                                "first_batch_sql", "boundary_sql", "first_boundary_sql", "remaining_sql", "rows_per_page"})
            QVERIFY2(b.contains(QLatin1String(key)), key);
        QCOMPARE(b.value("key_columns").toArray().at(1).toString(), QStringLiteral("B c"));
    }

    void stepRoundTrip()
    {
        const Step s = sampleStep();
        const Step back = Step::fromJson(QJsonDocument::fromJson(QJsonDocument(s.toJson()).toJson()).object());
        QCOMPARE(back.toJson(), s.toJson());
        QCOMPARE(back.lock, s.lock);
        QCOMPARE(back.phase, Phase::Backfill);
        QCOMPARE(back.backfill->keyColumns, s.backfill->keyColumns);
        QCOMPARE(back.backfill->rowsPerPage, 42.5);
        QCOMPARE(back.transactional, false);
        QCOMPARE(back.statements, s.statements);
    }

    void gateHasNullLock()
    {
        Step gate;
        gate.id = QStringLiteral("switch");
        gate.phase = Phase::Switch;
        gate.sql = QStringLiteral("-- deploy");
        const QJsonObject o = gate.toJson();
        QVERIFY(o.value("lock").isNull());
        QVERIFY(!o.contains("backfill"));
        const Step back = Step::fromJson(o);
        QVERIFY(!back.lock);
        QVERIFY(!back.backfill);
        QVERIFY(back.statements.isEmpty());
        QVERIFY(back.rollbackStatements.isEmpty());
    }

    void olderJsonWithoutStatements()
    {
        QJsonObject o = sampleStep().toJson();
        o.remove("statements");
        o.remove("rollback_statements");
        const Step back = Step::fromJson(o);
        QCOMPARE(back.statements, QStringList{sampleStep().sql});
        QCOMPARE(back.rollbackStatements, QStringList{sampleStep().rollbackSql});
    }

    void planRoundTripAndUntil()
    {
        const TableSnapshot t = snapshotFor(KeyShape::QuotedPk, 120019);
        const Plan plan = Planner(offlineIdentQuoter()).plan(t, shapeChange(QStringLiteral("everything"), t));
        const QJsonObject o = plan.toJson();
        QCOMPARE(o.value("server_version").toString(), QStringLiteral("12.19"));
        QCOMPARE(o.value("server_version_num").toInt(), 120019);
        QCOMPARE(o.value("table").toString(), QStringLiteral("\"sales\".\"Order Items\""));
        QVERIFY(o.value("change").isObject());
        QVERIFY(t.oid != 0);
        QCOMPARE(o.value("table_oid").toInteger(), qint64(t.oid));
        const Plan back = Plan::fromJson(QJsonDocument::fromJson(QJsonDocument(o).toJson()).object());
        QCOMPARE(back.tableOid, t.oid);
        QCOMPARE(back.steps.size(), plan.steps.size());
        QCOMPARE(back.toJson().value("steps"), o.value("steps"));
        QCOMPARE(back.estimatedSeconds(), plan.estimatedSeconds());

        for (Phase last : {Phase::Expand, Phase::Backfill, Phase::Constrain, Phase::Switch, Phase::Contract}) {
            const Plan part = plan.until(last);
            QCOMPARE(part.table, plan.table);
            QCOMPARE(part.serverVersionNum, plan.serverVersionNum);
            int expected = 0;
            for (const Step& s : plan.steps)
                expected += int(s.phase) <= int(last);
            QCOMPARE(part.steps.size(), expected);
            for (int i = 0; i < part.steps.size(); ++i)
                QCOMPARE(part.steps[i].id, plan.steps[i].id);
        }
        QCOMPARE(stepIds(plan.until(Phase::Backfill)), (QStringList{"add_column", "sync_trigger", "backfill", "failed_rows"}));
        QCOMPARE(plan.until(Phase::Contract).steps.size(), plan.steps.size());
    }
};

QTEST_APPLESS_MAIN(TestPlanJson)
#include "test_plan_json.moc"
