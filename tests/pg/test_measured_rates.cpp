// SPDX-License-Identifier: GPL-3.0-or-later
// Estimates calibrated on the real server (first part): the backfill's speed measured by earlier runs on the
// same server (the journal) replaces the planner's fixed 50,000 rows/s, the plan says where its estimate
// comes from, and the next backfill of the same shape takes within 1.5x of what the calibrated plan says.
#include "core/store/measured_rates.h"
#include "tests/pg/test_runner_support.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace lockstep;
using namespace lockstep::test;

namespace {
constexpr int kRows = 60000;
constexpr int kCap = 30000;   // about 2 s a walk: a speed the test can compare, whatever the machine

// Runs big's plan through the backfill under the cap, journaled in `journalPath`; the walk's own time.
double walkSeconds(const QString& db, const QString& journalPath, const Plan& plan)
{
    store::Journal journal(journalPath);
    const qint64 runId = run::createRun(journal, plan, db, Phase::Backfill);
    run::RunOptions options;
    options.maxRowsPerSecond = kCap;
    const RunRecording rec = runOnThread(db, journalPath, runId, options);
    if (rec.outcome != QLatin1String("done"))
        qFatal("the run did not finish: %s", qPrintable(rec.message));
    for (const store::StepRecord& s : journal.steps(runId))
        if (plan.steps.at(s.index).backfill)
            return s.startedAt.msecsTo(s.endedAt) / 1000.0;
    return 0;
}

double backfillEstimate(const Plan& plan)
{
    for (const Step& s : plan.steps)
        if (s.backfill)
            return s.estimatedSeconds;
    return -1;
}
} // namespace

class TestMeasuredRates : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { sharedCluster(); }

    void earlierRunsOnTheServerCalibrateTheBackfill()
    {
        QTemporaryDir dir;
        const QString journalPath = dir.filePath(QStringLiteral("journal.sqlite"));
        const QString first = freshDatabase(QStringLiteral("rates_first"));
        createBigTable(*lockstep::test::connect(first), kRows);
        {
            // Nothing measured yet: the default model, and it says so.
            store::Journal journal(journalPath);
            const store::MeasuredRates none = store::measuredRates(journal, first);
            QCOMPARE(none.walks, 0);
            QVERIFY(store::calibrated({}, none).estimateSource.startsWith(QLatin1String("default model")));
        }
        const double firstWalk = walkSeconds(first, journalPath, planFor(first, twiceChange()));

        store::Journal journal(journalPath);
        const store::MeasuredRates measured = store::measuredRates(journal, first);
        qInfo("first walk %.2f s; measured %.0f rows/s over %d walk(s) on %s", firstWalk, measured.backfillRowsPerSecond,
              measured.walks, qPrintable(measured.server));
        QCOMPARE(measured.walks, 1);
        QVERIFY2(measured.backfillRowsPerSecond > kCap / 2 && measured.backfillRowsPerSecond <= kCap * 1.1,
                 qPrintable(QString::number(measured.backfillRowsPerSecond)));
        // Another database on the same server counts; another server does not.
        const QString second = freshDatabase(QStringLiteral("rates_second"));
        QCOMPARE(store::measuredRates(journal, second).walks, 1);
        QCOMPARE(store::measuredRates(journal, QStringLiteral("host=db.elsewhere.example port=5432 dbname=x")).walks, 0);

        // The next backfill of the same shape, planned with the measurement: within 1.5x of its real time
        // (the default model said kRows / 50,000 = 1.2 s for a walk that takes about 2 s).
        const PlannerOptions options = store::calibrated({}, measured);
        QVERIFY2(options.estimateSource.contains(QLatin1String("measured on this server")), qPrintable(options.estimateSource));
        auto conn = lockstep::test::connect(second);
        createBigTable(*conn, kRows);
        ChangeResolver resolver(*conn);
        const auto resolved = resolver.resolve(twiceChange());
        const pg::Connection& c = *conn;
        const Plan calibratedPlan = Planner([&c](const QString& n) { return c.quoteIdent(n); }, options).plan(resolved.table, resolved.change);
        QCOMPARE(calibratedPlan.estimateSource, options.estimateSource);
        const double estimate = backfillEstimate(calibratedPlan);
        const double defaultEstimate = backfillEstimate(planFor(second, twiceChange()));
        const double secondWalk = walkSeconds(second, journalPath, calibratedPlan);
        qInfo("backfill of %d rows: estimated %.2f s calibrated (%.2f s by the default model), took %.2f s (ratio %.2f)",
              kRows, estimate, defaultEstimate, secondWalk, estimate / secondWalk);
        QVERIFY2(estimate / secondWalk <= 1.5 && secondWalk / estimate <= 1.5,
                 qPrintable(QStringLiteral("estimated %1 s, took %2 s").arg(estimate).arg(secondWalk)));
    }

    // `lockstep plan` reads the journal it is given (never creating one) and says where its estimates come from.
    void thePlanCommandSaysWhereItsEstimatesComeFrom()
    {
        QTemporaryDir dir;
        const QString journalPath = dir.filePath(QStringLiteral("journal.sqlite"));
        const QString db = freshDatabase(QStringLiteral("rates_cli"));
        createBigTable(*lockstep::test::connect(db), kRows);
        // A column of its own (the walk below leaves "twice" and its triggers in place).
        const QStringList args{QStringLiteral("plan"), QStringLiteral("--db"), db, QStringLiteral("--table"), QStringLiteral("big"),
                               QStringLiteral("--add-column"), QStringLiteral("thrice"), QStringLiteral("--type"), QStringLiteral("bigint"),
                               QStringLiteral("--backfill"), QStringLiteral("qty * 3"), QStringLiteral("--format"), QStringLiteral("json"),
                               QStringLiteral("--journal"), journalPath};
        const ProcessResult before = runLockstep(args);
        QVERIFY2(before.exitCode == 0, before.err.constData());
        QVERIFY(!QFileInfo::exists(journalPath));   // read only: no journal made
        const QJsonObject defaults = QJsonDocument::fromJson(before.out).object();
        QVERIFY2(defaults.value(QStringLiteral("estimate_source")).toString().startsWith(QLatin1String("default model")),
                 before.out.constData());

        walkSeconds(db, journalPath, planFor(db, twiceChange()));
        const ProcessResult after = runLockstep(args);
        QVERIFY2(after.exitCode == 0, after.err.constData());
        const QJsonObject json = QJsonDocument::fromJson(after.out).object();
        const QString source = json.value(QStringLiteral("estimate_source")).toString();
        QVERIFY2(source.startsWith(QLatin1String("backfill measured on this server")), qPrintable(source));
        double backfill = -1;
        for (const QJsonValue& s : json.value(QStringLiteral("steps")).toArray())
            if (s.toObject().value(QStringLiteral("id")).toString() == QLatin1String("backfill"))
                backfill = s.toObject().value(QStringLiteral("estimated_seconds")).toDouble();
        const double measured = store::measuredRates(store::Journal(journalPath), db).backfillRowsPerSecond;
        QVERIFY2(qAbs(backfill - kRows / measured) < 0.05 * kRows / measured,
                 qPrintable(QStringLiteral("%1 s for %2 rows/s").arg(backfill).arg(measured)));
        // The text says it too.
        QStringList text = args;
        text.replace(text.indexOf(QStringLiteral("json")), QStringLiteral("text"));
        QVERIFY(QString::fromUtf8(runLockstep(text).out).contains(QLatin1String("Estimates: backfill measured on this server")));
    }
};

QTEST_GUILESS_MAIN(TestMeasuredRates)
#include "test_measured_rates.moc"
