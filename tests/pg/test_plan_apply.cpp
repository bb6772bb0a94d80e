// SPDX-License-Identifier: GPL-3.0-or-later
// End to end on a real server: for every change shape, `lockstep plan` (json and sql), apply the sql script
// through constrain with psql on 100k-row tables, check the catalog and every row, then apply the rollback
// SQL of the steps in reverse order and check the schema and the original data are as before.
#include "core/pg/connection.h"
#include "tests/support/pg_fixture.h"
#include "tests/support/shape_fixtures.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace lockstep;
using namespace lockstep::test;

namespace {
constexpr int kRows = 100000;

QString qualified(pg::Connection& c, const ChangeShape& s)
{
    return c.quoteIdent(s.schema) + QLatin1Char('.') + c.quoteIdent(s.table);
}

// A checksum of the table's rows over the columns that existed before the change, in a stable order.
QString dataChecksum(pg::Connection& c, const ChangeShape& s, const QStringList& columns)
{
    QStringList quoted;
    for (const QString& col : columns)
        quoted << c.quoteIdent(col);
    const QString row = QStringLiteral("ROW(%1)::text").arg(quoted.join(QStringLiteral(", ")));
    return c.exec(QStringLiteral("SELECT md5(string_agg(%1, ',' ORDER BY %1)) FROM %2").arg(row, qualified(c, s)))
        .value(0, 0);
}

QStringList columnsOf(pg::Connection& c, const ChangeShape& s)
{
    auto r = c.exec(QStringLiteral("SELECT attname FROM pg_attribute WHERE attrelid = to_regclass($1) "
                                   "AND attnum > 0 AND NOT attisdropped ORDER BY attnum"),
                    {qualified(c, s)});
    QStringList out;
    for (int i = 0; i < r.rows(); ++i)
        out << r.value(i, 0);
    return out;
}

ProcessResult psqlFile(const QString& conninfo, const QString& path)
{
    return runProcess(sharedCluster().binDir() + QStringLiteral("/psql"),
                      {QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"),
                       QStringLiteral("-d"), conninfo, QStringLiteral("-f"), path},
                      300000);
}

void writeFile(const QString& path, const QString& text)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(text.toUtf8());
}
} // namespace

class TestPlanApply : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { sharedCluster(); }

    void applyAndRollBack_data()
    {
        QTest::addColumn<int>("index");
        const auto shapes = changeShapes();
        for (int i = 0; i < shapes.size(); ++i)
            QTest::newRow(qPrintable(shapes[i].name)) << i;
    }

    void applyAndRollBack()
    {
        QFETCH(int, index);
        const ChangeShape shape = changeShapes().at(index);
        const QString db = freshDatabase(QStringLiteral("apply"));
        auto conn = lockstep::test::connect(db);
        conn->execScript(shapeFixtureSql(kRows));

        const QString schemaBefore = pgDumpSchema(db);
        const QStringList originalColumns = columnsOf(*conn, shape);
        const QString checksumBefore = dataChecksum(*conn, shape, originalColumns);

        // The plan as JSON: the steps' contract, and the rollback SQL we apply later.
        QStringList args{QStringLiteral("plan"), QStringLiteral("--db"), db};
        args << shape.flags;
        const ProcessResult json = runLockstep(args + QStringList{QStringLiteral("--format"), QStringLiteral("json"),
                                                                  QStringLiteral("--until"), QStringLiteral("constrain")});
        QVERIFY2(json.exitCode == 0, json.err.constData());
        const QJsonObject plan = QJsonDocument::fromJson(json.out).object();
        QVERIFY(plan.contains(QStringLiteral("server_version")));
        QCOMPARE(plan.value(QStringLiteral("table")).toString(), qualified(*conn, shape));
        const QJsonArray steps = plan.value(QStringLiteral("steps")).toArray();
        QVERIFY(!steps.isEmpty());
        const QStringList phases{QStringLiteral("expand"), QStringLiteral("backfill"), QStringLiteral("constrain")};
        int lastPhase = 0;
        for (const auto& v : steps) {
            const QJsonObject st = v.toObject();
            for (const char* key : {"phase", "title", "why", "sql", "rollback_sql", "lock", "rewrites", "scans",
                                    "transactional", "estimated_seconds"})
                QVERIFY2(st.contains(QLatin1String(key)), key);
            const int phase = phases.indexOf(st.value(QStringLiteral("phase")).toString());
            QVERIFY2(phase >= lastPhase, "phases out of order or past --until");
            lastPhase = phase;
            QVERIFY(!st.value(QStringLiteral("rewrites")).toBool()); // no step of ours rewrites the table
            QVERIFY(st.value(QStringLiteral("estimated_seconds")).toDouble() >= 0);
        }

        // The sql format through constrain, run as a DBA would.
        const ProcessResult sql = runLockstep(args + QStringList{QStringLiteral("--format"), QStringLiteral("sql"),
                                                                 QStringLiteral("--until"), QStringLiteral("constrain")});
        QVERIFY2(sql.exitCode == 0, sql.err.constData());
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("forward.sql")), QString::fromUtf8(sql.out));
        const ProcessResult applied = psqlFile(db, dir.filePath(QStringLiteral("forward.sql")));
        QVERIFY2(applied.exitCode == 0, applied.err.constData());

        // The catalog now shows the column as asked.
        auto col = conn->exec(QStringLiteral(
            "SELECT format_type(atttypid, atttypmod), attnotnull, pg_get_expr(d.adbin, d.adrelid) "
            "FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
            "WHERE attrelid = to_regclass($1) AND attname = $2 AND NOT attisdropped"),
            {qualified(*conn, shape), shape.column});
        QCOMPARE(col.rows(), 1);
        QCOMPARE(col.value(0, 0), shape.expectedType);
        QCOMPARE(col.value(0, 1) == QLatin1String("t"), shape.notNull);
        if (!shape.expectedDefault.isEmpty())
            QVERIFY2(col.value(0, 2).contains(shape.expectedDefault), qPrintable(col.value(0, 2)));
        const QString table = qualified(*conn, shape);
        const QString column = conn->quoteIdent(shape.column);
        QCOMPARE(conn->exec(QStringLiteral("SELECT count(*) FROM pg_constraint WHERE conrelid = to_regclass($1) "
                                           "AND NOT convalidated"), {table}).value(0, 0), QStringLiteral("0"));
        QCOMPARE(conn->exec(QStringLiteral("SELECT count(*) FROM pg_index WHERE indrelid = to_regclass($1) "
                                           "AND NOT indisvalid"), {table}).value(0, 0), QStringLiteral("0"));
        auto countConstraints = [&](const char* type) {
            return conn->exec(QStringLiteral("SELECT count(*) FROM pg_constraint c JOIN pg_attribute a "
                                             "ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey) "
                                             "WHERE c.conrelid = to_regclass($1) AND a.attname = $2 AND c.contype = $3"),
                              {table, shape.column, QLatin1String(type)}).value(0, 0).toInt();
        };
        QCOMPARE(countConstraints("u") > 0, shape.unique);
        QCOMPARE(countConstraints("f") > 0, shape.foreignKey);
        QCOMPARE(countConstraints("c") > 0, shape.check);   // the NOT NULL helper check is dropped (PG >= 12)
        const int indexes = conn->exec(QStringLiteral(
            "SELECT count(*) FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
            "AND a.attnum = ANY (i.indkey) WHERE i.indrelid = to_regclass($1) AND a.attname = $2"),
            {table, shape.column}).value(0, 0).toInt();
        QCOMPARE(indexes > 0, shape.index || shape.unique);
        if (!shape.verifyExpr.isEmpty()) {
            QCOMPARE(conn->exec(QStringLiteral("SELECT count(*) FROM %1 WHERE %2 IS DISTINCT FROM (%3)")
                                    .arg(table, column, shape.verifyExpr)).value(0, 0), QStringLiteral("0"));
        }
        if (shape.notNull)
            QCOMPARE(conn->exec(QStringLiteral("SELECT count(*) FROM %1 WHERE %2 IS NULL").arg(table, column)).value(0, 0),
                     QStringLiteral("0"));
        QCOMPARE(conn->exec(QStringLiteral("SELECT count(*) FROM %1").arg(table)).value(0, 0), QString::number(kRows));
        // Rows written by code that does not know the column get it from the sync trigger.
        if (shape.name == QLatin1String("add_not_null_backfill")) {
            conn->exec(QStringLiteral("UPDATE items_int SET qty = qty + 1 WHERE id <= 10"));
            QCOMPARE(conn->exec(QStringLiteral("SELECT count(*) FROM items_int WHERE total IS DISTINCT FROM (qty * price)::numeric(12,2)"))
                         .value(0, 0), QStringLiteral("0"));
            conn->exec(QStringLiteral("UPDATE items_int SET qty = qty - 1 WHERE id <= 10"));
        }

        // Roll back: each step's rollback SQL, last step first, each as psql would run it.
        QString rollback;
        for (int i = steps.size() - 1; i >= 0; --i) {
            const QString r = steps[i].toObject().value(QStringLiteral("rollback_sql")).toString();
            if (!r.trimmed().isEmpty())
                rollback += r + QStringLiteral("\n");
        }
        writeFile(dir.filePath(QStringLiteral("rollback.sql")), rollback);
        const ProcessResult undone = psqlFile(db, dir.filePath(QStringLiteral("rollback.sql")));
        QVERIFY2(undone.exitCode == 0, undone.err.constData());
        QCOMPARE(pgDumpSchema(db), schemaBefore);
        QCOMPARE(dataChecksum(*conn, shape, originalColumns), checksumBefore);
    }
};

QTEST_GUILESS_MAIN(TestPlanApply)
#include "test_plan_apply.moc"
