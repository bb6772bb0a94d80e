// SPDX-License-Identifier: GPL-3.0-or-later
// The observed-lock preview against a private server: every change shape planned by `lockstep plan`, every
// transactional step tried inside BEGIN ... ROLLBACK and compared with the planner's prediction; the
// database is the same afterwards; a blocked step times out and still rolls back; a standby is refused.
#include "core/preview/lock_preview.h"
#include "core/run/statement_splitter.h"
#include "tests/pg/test_runner_support.h"
#include "tests/support/shape_fixtures.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QtTest>

using namespace lockstep;
using namespace lockstep::test;

namespace {
constexpr int kRows = 20000;

const QStringList kFixtureTables{QStringLiteral("public.customers"), QStringLiteral("public.items_int"),
                                 QStringLiteral("public.lines_composite"), QStringLiteral("public.codes_text"),
                                 QStringLiteral("public.events_unique"), QStringLiteral("public.logs_nokey"),
                                 QStringLiteral("sales.\"Order Items\"")};

// Every row of every fixture table, as text, in a stable order.
QString dataChecksum(pg::Connection& c)
{
    QStringList sums;
    for (const QString& t : kFixtureTables)
        sums << scalar(c, QStringLiteral("SELECT md5(coalesce(string_agg(r::text, ',' ORDER BY r::text), '')) FROM %1 r").arg(t));
    return sums.join(QLatin1Char(' '));
}

Plan planShape(const QString& db, const QStringList& flags)
{
    const ProcessResult json = runLockstep(QStringList{QStringLiteral("plan"), QStringLiteral("--db"), db,
                                                       QStringLiteral("--format"), QStringLiteral("json")} + flags);
    if (json.exitCode != 0)
        throw std::runtime_error("lockstep plan failed: " + json.err.toStdString());
    return Plan::fromJson(QJsonDocument::fromJson(json.out).object());
}

QString modeText(const std::optional<LockMode>& mode) { return mode ? lockModeName(*mode) : QStringLiteral("-"); }

QString rewriteText(bool predicted, const std::optional<bool>& observed)
{
    return QStringLiteral("%1/%2").arg(predicted ? "yes" : "no", observed ? (*observed ? "yes" : "no") : "?");
}

void printTable(const QString& shape, const QVector<preview::StepObservation>& obs, qint64 ms)
{
    qDebug().noquote() << QStringLiteral("shape %1 (%2 ms)").arg(shape).arg(ms);
    qDebug().noquote() << QStringLiteral("  %1 %2 %3 %4 %5")
                              .arg(QStringLiteral("step"), -28).arg(QStringLiteral("predicted"), -24)
                              .arg(QStringLiteral("observed"), -24).arg(QStringLiteral("rewrite p/o"), -12)
                              .arg(QStringLiteral("match"));
    for (const auto& o : obs) {
        const QString observed = o.observed ? modeText(o.observedLock) : QStringLiteral("(not tried)");
        const QString match = !o.observed ? o.skippedReason : (o.matches ? QStringLiteral("yes") : QStringLiteral("NO"));
        qDebug().noquote() << QStringLiteral("  %1 %2 %3 %4 %5%6")
                                  .arg(o.stepId, -28).arg(modeText(o.predictedLock), -24).arg(observed, -24)
                                  .arg(o.observed ? rewriteText(o.predictedRewrite, o.observedRewrite) : QString(), -12)
                                  .arg(match, o.error.isEmpty() ? QString() : QStringLiteral("  error %1: %2").arg(o.sqlstate, o.error));
    }
}

const preview::StepObservation* find(const QVector<preview::StepObservation>& obs, const QString& id)
{
    for (const auto& o : obs) {
        if (o.stepId == id)
            return &o;
    }
    return nullptr;
}

bool holds(const preview::StepObservation& o, const QString& relation, LockMode mode)
{
    for (const auto& l : o.locks) {
        if (l.relation == relation && l.mode == mode)
            return true;
    }
    return false;
}

int observerSessions(pg::Connection& c)
{
    return scalar(c, QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'lockstep preview observer'")).toInt();
}
} // namespace

class TestLockPreview : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        LocalClusterOptions options;
        options.withReplica = true;
        sharedClusterWith(options);
    }

    void everyShapeMatchesItsPrediction_data()
    {
        QTest::addColumn<int>("index");
        const auto shapes = changeShapes();
        for (int i = 0; i < shapes.size(); ++i)
            QTest::newRow(qPrintable(shapes[i].name)) << i;
    }

    void everyShapeMatchesItsPrediction()
    {
        QFETCH(int, index);
        const ChangeShape shape = changeShapes().at(index);
        const QString db = freshDatabase(QStringLiteral("preview"));
        auto conn = test::connect(db);
        conn->execScript(shapeFixtureSql(kRows));
        const Plan plan = planShape(db, shape.flags);
        const QString schemaBefore = pgDumpSchema(db);
        const QString dataBefore = dataChecksum(*conn);

        QElapsedTimer timer;
        timer.start();
        const auto obs = preview::observeLocks(*conn, plan);
        printTable(shape.name, obs, timer.elapsed());

        QCOMPARE(obs.size(), plan.steps.size());
        int tried = 0;
        for (int i = 0; i < obs.size(); ++i) {
            const Step& step = plan.steps[i];
            const auto& o = obs[i];
            QCOMPARE(o.stepId, step.id);
            const bool gate = run::stepStatements(step.statements, step.sql).isEmpty();
            if (!step.transactional || gate) {
                QVERIFY2(!o.observed && !o.skippedReason.isEmpty(), qPrintable(step.id));
                continue;
            }
            ++tried;
            QVERIFY2(o.observed, qPrintable(step.id + QStringLiteral(": ") + o.skippedReason));
            QVERIFY2(o.error.isEmpty(), qPrintable(QStringLiteral("%1 failed: %2 %3 (notes: %4)")
                                                       .arg(step.id, o.sqlstate, o.error, o.notes.join(QLatin1String("; ")))));
            QVERIFY2(o.observedRewrite.has_value(), qPrintable(step.id));
            QVERIFY2(o.matches, qPrintable(QStringLiteral("%1: predicted %2 rewrite %3, observed %4 rewrite %5")
                                               .arg(step.id, modeText(o.predictedLock), step.rewrites ? "yes" : "no",
                                                    modeText(o.observedLock), *o.observedRewrite ? "yes" : "no")));
            for (const auto& l : o.locks)
                QVERIFY2(l.granted, qPrintable(step.id + QStringLiteral(" waited for ") + l.relation));
        }
        QVERIFY(tried > 0);

        // A foreign key also locks the table it references (SHARE ROW EXCLUSIVE, the planner's rule).
        if (const auto* fk = find(obs, QStringLiteral("foreign_key")))
            QVERIFY(holds(*fk, QStringLiteral("public.customers"), LockMode::ShareRowExclusive));

        // The replayed ADD COLUMN already holds ACCESS EXCLUSIVE when the contract drops the sync triggers, so
        // pg_locks cannot show the DROP TRIGGER's own request after the replay: it is read by the probe (the
        // statements tried alone, on a stand-in trigger).
        if (const auto* drop = find(obs, QStringLiteral("contract_drop_sync"))) {
            QCOMPARE(drop->heldByReplay, std::optional<LockMode>(LockMode::AccessExclusive));
            bool probed = false;
            for (const auto& l : drop->locks)
                probed = probed || (l.mode == LockMode::AccessExclusive && l.fromProbe);
            QVERIFY(probed);
        }

        // Nothing persisted: not the schema, not a row; the connection is out of any transaction and the
        // observer has gone.
        QVERIFY(!conn->inTransaction());
        QCOMPARE(pgDumpSchema(db), schemaBefore);
        QCOMPARE(dataChecksum(*conn), dataBefore);
        QTRY_COMPARE_WITH_TIMEOUT(observerSessions(*conn), 0, 5000);
    }

    // Replays the backfill only on small tables: above the limit it is skipped and said so; the steps that
    // need filled rows fail without it, and are reported as not tried ("needs the backfill"), not as failures
    // (their locks are still read); the steps that do not need it are tried; nothing persists either.
    void skippedBackfillMarksLaterChecksNotTried()
    {
        const QString db = freshDatabase(QStringLiteral("preview"));
        auto conn = test::connect(db);
        conn->execScript(shapeFixtureSql(kRows));
        const Plan plan = planShape(db, {"--table", "items_int", "--add-column", "total", "--type", "numeric(12,2)",
                                         "--backfill", "qty * price", "--not-null"});
        const QString schemaBefore = pgDumpSchema(db);
        preview::PreviewOptions options;
        options.backfillReplayMaxRows = 1000;
        const auto obs = preview::observeLocks(*conn, plan, options);
        printTable(QStringLiteral("add_not_null_backfill, backfill not replayed"), obs, 0);

        const auto* validate = find(obs, QStringLiteral("not_null_validate"));
        QVERIFY(validate && !validate->observed);
        QCOMPARE(validate->needs, QStringLiteral("the backfill"));
        QVERIFY2(validate->skippedReason.startsWith(QLatin1String("needs the backfill")), qPrintable(validate->skippedReason));
        QCOMPARE(validate->sqlstate, QStringLiteral("23514"));   // check_violation: rows still NULL
        QVERIFY(validate->notes.join(QLatin1Char(' ')).contains(QLatin1String("backfill was skipped")));
        QCOMPARE(validate->observedLock, std::optional<LockMode>(LockMode::ShareUpdateExclusive));
        QVERIFY(!validate->observedRewrite.has_value());
        QVERIFY(!validate->matches || validate->observedLock == validate->predictedLock);
        const auto* setNotNull = find(obs, QStringLiteral("not_null_set"));
        QVERIFY(setNotNull && !setNotNull->error.isEmpty() && !setNotNull->observed);
        QCOMPARE(setNotNull->needs, QStringLiteral("the backfill"));
        QCOMPARE(setNotNull->observedLock, std::optional<LockMode>(LockMode::AccessExclusive));
        // The headline counts real failures only: none here. The check added NOT VALID needs no filled row.
        int failures = 0;
        for (const auto& o : obs)
            failures += !o.error.isEmpty() && o.needs.isEmpty();
        QCOMPARE(failures, 0);
        const auto* check = find(obs, QStringLiteral("not_null_check"));
        QVERIFY(check && check->observed && check->error.isEmpty() && check->matches);
        QVERIFY(!conn->inTransaction());
        QCOMPARE(pgDumpSchema(db), schemaBefore);
    }

    // Another session holds ACCESS SHARE (a long SELECT): the ADD COLUMN waits for ACCESS EXCLUSIVE, gives up
    // at lock_timeout (55P03), the wait itself is reported, and the preview still rolls back.
    void blockedStepReportsLockTimeout()
    {
        const QString db = freshDatabase(QStringLiteral("preview"));
        auto conn = test::connect(db);
        conn->execScript(shapeFixtureSql(1000));
        const Plan plan = planShape(db, {"--table", "items_int", "--add-column", "note", "--type", "text"});
        const QString schemaBefore = pgDumpSchema(db);
        auto blocker = test::connect(db);
        blocker->exec(QStringLiteral("BEGIN"));
        blocker->exec(QStringLiteral("LOCK TABLE items_int IN ACCESS SHARE MODE"));

        preview::PreviewOptions options;
        options.lockTimeoutMs = 300;
        QElapsedTimer timer;
        timer.start();
        const auto obs = preview::observeLocks(*conn, plan, options);
        printTable(QStringLiteral("add_nullable, blocked"), obs, timer.elapsed());

        const auto* add = find(obs, QStringLiteral("add_column"));
        QVERIFY(add && add->observed);
        QCOMPARE(add->sqlstate, QStringLiteral("55P03"));
        QVERIFY2(add->error.contains(QLatin1String("lock timeout")), qPrintable(add->error));
        QVERIFY2(add->elapsedMs >= 250, qPrintable(QString::number(add->elapsedMs)));
        QVERIFY(!add->observedRewrite.has_value());
        // The request that waited: ACCESS EXCLUSIVE on the table, never granted.
        QCOMPARE(add->observedLock, std::optional<LockMode>(LockMode::AccessExclusive));
        bool waited = false;
        for (const auto& l : add->locks)
            waited = waited || (l.relation == QLatin1String("public.items_int") && l.mode == LockMode::AccessExclusive && !l.granted);
        QVERIFY(waited);

        QVERIFY(!conn->inTransaction());
        QVERIFY(blocker->inTransaction());   // untouched: still holding its lock
        blocker->exec(QStringLiteral("ROLLBACK"));
        QCOMPARE(pgDumpSchema(db), schemaBefore);
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT count(*) FROM pg_attribute WHERE attrelid = 'items_int'::regclass AND attname = 'note'")),
                 QStringLiteral("0"));
    }

    void refusesStandby()
    {
        const QString db = freshDatabase(QStringLiteral("preview"));
        auto conn = test::connect(db);
        conn->execScript(shapeFixtureSql(100));
        const Plan plan = planShape(db, {"--table", "items_int", "--add-column", "note", "--type", "text"});
        auto standby = test::connect(sharedCluster().replicaConninfo());
        QCOMPARE(scalar(*standby, QStringLiteral("SELECT pg_is_in_recovery()")), QStringLiteral("t"));
        try {
            preview::observeLocks(*standby, plan);
            QFAIL("a standby was not refused");
        } catch (const pg::PgException& e) {
            QCOMPARE(e.error().sqlstate, QStringLiteral("25006"));
            QVERIFY2(e.error().message.contains(QLatin1String("in recovery")), qPrintable(e.error().message));
            QVERIFY2(e.error().message.contains(QLatin1String("primary")), qPrintable(e.error().message));
        }
    }

    void refusesAConnectionInsideATransaction()
    {
        const QString db = freshDatabase(QStringLiteral("preview"));
        auto conn = test::connect(db);
        conn->execScript(shapeFixtureSql(100));
        const Plan plan = planShape(db, {"--table", "items_int", "--add-column", "note", "--type", "text"});
        conn->exec(QStringLiteral("BEGIN"));
        try {
            preview::observeLocks(*conn, plan);
            QFAIL("an open transaction was not refused");
        } catch (const pg::PgException& e) {
            QCOMPARE(e.error().sqlstate, QStringLiteral("25001"));
        }
        QVERIFY(conn->inTransaction());   // the caller's transaction is left alone
        conn->exec(QStringLiteral("ROLLBACK"));
    }
};

QTEST_GUILESS_MAIN(TestLockPreview)
#include "test_lock_preview.moc"
