// SPDX-License-Identifier: GPL-3.0-or-later
// The psql script (runnable top to bottom, rollback only as comments) and the terminal summary.
#include "core/plan/plan_render.h"
#include "core/plan/planner.h"
#include "core/plan/sql_text.h"
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

const QString kRollbackMarker = QStringLiteral("-- Rollback (NOT executed)");
} // namespace

class TestPlanRender : public QObject {
    Q_OBJECT
private slots:
    // Linter directives stay in exported scripts (CI lints them) and leave the SQL a person reads.
    void lintDirectivesLeaveTheDisplayedSql()
    {
        const TableSnapshot t = snapshotFor(KeyShape::IntPk);
        const Plan plan = Planner(offlineIdentQuoter()).plan(t, shapeChange(QStringLiteral("everything"), t));
        int directives = 0;
        for (const Step& s : plan.steps) {
            directives += s.rollbackSql.count(QLatin1String("-- squawk-ignore"));
            const QString shown = withoutLintDirectives(s.rollbackSql);
            QVERIFY(!shown.contains(QLatin1String("squawk")));
            QCOMPARE(shown.count(QLatin1String("DROP ")), s.rollbackSql.count(QLatin1String("DROP ")));
        }
        QVERIFY(directives > 0);   // the plan has some to remove
        QVERIFY(renderSqlScript(plan).contains(QLatin1String("-- squawk-ignore ban-drop-table")));
    }

    void scriptStructure_data()
    {
        QTest::addColumn<QString>("shape");
        QTest::addColumn<int>("version");
        for (const QString& shape : shapeNames())
            for (int v : {100023, 150004})
                QTest::newRow(qPrintable(QStringLiteral("%1/pg%2").arg(shape).arg(v / 10000))) << shape << v;
    }

    void scriptStructure()
    {
        QFETCH(QString, shape);
        QFETCH(int, version);
        const Plan plan = planFor(shape, KeyShape::QuotedPk, version);
        const QString script = renderSqlScript(plan);
        QVERIFY(script.startsWith(QLatin1String("-- Lockstep plan: ")));
        QVERIFY(script.contains(QLatin1String("psql -v ON_ERROR_STOP=1 -f")));
        const int marker = script.indexOf(kRollbackMarker);
        QVERIFY(marker > 0);
        const QStringList forward = script.left(marker).split(QLatin1Char('\n'));
        const QStringList rollback = script.mid(marker).split(QLatin1Char('\n'), Qt::SkipEmptyParts);

        // The first statements set both timeouts.
        QStringList code;
        for (const QString& line : forward)
            if (!line.startsWith(QLatin1String("--")) && !line.trimmed().isEmpty())
                code << line;
        QCOMPARE(code.value(0), QStringLiteral("SET lock_timeout = '1000ms';"));
        QCOMPARE(code.value(1), QStringLiteral("SET statement_timeout = 0;"));

        // Transactions: every DDL statement of a transactional step inside BEGIN/COMMIT, CONCURRENTLY and
        // the backfill outside, and every BEGIN closed.
        // A DO block inside a transaction only where a transactional step has one (the failed-rows retry); the
        // backfill's, which commits per batch, outside.
        bool inTransaction = false;
        int transactions = 0, blocksInTransactions = 0;
        for (const QString& line : code) {
            if (line == QLatin1String("BEGIN;")) {
                QVERIFY(!inTransaction);
                inTransaction = true;
                ++transactions;
            } else if (line == QLatin1String("COMMIT;") && inTransaction) {
                inTransaction = false;
            } else if (line.startsWith(QLatin1String("DO $"))) {
                blocksInTransactions += inTransaction;
            } else if (line.contains(QLatin1String("CONCURRENTLY")) || line == QLatin1String("\\gexec")) {
                QVERIFY2(!inTransaction, qPrintable(line));
            } else if (line.startsWith(QLatin1String("ALTER TABLE")) || line.startsWith(QLatin1String("CREATE OR REPLACE FUNCTION"))) {
                QVERIFY2(inTransaction, qPrintable(line));
            }
        }
        QVERIFY(!inTransaction);
        int transactionalSteps = 0;
        for (const Step& s : plan.steps)
            transactionalSteps += s.transactional && !s.statements.isEmpty();
        QCOMPARE(transactions, transactionalSteps);
        int transactionalBlocks = 0;
        for (const Step& s : plan.steps)
            for (const QString& st : s.statements)
                transactionalBlocks += s.transactional && st.startsWith(QLatin1String("DO $"));
        QCOMPARE(blocksInTransactions, transactionalBlocks);

        // Each step appears once, in order, with its lock and why.
        int last = -1;
        for (int i = 0; i < plan.steps.size(); ++i) {
            const Step& s = plan.steps[i];
            const QString label = QStringLiteral("-- [%1/%2] %3 (%4)").arg(i + 1).arg(plan.steps.size()).arg(phaseName(s.phase), s.id);
            const int at = script.indexOf(label);
            QVERIFY2(at > last && at < marker, qPrintable(label));
            last = at;
            if (!s.statements.isEmpty())
                QVERIFY(script.left(marker).contains(s.statements.join(QLatin1Char('\n'))));
        }
        QVERIFY(script.contains(QLatin1String("-- Lock: ACCESS EXCLUSIVE (blocks reads and writes)")));

        // The rollback section is all comments, last step first.
        for (const QString& line : rollback)
            QVERIFY2(line.startsWith(QLatin1String("--")), qPrintable(line));
        int previous = INT_MAX;
        const QString tail = script.mid(marker);
        for (int i = 0; i < plan.steps.size(); ++i) {
            const int at = tail.indexOf(QStringLiteral("-- [%1/%2] ").arg(i + 1).arg(plan.steps.size()));
            QVERIFY(at > 0);
            if (i > 0)
                QVERIFY(at < previous);
            previous = at;
        }
        // A rollback statement never runs: add_column's DROP COLUMN only appears commented out.
        const QString drop = findStep(plan, QStringLiteral("add_column"))->rollbackStatements.last();
        QVERIFY(!script.left(marker).contains(drop));
        QVERIFY(tail.contains(QStringLiteral("--   ") + drop));
        if (plan.steps.last().id == QLatin1String("contract_drop_old_column"))
            QVERIFY(tail.contains(QLatin1String("IRREVERSIBLE")));
    }

    void newlinesStayInsideComments()
    {
        const TableSnapshot t = snapshotFor(KeyShape::IntPk);
        ResolvedChange r = shapeChange(QStringLiteral("check"), t);
        setCheck(&r, QStringLiteral("qty_abs >= 0\nOR false"));
        const QString script = renderSqlScript(Planner(offlineIdentQuoter()).plan(t, r));
        // Only the statement itself continues on a new line; titles in comments are flattened.
        QCOMPARE(script.count(QLatin1String("\nOR false) NOT VALID;")), 1);
        int lines = 0;
        for (const QString& line : script.split(QLatin1Char('\n'))) {
            if (!line.contains(QLatin1String("OR false")))
                continue;
            ++lines;
            QVERIFY2(line.startsWith(QLatin1String("--")) || line == QLatin1String("OR false) NOT VALID;"), qPrintable(line));
        }
        QVERIFY(lines >= 3);   // the statement, the step title, and the title again in the rollback list
    }

    void text()
    {
        const QString add = renderText(planFor(QStringLiteral("add_not_null_backfill")));
        QVERIFY(add.startsWith(QLatin1String("Plan: add column \"total\" numeric(12,2) on \"public\".\"items_int\"")));
        QVERIFY(add.contains(QLatin1String("[ACCESS EXCLUSIVE]")));
        QVERIFY(add.contains(QLatin1String("[SHARE UPDATE EXCLUSIVE]")));
        QVERIFY(add.contains(QLatin1String("[no lock]")));
        QVERIFY(add.contains(QLatin1String("scans, no transaction, ~2.0 s  (backfill)")));
        QVERIFY(!add.contains(QLatin1String("REWRITES")));
        QVERIFY(!add.contains(QLatin1String("POINT OF NO RETURN")));
        const QString replace = renderText(planFor(QStringLiteral("replace_int_to_bigint")));
        QCOMPARE(replace.count(QLatin1String("POINT OF NO RETURN")), 1);
        QVERIFY(replace.startsWith(QLatin1String("Plan: replace column \"qty\" with \"qty_big\" bigint")));
        // Every step's why is there, wrapped.
        const Plan plan = planFor(QStringLiteral("everything"));
        const QString all = renderText(plan);
        QString flat = all;
        flat.replace(QRegularExpression(QStringLiteral("\n +")), QStringLiteral(" "));
        for (const Step& s : plan.steps)
            QVERIFY2(flat.contains(s.why), qPrintable(s.id));
        for (const QString& line : all.split(QLatin1Char('\n')))
            QVERIFY2(line.size() <= 110, qPrintable(line));
    }

    void durations_data()
    {
        QTest::addColumn<double>("seconds");
        QTest::addColumn<QString>("text");
        QTest::newRow("zero") << 0.0 << "0 s";
        QTest::newRow("negative") << -3.0 << "0 s";
        QTest::newRow("nan") << qQNaN() << "0 s";
        QTest::newRow("brief") << 0.05 << "50 ms";
        QTest::newRow("instant") << 0.00033 << "< 1 ms";
        QTest::newRow("sub-second") << 0.4567 << "457 ms";
        QTest::newRow("seconds") << 2.04 << "2.0 s";
        QTest::newRow("tens") << 12.4 << "12 s";
        QTest::newRow("minutes") << 130.0 << "2 min 10 s";
        QTest::newRow("whole minutes") << 120.0 << "2 min";
        QTest::newRow("hours") << 3900.0 << "1 h 5 min";
        QTest::newRow("whole hours") << 7200.0 << "2 h";
    }

    void durations()
    {
        QFETCH(double, seconds);
        QFETCH(QString, text);
        QCOMPARE(formatDuration(seconds), text);
    }
};

QTEST_APPLESS_MAIN(TestPlanRender)
#include "test_plan_render.moc"
