// SPDX-License-Identifier: GPL-3.0-or-later
// Every change shape (integer, composite, text and uuid keys, no key at all, quoted names, replace) planned
// by `lockstep plan --format json`, run through constrain by the Runner, checked row by row, then rolled
// back to the original schema and data.
#include "tests/pg/test_runner_support.h"
#include "tests/support/shape_fixtures.h"

#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

using namespace lockstep;
using namespace lockstep::test;

namespace {
constexpr int kRows = 20000;

QString qualified(pg::Connection& c, const ChangeShape& s) { return c.quoteIdent(s.schema) + QLatin1Char('.') + c.quoteIdent(s.table); }

QString originalColumns(pg::Connection& c, const ChangeShape& s)
{
    auto r = c.exec(QStringLiteral("SELECT attname FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 "
                                   "AND NOT attisdropped ORDER BY attnum"), {qualified(c, s)});
    QStringList out;
    for (int i = 0; i < r.rows(); ++i)
        out << c.quoteIdent(r.value(i, 0));
    return out.join(QStringLiteral(", "));
}
} // namespace

class TestRunnerShapes : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { sharedCluster(); }

    void runsAndRollsBack_data()
    {
        QTest::addColumn<int>("index");
        const auto shapes = changeShapes();
        for (int i = 0; i < shapes.size(); ++i)
            QTest::newRow(qPrintable(shapes[i].name)) << i;
    }

    void runsAndRollsBack()
    {
        QFETCH(int, index);
        const ChangeShape shape = changeShapes().at(index);
        const QString db = freshDatabase(QStringLiteral("shapes"));
        auto conn = lockstep::test::connect(db);
        conn->execScript(shapeFixtureSql(kRows));
        const QString table = qualified(*conn, shape);
        const QString columns = originalColumns(*conn, shape);
        const QString schemaBefore = pgDumpSchema(db);
        const QString dataBefore = checksum(*conn, table, columns, columns);

        const ProcessResult json = runLockstep(QStringList{QStringLiteral("plan"), QStringLiteral("--db"), db,
                                                           QStringLiteral("--format"), QStringLiteral("json")} + shape.flags);
        QVERIFY2(json.exitCode == 0, json.err.constData());
        const Plan plan = Plan::fromJson(QJsonDocument::fromJson(json.out).object());
        QTemporaryDir dir;
        store::Journal journal(dir.filePath(QStringLiteral("j.sqlite")));
        const qint64 runId = run::createRun(journal, plan, db, Phase::Constrain);

        RunRecording rec;
        QObject context;
        {
            run::Runner runner(db, journal.path(), runId, run::RunOptions{});
            record(runner, &rec, &context);
            runner.start();
        }
        QVERIFY2(rec.outcome == QLatin1String("done"), qPrintable(rec.message));
        const QString column = conn->quoteIdent(shape.column);
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = to_regclass('%1') AND attname = '%2'")
                                   .arg(table, shape.column)), shape.expectedType);
        if (!shape.verifyExpr.isEmpty())
            QCOMPARE(scalar(*conn, QStringLiteral("SELECT count(*) FROM %1 WHERE %2 IS DISTINCT FROM (%3)").arg(table, column, shape.verifyExpr)),
                     QStringLiteral("0"));
        if (shape.notNull)
            QCOMPARE(scalar(*conn, QStringLiteral("SELECT count(*) FROM %1 WHERE %2 IS NULL").arg(table, column)), QStringLiteral("0"));
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT count(*) FROM pg_index WHERE indrelid = to_regclass('%1') AND NOT indisvalid").arg(table)),
                 QStringLiteral("0"));
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT count(*) FROM pg_constraint WHERE conrelid = to_regclass('%1') AND NOT convalidated").arg(table)),
                 QStringLiteral("0"));

        RunRecording back;
        {
            run::Runner runner(db, journal.path(), runId, run::RunOptions{});
            record(runner, &back, &context);
            runner.rollback();
        }
        QVERIFY2(back.outcome == QLatin1String("rolled-back"), qPrintable(back.message));
        QCOMPARE(pgDumpSchema(db), schemaBefore);
        QCOMPARE(checksum(*conn, table, columns, columns), dataBefore);
    }
};

QTEST_GUILESS_MAIN(TestRunnerShapes)
#include "test_runner_shapes.moc"
