// SPDX-License-Identifier: GPL-3.0-or-later
// Which rows the backfill's walk writes. A computed value is filled where the new column is still NULL (the
// expression computed once a row); rows whose value is NULL are written once and pass the check before the
// switch. A copy of one column compares instead, so a sparse column's NULLs are never written.
#include "core/run/switch_verification.h"
#include "tests/pg/test_runner_support.h"
#include "tests/unit/test_planner_checks.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace lockstep;
using namespace lockstep::test;

namespace {
// Runs `plan`'s backfill phase in a journal of its own: the run's outcome and the rows its walk wrote.
QPair<QString, qint64> runBackfill(const QString& db, const Plan& plan)
{
    QTemporaryDir dir;
    const QString journalPath = dir.filePath(QStringLiteral("j.sqlite"));
    store::Journal journal(journalPath);
    const qint64 runId = run::createRun(journal, plan, db, Phase::Backfill);
    const RunRecording rec = runOnThread(db, journalPath, runId, {});
    const auto cp = backfillCheckpoint(journal, runId);
    return {rec.outcome, cp ? cp->rowsDone : -1};
}
} // namespace

class TestBackfillFilter : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { sharedCluster(); }

    void computedValuesAreFilledOnceNullsIncluded()
    {
        const QString db = freshDatabase(QStringLiteral("filter_computed"));
        auto c = lockstep::test::connect(db);
        createBigTable(*c, 30000);
        NewColumnChange ch = twiceChange();
        ch.backfill = QStringLiteral("CASE WHEN id % 3 = 0 THEN NULL ELSE qty * 2 END");
        ch.notNull = false;
        const Plan plan = planFor(db, ch);
        const Step* fill = findStep(plan, QStringLiteral("backfill"));
        QVERIFY(fill && fill->backfill);
        QVERIFY2(fill->backfill->batchSql.endsWith(QLatin1String("\"twice\" IS NULL")), qPrintable(fill->backfill->batchSql));
        const auto [outcome, written] = runBackfill(db, plan);
        QCOMPARE(outcome, QStringLiteral("done"));
        QCOMPARE(written, qint64(30000));   // every row once, the NULL-valued third too
        QCOMPARE(scalar(*c, QStringLiteral("SELECT count(*) FROM big WHERE twice IS DISTINCT FROM "
                                           "CASE WHEN id % 3 = 0 THEN NULL ELSE qty * 2 END")),
                 QStringLiteral("0"));
        QCOMPARE(scalar(*c, QStringLiteral("SELECT count(*) FROM big WHERE twice IS NULL")), QStringLiteral("10000"));
        // The check before the switch compares with the expression: nothing differs.
        const run::SwitchVerification v = run::verifySwitch(*c, plan);
        QVERIFY(v.hasBackfill);
        QCOMPARE(v.rowsDiffering, qint64(0));
    }

    void aCopySkipsTheSourcesNulls()
    {
        const QString db = freshDatabase(QStringLiteral("filter_copy"));
        auto c = lockstep::test::connect(db);
        createBigTable(*c, 20000);
        // A sparse column: one row in 10 has a value.
        c->execScript(QStringLiteral("ALTER TABLE big ADD COLUMN note text;"
                                     "UPDATE big SET note = 'n' || id WHERE id % 10 = 0; ANALYZE big;"));
        NewColumnChange ch;
        ch.table = QStringLiteral("big");
        ch.column = QStringLiteral("note_copy");
        ch.type = QStringLiteral("text");
        ch.backfill = QStringLiteral("note");
        const Plan plan = planFor(db, ch);
        const Step* fill = findStep(plan, QStringLiteral("backfill"));
        QVERIFY(fill && fill->backfill);
        QVERIFY2(fill->backfill->batchSql.endsWith(QLatin1String("IS DISTINCT FROM (note)::text")),
                 qPrintable(fill->backfill->batchSql));
        const auto [outcome, written] = runBackfill(db, plan);
        QCOMPARE(outcome, QStringLiteral("done"));
        QCOMPARE(written, qint64(2000));   // only the rows with a value
        QCOMPARE(scalar(*c, QStringLiteral("SELECT count(*) FROM big WHERE note_copy IS DISTINCT FROM note")),
                 QStringLiteral("0"));
        QCOMPARE(run::verifySwitch(*c, plan).rowsDiffering, qint64(0));
    }
};

QTEST_GUILESS_MAIN(TestBackfillFilter)
#include "test_backfill_filter.moc"
