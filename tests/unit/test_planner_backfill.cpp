// SPDX-License-Identifier: GPL-3.0-or-later
// The backfill step: its BackfillSpec (the runner's parameterised statements) for every key shape, and
// its psql form (DO block committing per batch on 11+, \gexec on 10).
#include "core/plan/planner.h"
#include "tests/unit/test_planner_checks.h"
#include "tests/unit/test_planner_support.h"

#include <QRegularExpression>
#include <QtTest>

using namespace lockstep;
using namespace lockstep::test;

Q_DECLARE_METATYPE(lockstep::test::KeyShape)

namespace {
Step backfillOf(const TableSnapshot& t, const ResolvedChange& r, PlannerOptions options = {})
{
    const Plan plan = Planner(offlineIdentQuoter(), options).plan(t, r);
    const Step* s = findStep(plan, QStringLiteral("backfill"));
    return s ? *s : Step{};
}

int highestParam(const QString& sql)
{
    static const QRegularExpression re(QStringLiteral("\\$(\\d+)"));
    int highest = 0;
    auto it = re.globalMatch(sql);
    while (it.hasNext())
        highest = qMax(highest, it.next().captured(1).toInt());
    return highest;
}

ResolvedChange totalChange(const TableSnapshot& t)
{
    return shapeChange(QStringLiteral("add_not_null_backfill"), t);
}

// The walk's UPDATEs: NULLs ahead of a keyed walk of a computed value, else the verification's comparison.
QString walkFilterOf(const Step& s, bool nullsOnly)
{
    const QString column = s.backfill->filter.section(QStringLiteral(" IS DISTINCT FROM "), 0, 0);
    return nullsOnly ? column + QStringLiteral(" IS NULL") : s.backfill->filter;
}
} // namespace

class TestPlannerBackfill : public QObject {
    Q_OBJECT
private slots:
    void specPerKey_data()
    {
        QTest::addColumn<KeyShape>("key");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QStringList>("columns");
        QTest::newRow("int pk") << KeyShape::IntPk << "primary_key" << QStringList{"id"};
        QTest::newRow("composite pk") << KeyShape::CompositePk << "primary_key" << QStringList{"order_id", "line_no"};
        QTest::newRow("text pk") << KeyShape::TextPk << "primary_key" << QStringList{"code"};
        QTest::newRow("unique not null") << KeyShape::UniqueNotNull << "unique_not_null" << QStringList{"uid"};
        QTest::newRow("quoted") << KeyShape::QuotedPk << "primary_key" << QStringList{"Item ID"};
        QTest::newRow("no key") << KeyShape::NoKey << "ctid" << QStringList{};
    }

    void specPerKey()
    {
        QFETCH(KeyShape, key);
        QFETCH(QString, kind);
        QFETCH(QStringList, columns);
        const TableSnapshot t = snapshotFor(key);
        const ResolvedChange r = totalChange(t);
        const Step s = backfillOf(t, r);
        QVERIFY(s.backfill);
        const BackfillSpec& b = *s.backfill;
        QCOMPARE(b.keyKind, kind);
        QCOMPARE(b.keyColumns, columns);
        QCOMPARE(b.keyTypes.size(), columns.size());
        QCOMPARE(b.targetColumn, r.change.column);
        QCOMPARE(b.expression, *r.backfillExpr);
        QVERIFY(b.filter.contains(QLatin1String("IS DISTINCT FROM")));
        QVERIFY(b.remainingSql.startsWith(QLatin1String("SELECT count(*) FROM ")));
        QVERIFY(b.remainingSql.endsWith(b.filter));
        const QString walk = walkFilterOf(s, kind != QLatin1String("ctid"));
        for (const QString* sql : {&b.batchSql, &b.firstBatchSql})
            QVERIFY2(sql->startsWith(QLatin1String("UPDATE ")) && sql->endsWith(QLatin1String(" AND ") + walk), qPrintable(*sql));
        const int n = columns.size();
        if (kind == QLatin1String("ctid")) {
            QCOMPARE(highestParam(b.batchSql), 2);
            QVERIFY(b.batchSql.contains(QLatin1String("ctid >= format('(%s,0)', $1::bigint)::tid AND ctid < format('(%s,0)', $2::bigint)::tid")));
            QCOMPARE(b.firstBatchSql, b.batchSql);
            QVERIFY(b.boundarySql.contains(QLatin1String("pg_relation_size(")));
            QCOMPARE(highestParam(b.boundarySql), 0);
            QCOMPARE(b.rowsPerPage, 100.0);   // 100000 rows on 1000 pages
            return;
        }
        // Lower bound $1..$n (exclusive), upper bound $n+1..$2n (inclusive), batch size after the bound.
        QCOMPARE(highestParam(b.batchSql), 2 * n);
        QCOMPARE(highestParam(b.firstBatchSql), n);
        QCOMPARE(highestParam(b.boundarySql), n + 1);
        QCOMPARE(highestParam(b.firstBoundarySql), 1);
        QVERIFY(b.boundarySql.contains(QStringLiteral("OFFSET $%1 - 1 LIMIT 1").arg(n + 1)));
        QVERIFY(b.firstBoundarySql.contains(QLatin1String("OFFSET $1 - 1 LIMIT 1")));
        QVERIFY(!b.firstBoundarySql.contains(QLatin1String("WHERE")));
        for (int i = 0; i < n; ++i)
            QVERIFY(b.batchSql.contains(QStringLiteral("$%1::%2").arg(i + 1).arg(b.keyTypes[i])));
        if (n > 1) {
            QVERIFY2(b.batchSql.contains(QLatin1String("(\"order_id\", \"line_no\") > ($1::integer, $2::integer) AND "
                                                       "(\"order_id\", \"line_no\") <= ($3::integer, $4::integer)")),
                     qPrintable(b.batchSql));
            QVERIFY(b.boundarySql.contains(QLatin1String("ORDER BY \"order_id\", \"line_no\" OFFSET $3 - 1 LIMIT 1")));
            QVERIFY(b.boundarySql.contains(QLatin1String("ORDER BY \"order_id\" DESC, \"line_no\" DESC LIMIT 1")));
        }
    }

    void exactIntKeyBatch()
    {
        const TableSnapshot t = snapshotFor(KeyShape::IntPk);
        const BackfillSpec b = *backfillOf(t, totalChange(t)).backfill;
        QCOMPARE(b.batchSql, QStringLiteral(
            "UPDATE \"public\".\"items_int\" SET \"total\" = (qty * 2.5)::numeric(12,2) WHERE \"id\" > $1::bigint "
            "AND \"id\" <= $2::bigint AND \"total\" IS NULL"));
        QCOMPARE(b.filter, QStringLiteral("\"total\" IS DISTINCT FROM (qty * 2.5)::numeric(12,2)"));
        QCOMPARE(b.firstBoundarySql, QStringLiteral(
            "SELECT \"id\" FROM ((SELECT \"id\", false AS \"lockstep_last\" FROM \"public\".\"items_int\" ORDER BY \"id\" "
            "OFFSET $1 - 1 LIMIT 1) UNION ALL (SELECT \"id\", true FROM \"public\".\"items_int\" ORDER BY \"id\" DESC LIMIT 1)) "
            "AS lockstep_batch ORDER BY \"lockstep_last\" LIMIT 1"));
    }

    void defaultDrivenFillOnlyTouchesNulls()
    {
        const TableSnapshot t = snapshotFor(KeyShape::IntPk);
        const Step s = backfillOf(t, shapeChange(QStringLiteral("add_volatile_default"), t));
        QVERIFY(s.backfill);
        // gen_random_uuid() differs on every call: comparing with it would never finish.
        QCOMPARE(s.backfill->filter, QStringLiteral("\"token\" IS NULL"));
        QVERIFY(s.backfill->batchSql.contains(QLatin1String("SET \"token\" = (gen_random_uuid())::uuid")));
        // PG 10 with a constant default: filled by the backfill too, also only where NULL.
        const TableSnapshot t10 = snapshotFor(KeyShape::IntPk, 100023);
        const Step s10 = backfillOf(t10, shapeChange(QStringLiteral("add_constant_default"), t10));
        QVERIFY(s10.backfill);
        QCOMPARE(s10.backfill->filter, QStringLiteral("\"state\" IS NULL"));
        // An explicit volatile backfill (the resolver says so) fills only NULLs as well.
        ResolvedChange r = addChange(t, QStringLiteral("noise"), QStringLiteral("double precision"));
        setBackfill(&r, QStringLiteral("random() * qty"), {QStringLiteral("qty")});
        r.backfillVolatile = true;
        const Step v = backfillOf(t, r);
        QCOMPARE(v.backfill->filter, QStringLiteral("\"noise\" IS NULL"));
        QVERIFY(v.sql.contains(QLatin1String("AND \"noise\" IS NULL;")));
    }

    void walkComputesTheValueOnce_data()
    {
        QTest::addColumn<QString>("shape");
        QTest::addColumn<KeyShape>("key");
        QTest::addColumn<bool>("copy");
        QTest::addColumn<bool>("nullsOnly");
        QTest::newRow("expression, int pk") << "add_not_null_backfill" << KeyShape::IntPk << false << true;
        QTest::newRow("expression, composite pk") << "add_not_null_backfill" << KeyShape::CompositePk << false << true;
        QTest::newRow("expression, no key") << "add_not_null_backfill" << KeyShape::NoKey << false << false;
        QTest::newRow("copy of a column") << "add_not_null_backfill" << KeyShape::IntPk << true << false;
        QTest::newRow("replace, conversion") << "replace_int_to_bigint" << KeyShape::IntPk << false << false;
        QTest::newRow("replace, expression") << "replace_transform" << KeyShape::IntPk << false << true;
        QTest::newRow("inline default") << "everything" << KeyShape::IntPk << false << false;
    }

    // Ahead of a keyed walk the new column is NULL: `IS NULL` picks the rows without computing the value a
    // second time. Rows start non-NULL under an inline default, a page walk meets moved rows again, and a
    // copy compares for free (skipping a sparse column's NULLs): those keep the comparison. The check
    // before the switch always compares.
    void walkComputesTheValueOnce()
    {
        QFETCH(QString, shape);
        QFETCH(KeyShape, key);
        QFETCH(bool, copy);
        QFETCH(bool, nullsOnly);
        const TableSnapshot t = snapshotFor(key);
        ResolvedChange r = shapeChange(shape, t);
        if (copy) {
            setBackfill(&r, qtyRef(t), {qtyName(t)});
            r.backfillCopiesColumn = true;
        }
        const Step s = backfillOf(t, r);
        QVERIFY(s.backfill);
        const BackfillSpec& b = *s.backfill;
        QVERIFY2(b.filter.contains(QLatin1String(" IS DISTINCT FROM ")), qPrintable(b.filter));
        QVERIFY(b.remainingSql.endsWith(b.filter));
        const QString walk = walkFilterOf(s, nullsOnly);
        QVERIFY2(b.batchSql.endsWith(QLatin1String(" AND ") + walk), qPrintable(b.batchSql));
        QVERIFY2(b.firstBatchSql.endsWith(QLatin1String(" AND ") + walk), qPrintable(b.firstBatchSql));
        QVERIFY2(s.sql.contains(QLatin1String(" AND ") + walk + QLatin1Char(';')), qPrintable(s.sql));
        // The \gexec form (PostgreSQL 10) writes the same filter into its generated UPDATEs.
        const TableSnapshot t10 = snapshotFor(key, 100023);
        ResolvedChange r10 = shapeChange(shape, t10);
        if (copy) {
            setBackfill(&r10, qtyRef(t10), {qtyName(t10)});
            r10.backfillCopiesColumn = true;
        }
        const Step s10 = backfillOf(t10, r10);
        QVERIFY(s10.backfill);
        // PostgreSQL 10 cannot add a default without a rewrite: the column starts NULL there.
        const bool nulls10 = nullsOnly || (shape == QLatin1String("everything") && key != KeyShape::NoKey);
        QVERIFY2(s10.sql.contains(walkFilterOf(s10, nulls10)), qPrintable(s10.sql));
    }

    void doBlockCommitsPerBatch_data()
    {
        QTest::addColumn<KeyShape>("key");
        QTest::newRow("int pk") << KeyShape::IntPk;
        QTest::newRow("composite pk") << KeyShape::CompositePk;
        QTest::newRow("no key") << KeyShape::NoKey;
        QTest::newRow("quoted") << KeyShape::QuotedPk;
    }

    void doBlockCommitsPerBatch()
    {
        QFETCH(KeyShape, key);
        const TableSnapshot t = snapshotFor(key, 150004);
        const Step s = backfillOf(t, totalChange(t));
        QCOMPARE(s.statements.size(), 2);
        QCOMPARE(s.statements[0], QStringLiteral("SET statement_timeout = 0;"));
        const QString block = s.statements[1];
        QVERIFY(block.startsWith(QLatin1String("DO $lockstep$\n#variable_conflict use_column\n")));
        QVERIFY(block.endsWith(QLatin1String("$lockstep$;")));
        QVERIFY(block.contains(QLatin1String("    COMMIT;\n")));
        QVERIFY(block.contains(QLatin1String("PERFORM set_config('lock_timeout', '1000ms', true);")));
        QVERIFY(block.contains(QLatin1String("EXCEPTION WHEN lock_not_available THEN")));
        // The batch updates carry the same filter as the runner's statements.
        const QString walk = walkFilterOf(s, key != KeyShape::NoKey);
        QVERIFY(s.backfill->batchSql.endsWith(walk));
        QVERIFY2(block.contains(QLatin1String(" AND ") + walk + QLatin1Char(';')), qPrintable(block));
        QVERIFY(!s.transactional);
        QVERIFY(s.rollbackSql.isEmpty());
        if (key == KeyShape::NoKey) {
            QVERIFY(block.contains(QLatin1String("lockstep_step bigint := 10;")));   // 1000 rows at 100 rows/page
            QVERIFY(block.contains(QLatin1String("WHILE lockstep_page < lockstep_pages LOOP")));
        } else {
            QVERIFY(block.contains(QLatin1String("EXIT WHEN NOT FOUND;")));
            QVERIFY(block.contains(QLatin1String("OFFSET 1000 - 1 LIMIT 1)")));
        }
    }

    void postgres10UsesGexec()
    {
        for (KeyShape key : {KeyShape::IntPk, KeyShape::CompositePk, KeyShape::NoKey}) {
            const TableSnapshot t = snapshotFor(key, 100023);
            const Step s = backfillOf(t, totalChange(t));
            const QString sql = s.sql;
            QVERIFY(sql.endsWith(QLatin1String("\n\\gexec")));
            QVERIFY(!sql.contains(QLatin1String("COMMIT")));
            QVERIFY(!sql.contains(QLatin1String("DO $")));
            QVERIFY(s.statements.contains(QStringLiteral("SET lock_timeout = '1000ms';")));
            QVERIFY(s.why.contains(QLatin1String("\\gexec")));
            QVERIFY(s.backfill);   // the runner's statements do not depend on the version
        }
    }

    void batchSizeOption()
    {
        PlannerOptions o;
        o.batchRows = 5000;
        const TableSnapshot t = snapshotFor(KeyShape::TextPk);
        const Step s = backfillOf(t, totalChange(t), o);
        QVERIFY(s.sql.contains(QLatin1String("OFFSET 5000 - 1 LIMIT 1)")));
        QVERIFY(s.why.contains(QLatin1String("5000 rows")));
    }

    void variablesNeverShadowColumns()
    {
        TableSnapshot t = snapshotFor(KeyShape::IntPk);
        t.columns << col(QStringLiteral("lockstep_lo_1"), QStringLiteral("integer"), false, 9);
        const Step s = backfillOf(t, totalChange(t));
        QVERIFY(!s.sql.contains(QLatin1String("lockstep_lo_1 bigint")));
        QVERIFY(s.sql.contains(QLatin1String("lockstep1_lo_1 bigint;")));
    }

    void dollarQuoteAvoidsTheExpression()
    {
        const TableSnapshot t = snapshotFor(KeyShape::IntPk);
        ResolvedChange r = addChange(t, QStringLiteral("tag"), QStringLiteral("text"));
        setBackfill(&r, QStringLiteral("'$lockstep$' || qty"), {QStringLiteral("qty")});
        const Plan plan = Planner(offlineIdentQuoter()).plan(t, r);
        const Step* s = findStep(plan, QStringLiteral("backfill"));
        QVERIFY(s);
        QVERIFY(s->statements[1].startsWith(QLatin1String("DO $lockstep1$")));
        QVERIFY(s->statements[1].endsWith(QLatin1String("$lockstep1$;")));
        QVERIFY(findStep(plan, QStringLiteral("sync_trigger"))->sql.contains(QLatin1String("AS $lockstep1$")));
    }

    void estimates()
    {
        TableSnapshot t = snapshotFor(KeyShape::IntPk);
        QCOMPARE(backfillOf(t, totalChange(t)).estimatedSeconds, 2.0);   // 100000 rows at 50000 rows/s
        t.rowEstimate = -1;   // never analyzed: 8192000 heap bytes as 100-byte rows
        QCOMPARE(backfillOf(t, totalChange(t)).estimatedSeconds, 8192000.0 / 100 / 50000);
        t.rowEstimate = 0;
        t.relpages = 0;
        t.heapBytes = 0;
        QCOMPARE(backfillOf(t, totalChange(t)).estimatedSeconds, 0.0);
        // Without a key and without TID range scans (< 14) every batch reads the whole table.
        const TableSnapshot nokey13 = snapshotFor(KeyShape::NoKey, 130000);
        const TableSnapshot nokey14 = snapshotFor(KeyShape::NoKey, 140000);
        const Step slow = backfillOf(nokey13, totalChange(nokey13));
        const Step fast = backfillOf(nokey14, totalChange(nokey14));
        QVERIFY(slow.estimatedSeconds > fast.estimatedSeconds);
        QVERIFY(slow.why.contains(QLatin1String("TID range")));
        QVERIFY(!fast.why.contains(QLatin1String("TID range")));
    }
};

QTEST_APPLESS_MAIN(TestPlannerBackfill)
#include "test_planner_backfill.moc"
