// SPDX-License-Identifier: GPL-3.0-or-later
// The new column's value proven on real rows before anything is installed: a value the type cannot take,
// a NULL for a NOT NULL column and a false CHECK refuse the plan with the failing values and their share,
// on a small table (every row) and a large one (a sample plus pg_stats' values); nothing on the server
// changes, and `lockstep run` with such an expression installs nothing.
#include "core/change/change_error.h"
#include "core/change/change_resolver.h"
#include "core/change/expression_proof.h"
#include "tests/support/change_fixtures.h"
#include "tests/support/pg_fixture.h"

#include <QRegularExpression>
#include <QtTest>

using namespace lockstep;
using namespace lockstep::test;

namespace {
// 1,200 orders: statuses as text, a fifth of them numbers; 60,000 events with 3 % 'N/A' amounts.
const char* kSchema = R"SQL(
CREATE TABLE orders (id bigint PRIMARY KEY, status text NOT NULL, qty integer NOT NULL);
INSERT INTO orders SELECT i, (ARRAY['placed', 'paid', '12.5', 'shipped', '7'])[1 + i % 5], i % 10 FROM generate_series(1, 1200) AS i;
CREATE TABLE events (id bigint PRIMARY KEY, amount text NOT NULL, kind text NOT NULL);
INSERT INTO events SELECT i, CASE WHEN i % 33 = 0 THEN 'N/A' ELSE (i % 1000)::text END, 'k' || (i % 7)
  FROM generate_series(1, 60000) AS i;
ANALYZE orders;
ANALYZE events;
CREATE SEQUENCE order_numbers;
)SQL";

} // namespace

class TestExpressionProof : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        sharedCluster();
        m_db = freshDatabase(QStringLiteral("proof"));
        m_conn = lockstep::test::connect(m_db);
        m_conn->execScript(QString::fromUtf8(kSchema));
    }

    // Every row of a small table: the text statuses fail, the numeric ones do not, and the refusal says
    // which values, how many rows and on which flag.
    void smallTableRefusedWithTheFailingValues()
    {
        NewColumnChange c = addColumnChange(QStringLiteral("orders"), QStringLiteral("total"), QStringLiteral("numeric(14,2)"));
        c.backfill = QStringLiteral("status || 'x'");
        const ChangeError e = refusal(c);
        QCOMPARE(e.field, QStringLiteral("backfill"));
        QVERIFY2(e.reason.contains(QStringLiteral("1,200 of the table's 1,200 rows (100 %)")), qPrintable(e.reason));
        // One error said once, with the quoted value of its first row; the other failing values after it.
        QVERIFY2(e.reason.contains(QRegularExpression(QStringLiteral("status '(\\w+)': invalid input syntax for type numeric: \"\\1x\" \\(also status '"))),
                 qPrintable(e.reason));
        QVERIFY2(e.reason.contains(QStringLiteral("status 'placed'")) && e.reason.count(QLatin1String("invalid input syntax")) == 1, qPrintable(e.reason));

        c.backfill = QStringLiteral("status::numeric");
        const ChangeError partly = refusal(c);
        // 'placed', 'paid', 'shipped' fail; '12.5' and '7' convert: 3 in 5.
        QVERIFY2(partly.reason.contains(QStringLiteral("720 of the table's 1,200 rows (60 %)")), qPrintable(partly.reason));
        QVERIFY2(partly.reason.contains(QStringLiteral("'shipped'")), qPrintable(partly.reason));
        QVERIFY2(!partly.reason.contains(QStringLiteral("'12.5'")), qPrintable(partly.reason));
    }

    void aValidExpressionIsProvenOnEveryRow()
    {
        NewColumnChange c = addColumnChange(QStringLiteral("orders"), QStringLiteral("total"), QStringLiteral("numeric(14,2)"));
        c.backfill = QStringLiteral("qty * 2.5");
        ChangeResolver resolver(*m_conn);
        const auto r = resolver.resolve(c);
        QCOMPARE(r.change.proof, QStringLiteral("computed without an error on all 1,200 rows"));
    }

    // A large table is sampled, and every value pg_stats lists for the source column is tried too.
    void largeTableSampledWithStatsValues()
    {
        NewColumnChange c = addColumnChange(QStringLiteral("events"), QStringLiteral("amount_num"), QStringLiteral("integer"));
        c.backfill = QStringLiteral("amount::integer");
        ChangeResolver resolver(*m_conn);
        ChangeResolver::Resolved r;
        {
            // the proof alone, to read its figures
            m_conn->exec(QStringLiteral("BEGIN READ ONLY"));
            const auto snapshotOnly = [&] {
                NewColumnChange ok = c;
                ok.backfill = QStringLiteral("length(amount)");
                return resolver.resolve(ok);
            }();
            ResolvedChange failing = snapshotOnly.change;
            failing.backfillExpr = QStringLiteral("amount::integer");
            const ExpressionProof proof = proveExpressions(*m_conn, snapshotOnly.table, failing);
            m_conn->exec(QStringLiteral("ROLLBACK"));
            QVERIFY(proof.proven);
            QVERIFY(!proof.wholeTable);
            QVERIFY2(proof.rowsTried >= 2000 && proof.rowsTried <= 10000, qPrintable(QString::number(proof.rowsTried)));
            // 1 row in 33 is 'N/A': a sample of thousands holds some, and pg_stats lists it as common.
            QVERIFY2(proof.rowsFailed > 0 && proof.rowsFailed < proof.rowsTried / 10, qPrintable(proof.failureText()));
            QVERIFY(proof.statsValuesTried > 50);
            QCOMPARE(proof.statsValuesFailed, qint64(1));
            QCOMPARE(proof.statsColumns, QStringList{QStringLiteral("amount")});
            QVERIFY2(proof.seconds < 3.5, qPrintable(QString::number(proof.seconds)));
            qInfo("events (60,000 rows): %lld sampled rows and %lld pg_stats values in %.3f s", proof.rowsTried,
                  proof.statsValuesTried, proof.seconds);
        }
        const ChangeError e = refusal(c);
        QCOMPARE(e.field, QStringLiteral("backfill"));
        QVERIFY2(e.reason.contains(QStringLiteral("of the rows sampled")), qPrintable(e.reason));
        QVERIFY2(e.reason.contains(QStringLiteral("1 of the ")) && e.reason.contains(QStringLiteral("values pg_stats lists for amount")),
                 qPrintable(e.reason));
        QVERIFY2(e.reason.contains(QStringLiteral("amount 'N/A': invalid input syntax for type integer")), qPrintable(e.reason));
    }

    void nullForNotNullAndFalseCheckAreRefused()
    {
        NewColumnChange c = addColumnChange(QStringLiteral("orders"), QStringLiteral("qty_or_null"), QStringLiteral("integer"));
        c.backfill = QStringLiteral("nullif(qty, 3)");
        c.notNull = true;
        const ChangeError nn = refusal(c);
        QCOMPARE(nn.field, QStringLiteral("not_null"));
        QVERIFY2(nn.reason.contains(QStringLiteral("120 of the table's 1,200 rows (10 %)")), qPrintable(nn.reason));
        QVERIFY2(nn.reason.contains(QStringLiteral("the value is NULL and the column is NOT NULL")), qPrintable(nn.reason));

        NewColumnChange k = addColumnChange(QStringLiteral("orders"), QStringLiteral("qty_less"), QStringLiteral("integer"));
        k.backfill = QStringLiteral("qty - 5");
        k.check = QStringLiteral("qty_less >= 0");
        const ChangeError ck = refusal(k);
        QCOMPARE(ck.field, QStringLiteral("check"));
        QVERIFY2(ck.reason.contains(QStringLiteral("600 of the table's 1,200 rows (50 %)")), qPrintable(ck.reason));
        // one example a distinct error: a row whose qty is below 5
        QVERIFY2(ck.reason.contains(QRegularExpression(QStringLiteral("qty '[0-4]': the value makes the CHECK false$"))),
                 qPrintable(ck.reason));
    }

    // nextval() cannot run in a read-only transaction: the proof says it could not evaluate, and the
    // plan is not refused for it.
    void aWritingFunctionIsNotEvaluated()
    {
        NewColumnChange c = addColumnChange(QStringLiteral("orders"), QStringLiteral("number"), QStringLiteral("bigint"));
        c.defaultExpr = QStringLiteral("nextval('order_numbers')");
        ChangeResolver resolver(*m_conn);
        const auto r = resolver.resolve(c);
        QVERIFY2(r.change.proof.startsWith(QStringLiteral("not evaluated on the rows: ")), qPrintable(r.change.proof));
        QCOMPARE(psqlScalar(m_db, QStringLiteral("SELECT last_value FROM order_numbers")), QStringLiteral("1"));
        QCOMPARE(psqlScalar(m_db, QStringLiteral("SELECT is_called FROM order_numbers")), QStringLiteral("f"));
    }

    // The CLI: plan exits 2 naming the value; run installs nothing (no column, no trigger, no function).
    void cliRefusesAndRunInstallsNothing()
    {
        const QString before = pgDumpSchema(m_db);
        const QStringList args{QStringLiteral("--db"), m_db, QStringLiteral("--table"), QStringLiteral("orders"),
                               QStringLiteral("--add-column"), QStringLiteral("total"), QStringLiteral("--type"),
                               QStringLiteral("numeric(14,2)"), QStringLiteral("--backfill"), QStringLiteral("status || 'x'")};
        const ProcessResult plan = runLockstep(QStringList{QStringLiteral("plan")} + args);
        QCOMPARE(plan.exitCode, 2);
        QVERIFY2(plan.err.contains("--backfill: fails on 1,200 of the table's 1,200 rows"), plan.err.constData());
        QVERIFY2(plan.err.contains("invalid input syntax for type numeric: \"") && plan.err.contains("status 'placed'"), plan.err.constData());
        const QString journal = QDir(m_tmp.path()).filePath(QStringLiteral("journal.db"));
        const ProcessResult run = runLockstep(QStringList{QStringLiteral("run")} + args
                                              + QStringList{QStringLiteral("--journal"), journal});
        QCOMPARE(run.exitCode, 2);
        QCOMPARE(pgDumpSchema(m_db), before);
    }

private:
    ChangeError refusal(const NewColumnChange& c)
    {
        ChangeResolver resolver(*m_conn);
        try {
            resolver.resolve(c);
        } catch (const ChangeError& e) {
            return e;
        }
        QTest::qFail("the change was not refused", __FILE__, __LINE__);
        return ChangeError(QString(), QString());
    }

    QString m_db;
    std::unique_ptr<pg::Connection> m_conn;
    QTemporaryDir m_tmp;
};

QTEST_GUILESS_MAIN(TestExpressionProof)
#include "test_expression_proof.moc"
