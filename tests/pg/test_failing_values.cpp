// SPDX-License-Identifier: GPL-3.0-or-later
// A value the expression cannot compute never fails the application's write: the plan-time proof passed
// (every row then converted), the application then writes rows whose value fails -- inserts and updates,
// while the backfill runs -- and none of its statements errors. The column stays NULL for those rows,
// their keys are recorded, the backfill's progress shows them, and the run stops before the constraints
// with a key named; the switch refuses them too. Fixed rows are computed again on resume and the run ends
// with every row right.
#include "core/run/left_installed.h"
#include "core/run/switch_verification.h"
#include "tests/pg/test_runner_support.h"
#include "tests/unit/test_planner_checks.h"

#include <QTemporaryDir>
#include <QtTest>
#include <mutex>

using namespace lockstep;
using namespace lockstep::test;

namespace {
constexpr int kRows = 30000;
const QString kFailed = QStringLiteral("lockstep_codes_num_failed");

void createCodes(pg::Connection& c)
{
    c.execScript(QStringLiteral("CREATE TABLE codes (id bigint PRIMARY KEY, code text NOT NULL);"
                                "INSERT INTO codes SELECT g, (g %% 500)::text FROM generate_series(1, %1) g; ANALYZE codes;")
                     .arg(kRows)
                     .replace(QStringLiteral("%%"), QStringLiteral("%")));
}

// num integer NOT NULL, computed from code: every code is a number when planned.
NewColumnChange numChange()
{
    NewColumnChange ch;
    ch.table = QStringLiteral("codes");
    ch.column = QStringLiteral("num");
    ch.type = QStringLiteral("integer");
    ch.backfill = QStringLiteral("code::integer");
    ch.notNull = true;
    return ch;
}

// Writers of codes that are not numbers, from construction until stop(): new rows above kRows and
// updates of existing ones, every 3 ms; counts the statements that errored.
class BadValueWriters {
public:
    explicit BadValueWriters(const QString& conninfo)
    {
        m_thread = std::thread([this, conninfo] {
            auto c = pg::Connection::open(conninfo);
            qint64 next = kRows + 1;
            while (!m_stop) {
                try {
                    c->exec(QStringLiteral("INSERT INTO codes (id, code) VALUES ($1::bigint, 'x' || $1::text)"), {next});
                    ++next;
                    ++m_writes;
                    c->exec(QStringLiteral("UPDATE codes SET code = 'bad' || id WHERE id = $1::bigint"), {(next * 7919) % kRows + 1});
                    ++m_writes;
                } catch (const pg::PgException& e) {
                    const std::lock_guard<std::mutex> lock(m_mutex);
                    ++m_errors;
                    m_lastError = e.error().message;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(3));
            }
        });
    }
    ~BadValueWriters() { stop(); }
    void stop()
    {
        m_stop = true;
        if (m_thread.joinable())
            m_thread.join();
    }
    int writes() const { return m_writes; }
    int errors() const { return m_errors; }
    QString lastError() const
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        return m_lastError;
    }

private:
    std::atomic<bool> m_stop{false};
    std::atomic<int> m_writes{0}, m_errors{0};
    mutable std::mutex m_mutex;
    QString m_lastError;
    std::thread m_thread;
};

QString stepStates(store::Journal& journal, qint64 runId)
{
    QStringList out;
    for (const store::StepRecord& s : journal.steps(runId))
        out << s.stepId + QLatin1Char('=') + store::stepStateName(s.state);
    return out.join(QLatin1Char(' '));
}
} // namespace

class TestFailingValues : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { sharedCluster(); }

    // The sync trigger's function on one write: a failing value leaves NULL, records the key, and the
    // statement succeeds -- also for a role that may not write the record table.
    void aFailingWriteSucceedsAndIsRecorded()
    {
        const QString db = freshDatabase(QStringLiteral("failing_one"));
        auto c = lockstep::test::connect(db);
        createCodes(*c);
        const Plan plan = planFor(db, numChange());
        QVERIFY(findStep(plan, QStringLiteral("failed_rows")));
        for (const Step& s : plan.until(Phase::Expand).steps)
            c->execScript(s.sql);
        c->execScript(QStringLiteral("CREATE ROLE app_writer LOGIN; GRANT SELECT, INSERT, UPDATE ON codes TO app_writer;"));
        auto app = pg::Connection::open(db + QStringLiteral(" user=app_writer"));
        app->exec(QStringLiteral("INSERT INTO codes (id, code) VALUES (%1, 'placedx')").arg(kRows + 1));
        app->exec(QStringLiteral("INSERT INTO codes (id, code) VALUES (%1, '42')").arg(kRows + 2));
        QCOMPARE(scalar(*c, QStringLiteral("SELECT num IS NULL FROM codes WHERE id = %1").arg(kRows + 1)), QStringLiteral("t"));
        QCOMPARE(scalar(*c, QStringLiteral("SELECT num FROM codes WHERE id = %1").arg(kRows + 2)), QStringLiteral("42"));
        QCOMPARE(scalar(*c, QStringLiteral("SELECT count(*) FROM ") + kFailed), QStringLiteral("1"));
        QCOMPARE(scalar(*c, QStringLiteral("SELECT row_key->>'id' FROM ") + kFailed), QString::number(kRows + 1));
        QVERIFY(scalar(*c, QStringLiteral("SELECT error FROM ") + kFailed).contains(QLatin1String("placedx")));
        QCOMPARE(scalar(*c, QStringLiteral("SELECT sqlstate FROM ") + kFailed), QStringLiteral("22P02"));
        // The application role cannot read or write the record itself.
        QVERIFY_THROWS_EXCEPTION(pg::PgException, app->exec(QStringLiteral("SELECT count(*) FROM ") + kFailed));

        // The failed-rows step stops on it with the key, and keeps the record for the next try.
        const Step* failedRows = findStep(plan, QStringLiteral("failed_rows"));
        try {
            c->execScript(failedRows->sql);
            QFAIL("the failed-rows step passed over a row that still fails");
        } catch (const pg::PgException& e) {
            QCOMPARE(e.error().sqlstate, QStringLiteral("22000"));
            QVERIFY2(e.error().message.contains(QStringLiteral("\"id\": %1").arg(kRows + 1)), qPrintable(e.error().message));
        }
        QCOMPARE(scalar(*c, QStringLiteral("SELECT count(*) FROM ") + kFailed), QStringLiteral("1"));
        // Fixed by the application (the trigger computes it), the step passes and empties the record.
        app->exec(QStringLiteral("UPDATE codes SET code = '9' WHERE id = %1").arg(kRows + 1));
        c->execScript(failedRows->sql);
        QCOMPARE(scalar(*c, QStringLiteral("SELECT count(*) FROM ") + kFailed), QStringLiteral("0"));
        QCOMPARE(scalar(*c, QStringLiteral("SELECT num FROM codes WHERE id = %1").arg(kRows + 1)), QStringLiteral("9"));

        // Rolling the trigger back removes the value function and the record with it.
        c->execScript(findStep(plan, QStringLiteral("sync_trigger"))->rollbackSql);
        QCOMPARE(scalar(*c, QStringLiteral("SELECT to_regclass('%1') IS NULL").arg(kFailed)), QStringLiteral("t"));
        QCOMPARE(scalar(*c, QStringLiteral("SELECT count(*) FROM pg_proc WHERE proname LIKE 'lockstep_codes_num%'")), QStringLiteral("0"));

        // Installed, nothing of the run depends on the table's row type: the application's own DDL (here a
        // DROP TABLE, rolled back) is not refused because of it.
        for (const Step& s : plan.until(Phase::Expand).steps)
            c->execScript(s.sql);
        c->exec(QStringLiteral("BEGIN"));
        c->exec(QStringLiteral("DROP TABLE codes"));
        c->exec(QStringLiteral("ROLLBACK"));
    }

    // A plan proven when it was made is proven again just before a new run installs anything: a row
    // written since that does not convert refuses the start, with the value.
    void provenAgainBeforeExpand()
    {
        const QString db = freshDatabase(QStringLiteral("failing_reprove"));
        auto c = lockstep::test::connect(db);
        createCodes(*c);
        const Plan plan = planFor(db, numChange());
        QCOMPARE(run::reproveChange(*c, plan), QString());
        c->exec(QStringLiteral("UPDATE codes SET code = 'placedx' WHERE id % 20 = 7"));   // 5 %: any sample meets them
        const QString refused = run::reproveChange(*c, plan);
        QVERIFY2(refused.contains(QLatin1String("placedx")) && refused.contains(QLatin1String("fails on")), qPrintable(refused));
        QCOMPARE(scalar(*c, QStringLiteral("SELECT count(*) FROM pg_attribute WHERE attrelid = 'codes'::regclass AND attname = 'num'")),
                 QStringLiteral("0"));
    }

    // The whole run with the application writing failing values all through the backfill: no write
    // errors, the progress shows the rows, the run stops at the failed-rows step naming a key, the switch
    // check refuses, and after the rows are fixed the resumed run ends with every row right.
    void applicationWritesNeverFailDuringTheRun()
    {
        const QString db = freshDatabase(QStringLiteral("failing_run"));
        auto c = lockstep::test::connect(db);
        createCodes(*c);
        const Plan plan = planFor(db, numChange());
        QTemporaryDir dir;
        const QString journalPath = dir.filePath(QStringLiteral("j.sqlite"));
        store::Journal journal(journalPath);
        const qint64 runId = run::createRun(journal, plan, db, Phase::Constrain);

        // Rows written between the plan and the run (no trigger yet: the walk meets them and must not fail
        // either), then through the triggers all along the walk.
        BadValueWriters writers(db);
        QTRY_VERIFY2_WITH_TIMEOUT(writers.writes() >= 10, qPrintable(writers.lastError()), 10000);
        run::RunOptions options;
        options.targetBatchMs = 15;      // many batches: the writers hit rows before and behind the cursor
        options.maxRowsPerSecond = 15000;   // a walk of about 2 s
        const RunRecording rec = runOnThread(db, journalPath, runId, options);
        writers.stop();

        QVERIFY2(writers.writes() > 50, qPrintable(QStringLiteral("%1 writes; the run: %2 %3").arg(writers.writes()).arg(rec.outcome, rec.message)));
        QVERIFY2(writers.errors() == 0, qPrintable(QStringLiteral("%1 application writes failed, e.g. %2")
                                                        .arg(writers.errors()).arg(writers.lastError())));
        QCOMPARE(rec.outcome, QStringLiteral("failed"));
        QVERIFY2(rec.message.contains(QLatin1String("could not compute")) && rec.message.contains(QLatin1String("\"id\": ")),
                 qPrintable(rec.message));
        const QString states = stepStates(journal, runId);
        QVERIFY2(states.contains(QLatin1String("backfill=done")) && states.contains(QLatin1String("failed_rows=failed")), qPrintable(states));
        // The progress said so while the walk ran (or at its end).
        qint64 shown = 0;
        for (const run::Progress& p : rec.progress)
            shown = qMax(shown, p.rowsFailed);
        QVERIFY2(shown > 0, "the progress never showed a failed row");

        // The bad rows are NULL, recorded; every other row is right.
        const QString bad = QStringLiteral("code !~ '^[0-9]+$'");
        const QString badRows = scalar(*c, QStringLiteral("SELECT count(*) FROM codes WHERE ") + bad);
        QVERIFY(badRows.toInt() > 0);
        qInfo("%d application writes during the run, none failed; %s rows could not compute num", writers.writes(), qPrintable(badRows));
        QCOMPARE(scalar(*c, QStringLiteral("SELECT count(*) FROM codes WHERE %1 AND num IS NOT NULL").arg(bad)), QStringLiteral("0"));
        QCOMPARE(scalar(*c, QStringLiteral("SELECT count(*) FROM codes WHERE NOT (%1) AND num IS DISTINCT FROM code::integer").arg(bad)),
                 QStringLiteral("0"));
        QCOMPARE(scalar(*c, QStringLiteral("SELECT count(DISTINCT row_key) FROM ") + kFailed), badRows);

        // The switch gate's check counts them (and does not trip on the expression raising for them).
        const run::SwitchVerification v = run::verifySwitch(*c, plan);
        QCOMPARE(QString::number(v.rowsFailed), badRows);

        // The failed run says what is still installed.
        const QStringList installed = run::leftInstalled(journal.run(runId)->plan, journal.steps(runId));
        QVERIFY2(installed.join(QLatin1Char('\n')).contains(QLatin1String("sync triggers")), qPrintable(installed.join(QLatin1Char('\n'))));
        QVERIFY(run::leftInstalledSentence(journal.run(runId)->plan, journal.steps(runId)).startsWith(QLatin1String("Still installed: column num")));

        // Fixed (the application's update goes through the trigger), the resumed run finishes.
        c->exec(QStringLiteral("UPDATE codes SET code = '0' WHERE ") + bad);
        QCOMPARE(scalar(*c, QStringLiteral("SELECT count(*) FROM codes WHERE num IS NULL")), QStringLiteral("0"));
        const RunRecording resumed = runOnThread(db, journalPath, runId, options);
        QVERIFY2(resumed.outcome == QLatin1String("done"), qPrintable(resumed.message));
        QCOMPARE(scalar(*c, QStringLiteral("SELECT count(*) FROM ") + kFailed), QStringLiteral("0"));
        QCOMPARE(scalar(*c, QStringLiteral("SELECT attnotnull FROM pg_attribute WHERE attrelid = 'codes'::regclass AND attname = 'num'")),
                 QStringLiteral("t"));
        QCOMPARE(scalar(*c, QStringLiteral("SELECT count(*) FROM codes WHERE num IS DISTINCT FROM code::integer")), QStringLiteral("0"));
    }
};

QTEST_GUILESS_MAIN(TestFailingValues)
#include "test_failing_values.moc"
