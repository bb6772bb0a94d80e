// SPDX-License-Identifier: GPL-3.0-or-later
// Every table of three public production schemas (tests/data/README.md: OpenStreetMap's website, Danbooru,
// Lago) filled with synthetic rows from its catalog, then changed the way a DBA would: a new NOT NULL column
// backfilled from an existing one, with an index; run by the Runner through constrain, checked row by row,
// rolled back to the same schema and data. Prints passed/total per schema and fails below 100 %.
#include "tests/pg/test_runner_support.h"
#include "tests/support/real_schemas.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

using namespace lockstep;
using namespace lockstep::test;

namespace {
constexpr int kRowsPerTable = 300;
const QString kColumn = QStringLiteral("lockstep_probe");

// A row's text of every original column, in a fixed order: equal before the change and after its rollback.
QString tableChecksum(pg::Connection& c, const RealTable& t)
{
    return scalar(c, QStringLiteral("SELECT md5(coalesce(string_agg(r, ',' ORDER BY r), '')) FROM (SELECT x::text AS r FROM %1 x) s")
                         .arg(t.qualified));
}

// What went wrong for `t`, empty when the change ran, was right on every row, and rolled back cleanly.
QString changeAndRollBack(const QString& db, pg::Connection& c, const RealTable& t)
{
    const QString schemaBefore = pgDumpSchema(db, t.qualified);
    const QString dataBefore = tableChecksum(c, t);
    const QString source = c.quoteIdent(t.firstColumn);
    const QString expression = QStringLiteral("coalesce(length(%1::text), 0)").arg(source);

    NewColumnChange change;
    change.table = t.qualified;
    change.column = kColumn;
    change.type = QStringLiteral("bigint");
    change.backfill = expression;
    change.notNull = true;
    change.index = true;
    Plan plan;
    try {
        plan = planFor(db, change);
    } catch (const std::exception& e) {
        return QStringLiteral("plan refused: ") + QString::fromUtf8(e.what());
    }
    QTemporaryDir dir;
    store::Journal journal(dir.filePath(QStringLiteral("j.sqlite")));
    const qint64 runId = run::createRun(journal, plan, db, Phase::Constrain);
    const RunRecording rec = startRun(db, journal.path(), runId, run::RunOptions{});
    if (rec.outcome != QLatin1String("done"))
        return QStringLiteral("run %1: %2").arg(rec.outcome, rec.message);
    const QString column = c.quoteIdent(kColumn);
    const QString wrong = scalar(c, QStringLiteral("SELECT count(*) FROM %1 WHERE %2 IS DISTINCT FROM %3").arg(t.qualified, column, expression));
    if (wrong != QLatin1String("0"))
        return QStringLiteral("%1 rows wrong after the run").arg(wrong);
    if (scalar(c, QStringLiteral("SELECT attnotnull FROM pg_attribute WHERE attrelid = '%1'::regclass AND attname = '%2'")
                      .arg(t.qualified, kColumn)) != QLatin1String("t"))
        return QStringLiteral("the column is not NOT NULL after the run");
    const QString validIndexes = scalar(c, QStringLiteral(
        "SELECT count(*) FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey) "
        "WHERE i.indrelid = '%1'::regclass AND a.attname = '%2' AND i.indisvalid").arg(t.qualified, kColumn));
    if (validIndexes != QLatin1String("1"))
        return QStringLiteral("%1 valid indexes on the new column after the run").arg(validIndexes);

    const RunRecording back = rollbackRun(db, journal.path(), runId, run::RunOptions{});
    if (back.outcome != QLatin1String("rolled-back"))
        return QStringLiteral("rollback %1: %2").arg(back.outcome, back.message);
    if (pgDumpSchema(db, t.qualified) != schemaBefore)
        return QStringLiteral("the schema differs after the rollback");
    if (tableChecksum(c, t) != dataBefore)
        return QStringLiteral("the rows differ after the rollback");
    return {};
}
} // namespace

class TestRealSchemas : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { sharedCluster(); }

    void everyTableChangesAndRollsBack_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("expectedTables");   // the dump's own count, so a loader that skipped some fails
        QTest::newRow("openstreetmap-website") << QStringLiteral("openstreetmap-website.sql") << 56;
        QTest::newRow("danbooru") << QStringLiteral("danbooru.sql") << 66;
        QTest::newRow("lago-api") << QStringLiteral("lago-api.sql") << 138;
    }

    void everyTableChangesAndRollsBack()
    {
        QFETCH(QString, file);
        QFETCH(int, expectedTables);
        const QString db = freshDatabase(QStringLiteral("real"));
        auto conn = lockstep::test::connect(db);
        const QStringList leftOut = loadRealSchema(*conn, file);
        if (!leftOut.isEmpty())
            qInfo("%s: left out %s", qPrintable(file), qPrintable(leftOut.join(QStringLiteral(" "))));
        const QVector<RealTable> tables = applicationTables(*conn);
        QCOMPARE(tables.size(), expectedTables);

        int filled = 0;
        qint64 rows = 0;
        for (const RealTable& t : tables) {
            const FillOutcome f = fillWithSyntheticRows(*conn, t, kRowsPerTable);
            rows += f.rows;
            if (f.rows > 0)
                ++filled;
            else
                qInfo("  %s: no synthetic row: %s", qPrintable(t.qualified), qPrintable(f.error));
        }
        qInfo("%s: %d of %d tables filled, %lld rows", qPrintable(file), filled, int(tables.size()), rows);

        QElapsedTimer timer;
        timer.start();
        QStringList failures;
        for (const RealTable& t : tables) {
            const QString why = changeAndRollBack(db, *conn, t);
            if (!why.isEmpty())
                failures << t.qualified + QStringLiteral(": ") + why;
        }
        const int passed = int(tables.size()) - int(failures.size());
        qInfo("%s: %d/%d tables passed plan -> run (NOT NULL + backfill + index) -> rollback (%.1f %%) in %.1f s",
              qPrintable(file), passed, int(tables.size()), 100.0 * passed / tables.size(), timer.elapsed() / 1000.0);
        for (const QString& f : failures)
            qWarning("  %s", qPrintable(f));
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QLatin1Char('\n'))));
        // Synthetic rows reached nearly every table: an empty table proves less.
        QVERIFY2(filled * 10 >= int(tables.size()) * 9, qPrintable(QStringLiteral("only %1 tables filled").arg(filled)));
    }
};

QTEST_GUILESS_MAIN(TestRealSchemas)
#include "test_real_schemas.moc"
