// SPDX-License-Identifier: GPL-3.0-or-later
// Every change shape x server version x key shape (including a quoted mixed-case table and column):
// the steps in order, their locks and flags, the timeout discipline, quoting, name lengths, JSON.
#include "core/plan/planner.h"
#include "tests/unit/test_planner_checks.h"
#include "tests/unit/test_planner_support.h"

#include <QJsonArray>
#include <QtTest>

using namespace lockstep;
using namespace lockstep::test;

Q_DECLARE_METATYPE(lockstep::test::KeyShape)

namespace {
const QVector<int> kVersions{100023, 110022, 120019, 150004};
const QVector<KeyShape> kKeys{KeyShape::IntPk, KeyShape::CompositePk, KeyShape::TextPk, KeyShape::UniqueNotNull,
                              KeyShape::NoKey, KeyShape::QuotedPk};

QStringList notNullIds(int version)
{
    QStringList ids{"not_null_check", "not_null_validate"};
    if (version >= 120000)
        ids << "not_null_set" << "not_null_drop_check";
    return ids;
}

QStringList expectedIds(const QString& shape, int v, KeyShape key)
{
    // From 14, on a keyed table, updates are logged during the walk and the BEFORE trigger swapped in after.
    QStringList synced{"add_column", "sync_trigger", "backfill"};
    if (v >= 140000 && key != KeyShape::NoKey)
        synced << "sync_swap" << "sync_catch_up";
    synced << "failed_rows";   // rows whose value failed (recorded by the trigger's value function), retried
    const QStringList end{"switch", "contract_drop_sync"};
    const QStringList replaceEnd{"switch", "contract_drop_sync", "contract_drop_old_column"};
    if (shape == "add_nullable")
        return {"add_column", "switch"};
    if (shape == "add_constant_default")
        return v >= 110000 ? QStringList{"add_column", "switch"} : QStringList{"add_column", "backfill", "switch"};
    if (shape == "add_volatile_default")
        return QStringList{"add_column", "backfill"} + notNullIds(v) + QStringList{"switch"};
    if (shape == "add_not_null_backfill")
        return synced + notNullIds(v) + end;
    if (shape == "unique")
        return synced + QStringList{"unique_index", "unique_constraint"} + end;
    if (shape == "index")
        return synced + QStringList{"index"} + end;
    if (shape == "foreign_key")
        return synced + QStringList{"foreign_key", "foreign_key_validate"} + end;
    if (shape == "check")
        return synced + QStringList{"check", "check_validate"} + end;
    if (shape == "everything")
        // The NOT VALID checks side by side and SET NOT NULL beside its helper's drop (one lock request each).
        return synced + QStringList{"not_null_check", "check"} + notNullIds(v).mid(1) + QStringList{"check_validate"}
               + QStringList{"unique_index", "unique_constraint", "foreign_key", "foreign_key_validate"}
               + end;
    if (shape == "replace_rename")
        return synced + notNullIds(v) + replaceEnd;
    return synced + replaceEnd;   // replace_int_to_bigint, replace_transform
}

QString expectedLock(const QString& shape, const QString& id)
{
    static const QHash<QString, QString> locks{
        {"add_column", "ACCESS EXCLUSIVE"}, {"sync_trigger", "SHARE ROW EXCLUSIVE"}, {"backfill", "ROW EXCLUSIVE"},
        {"sync_swap", "SHARE ROW EXCLUSIVE"}, {"sync_catch_up", "ROW EXCLUSIVE"}, {"failed_rows", "ROW EXCLUSIVE"},
        {"not_null_check", "ACCESS EXCLUSIVE"}, {"not_null_validate", "SHARE UPDATE EXCLUSIVE"},
        {"not_null_set", "ACCESS EXCLUSIVE"}, {"not_null_drop_check", "ACCESS EXCLUSIVE"},
        {"index", "SHARE UPDATE EXCLUSIVE"}, {"unique_index", "SHARE UPDATE EXCLUSIVE"},
        {"unique_constraint", "ACCESS EXCLUSIVE"}, {"foreign_key", "SHARE ROW EXCLUSIVE"},
        {"foreign_key_validate", "SHARE UPDATE EXCLUSIVE"}, {"check", "ACCESS EXCLUSIVE"},
        {"check_validate", "SHARE UPDATE EXCLUSIVE"}, {"contract_drop_sync", "ACCESS EXCLUSIVE"},
        {"contract_drop_old_column", "ACCESS EXCLUSIVE"}};
    if (id == "switch")   // a replace by cast installs the reverse trigger; anything else is a bare gate
        return shape == "replace_int_to_bigint" || shape == "replace_rename" ? "SHARE ROW EXCLUSIVE" : "none";
    return locks.value(id);
}
} // namespace

class TestPlannerShapes : public QObject {
    Q_OBJECT
private slots:
    void shape_data()
    {
        QTest::addColumn<QString>("shape");
        QTest::addColumn<int>("version");
        QTest::addColumn<KeyShape>("key");
        for (const QString& shape : shapeNames())
            for (int v : kVersions)
                for (KeyShape k : kKeys)
                    QTest::newRow(qPrintable(QStringLiteral("%1/pg%2/%3").arg(shape).arg(v / 10000).arg(keyShapeName(k))))
                        << shape << v << k;
    }

    void shape()
    {
        QFETCH(QString, shape);
        QFETCH(int, version);
        QFETCH(KeyShape, key);
        const TableSnapshot table = snapshotFor(key, version);
        const ResolvedChange change = shapeChange(shape, table);
        const Plan plan = Planner(offlineIdentQuoter()).plan(table, change);

        QCOMPARE(plan.serverVersionNum, version);
        QCOMPARE(plan.table, QStringLiteral("\"%1\".\"%2\"").arg(table.schema, table.name));
        QCOMPARE(stepIds(plan), expectedIds(shape, version, key));

        int lastPhase = 0;
        for (const Step& s : plan.steps) {
            const QString where = shape + QLatin1Char('/') + s.id;
            // Phases never go backwards; ids are unique.
            QVERIFY2(int(s.phase) >= lastPhase, qPrintable(where));
            lastPhase = int(s.phase);
            QCOMPARE(stepIds(plan).count(s.id), 1);
            QVERIFY2(!s.title.isEmpty() && !s.why.isEmpty() && !s.sql.isEmpty(), qPrintable(where));

            QCOMPARE(s.lock ? lockModeName(*s.lock) : QStringLiteral("none"), expectedLock(shape, s.id));
            // Nothing the planner emits rewrites the table.
            QVERIFY2(!s.rewrites, qPrintable(where));
            const bool scans = s.id == "backfill" || s.id.endsWith("_validate") || s.id.endsWith("index");
            QCOMPARE(s.scans, scans);
            const bool concurrent = s.sql.contains(QLatin1String("CONCURRENTLY"));
            QCOMPARE(concurrent, s.id.endsWith("index"));
            QCOMPARE(s.transactional, !concurrent && s.id != "backfill");
            QVERIFY2(!s.rollbackSql.contains(QLatin1String("CONCURRENTLY")) || !s.transactional, qPrintable(where));

            // Brief blocking statements run under lock_timeout; long non-blocking ones without statement_timeout.
            const QString forward = timeoutViolation(s.statements);
            QVERIFY2(forward.isEmpty(), qPrintable(where + QStringLiteral(": ") + forward));
            const QString backward = timeoutViolation(s.rollbackStatements);
            QVERIFY2(backward.isEmpty(), qPrintable(where + QStringLiteral(" rollback: ") + backward));
            if (s.lock == LockMode::AccessExclusive || s.lock == LockMode::ShareRowExclusive)
                QVERIFY2(s.statements.value(0).startsWith(QLatin1String("SET lock_timeout = '1000ms'")), qPrintable(where));

            // Only the contract's DROP COLUMN is irreversible, and it says so.
            QCOMPARE(s.reversible, s.id != "contract_drop_old_column");
            if (!s.reversible) {
                QVERIFY(s.rollbackSql.isEmpty());
                QVERIFY(s.why.contains(QLatin1String("point of no return"), Qt::CaseInsensitive));
            }
            // Every step that creates something can undo it; VALIDATE, the backfill, its catch-up, the trigger swap
            // (the BEFORE trigger syncs as the log did) and a bare gate have nothing to undo.
            const bool nothingToUndo = s.id.endsWith("_validate") || s.id == "backfill" || s.id == "sync_swap" || s.id == "sync_catch_up" || s.id == "failed_rows"
                                       || !s.reversible
                                       || (s.id == "switch" && !s.lock);
            QCOMPARE(s.rollbackSql.trimmed().isEmpty(), nothingToUndo);
            QCOMPARE(s.backfill.has_value(), s.id == "backfill");

            QVERIFY(s.estimatedSeconds >= 0);
            if (s.scans)
                QVERIFY2(s.estimatedSeconds > 0, qPrintable(where));

            // sql is exactly its statements (a gate has only a comment).
            if (!s.statements.isEmpty())
                QCOMPARE(s.sql, s.statements.join(QLatin1Char('\n')));
            else
                QVERIFY(s.sql.startsWith(QLatin1String("--")));

            // Every identifier is quoted and fits PostgreSQL's 63 bytes.
            QStringList identifiers;
            const QString bare = withoutQuoted(s.sql + QLatin1Char('\n') + s.rollbackSql, &identifiers);
            for (const QString& id : identifiers)
                QVERIFY2(id.toUtf8().size() <= 63, qPrintable(where + QStringLiteral(": ") + id));
            QVERIFY2(!bare.contains(table.name), qPrintable(where + QStringLiteral(": unquoted table in ") + bare));
            if (key == KeyShape::QuotedPk) {
                QVERIFY2(!bare.contains(QLatin1String("Total €")), qPrintable(where));
                QVERIFY2(!bare.contains(QLatin1String("Item ID")), qPrintable(where));
            }
        }

        // Version differences that matter.
        const Step* add = findStep(plan, "add_column");
        QVERIFY(add);
        if (shape == "add_constant_default") {
            QCOMPARE(add->sql.contains(QLatin1String("DEFAULT 'new'")) && !add->sql.contains(QLatin1String("SET DEFAULT")),
                     version >= 110000);
        }
        if (shape == "add_volatile_default")
            QVERIFY(add->sql.contains(QLatin1String("ADD COLUMN IF NOT EXISTS")) && add->sql.contains(QLatin1String(", ALTER COLUMN")) && add->sql.contains(QLatin1String("SET DEFAULT gen_random_uuid()")));
        if (const Step* validate = findStep(plan, "not_null_validate"); validate && version < 120000)
            QVERIFY(validate->why.contains(QLatin1String("kept")));

        // The plan survives JSON.
        const QJsonObject json = plan.toJson();
        const Plan back = Plan::fromJson(json);
        QCOMPARE(back.toJson().value("steps").toArray(), json.value("steps").toArray());
        QCOMPARE(back.table, plan.table);
        QCOMPARE(back.serverVersionNum, plan.serverVersionNum);
        QCOMPARE(back.change.column, plan.change.column);
    }
};

QTEST_APPLESS_MAIN(TestPlannerShapes)
#include "test_planner_shapes.moc"
