// SPDX-License-Identifier: GPL-3.0-or-later
// `lockstep run / resume / rollback / status` as a script would use them, on a real server: a run killed
// with SIGKILL at random points of its backfill and resumed each time ends with correct data; Ctrl+C leaves
// a resumable run (exit 130); rollback restores the schema; exit codes keep their meaning.
#include "core/pg/connection.h"
#include "core/store/journal.h"
#include "tests/support/pg_fixture.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>

using namespace lockstep;
using namespace lockstep::test;

namespace {
constexpr int kRows = 300000;

const QStringList kChange{"--table", "items", "--add-column", "total", "--type", "numeric(12,2)",
                          "--backfill", "qty * price", "--not-null", "--index"};

QString wrongRows(pg::Connection& c)
{
    return c.exec(QStringLiteral("SELECT count(*) FROM items WHERE total IS DISTINCT FROM (qty * price)::numeric(12,2)"))
        .value(0, 0);
}

// Rows the backfill has filled so far (the sync trigger fills none here: nothing writes meanwhile);
// 0 while the column does not exist yet.
qint64 filledRows(pg::Connection& c)
{
    try {
        return c.exec(QStringLiteral("SELECT count(total) FROM items")).value(0, 0).toLongLong();
    } catch (const pg::PgException& e) {
        if (e.error().sqlstate != QLatin1String("42703"))   // undefined_column
            throw;
        return 0;
    }
}

QJsonObject statusOf(const QString& journal, qint64 runId)
{
    const ProcessResult r = runLockstep({"status", QString::number(runId), "--journal", journal, "--format", "json"});
    return QJsonDocument::fromJson(r.out).array().first().toObject();
}
} // namespace

class TestCliRun : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    QString freshItems()
    {
        const QString db = freshDatabase(QStringLiteral("clirun"));
        lockstep::test::connect(db)->execScript(QStringLiteral(
            "CREATE TABLE items (id bigint PRIMARY KEY, qty integer NOT NULL, price numeric(10,2) NOT NULL);"
            "INSERT INTO items SELECT g, g % 97, (g % 1000) / 10.0 FROM generate_series(1, %1) g; ANALYZE items;").arg(kRows));
        return db;
    }

    // Starts `lockstep ARGS` and returns the process (the caller kills or waits for it).
    // Waits until the backfill has filled more than `atLeast` rows (or the process ended).
    bool waitForBackfillPast(pg::Connection& c, QProcess& p, qint64 atLeast)
    {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 60000) {
            if (filledRows(c) > atLeast)
                return true;
            if (p.state() == QProcess::NotRunning)
                return false;
            QTest::qWait(20);
        }
        return false;
    }

private slots:
    void initTestCase() { sharedCluster(); }

    void killedThreeTimesThenResumed()
    {
        const QString db = freshItems();
        auto conn = lockstep::test::connect(db);
        const QString journal = m_dir.filePath(QStringLiteral("kill.sqlite"));
        // A rate cap keeps the backfill long enough to be killed in the middle, at random points.
        const QStringList tuning{"--journal", journal, "--max-rows-per-sec", "60000"};
        auto proc = startLockstep(QStringList{"run", "--db", db} + kChange + tuning);
        QVERIFY(proc);
        qint64 runId = 1;
        qint64 lastFilled = 0;
        for (int kill = 0; kill < 3; ++kill) {
            const qint64 point = lastFilled + 20000 + QRandomGenerator::global()->bounded(40000);
            QVERIFY2(waitForBackfillPast(*conn, *proc, point), "the backfill did not progress");
            ::kill(pid_t(proc->processId()), SIGKILL);
            proc->waitForFinished(10000);
            QCOMPARE(proc->exitStatus(), QProcess::CrashExit);
            const qint64 filled = filledRows(*conn);
            QVERIFY2(filled >= lastFilled, "filled rows went backwards");
            lastFilled = filled;
            qInfo("killed at %lld rows filled", filled);
            proc = startLockstep(QStringList{"resume", QString::number(runId)} + tuning);
            QVERIFY(proc);
        }
        QVERIFY(proc->waitForFinished(120000));
        QCOMPARE(proc->exitCode(), 0);
        QCOMPARE(wrongRows(*conn), QStringLiteral("0"));
        QCOMPARE(conn->exec(QStringLiteral("SELECT attnotnull FROM pg_attribute WHERE attrelid = 'items'::regclass "
                                           "AND attname = 'total'")).value(0, 0), QStringLiteral("t"));
        QCOMPARE(conn->exec(QStringLiteral("SELECT count(*) FROM pg_index WHERE indrelid = 'items'::regclass "
                                           "AND NOT indisvalid")).value(0, 0), QStringLiteral("0"));
        const QJsonObject status = statusOf(journal, runId);
        QCOMPARE(status.value("state").toString(), QStringLiteral("done"));
        for (const auto& step : status.value("steps").toArray())
            QCOMPARE(step.toObject().value("state").toString(), QStringLiteral("done"));
    }

    void interruptThenResumeThenRollBack()
    {
        const QString db = freshItems();
        auto conn = lockstep::test::connect(db);
        const QString before = pgDumpSchema(db);
        const QString journal = m_dir.filePath(QStringLiteral("int.sqlite"));
        auto proc = startLockstep(QStringList{"run", "--db", db, "--journal", journal, "--max-rows-per-sec", "60000"} + kChange);
        QVERIFY(proc);
        QVERIFY(waitForBackfillPast(*conn, *proc, 30000));
        ::kill(pid_t(proc->processId()), SIGINT);
        QVERIFY(proc->waitForFinished(30000));
        QCOMPARE(proc->exitStatus(), QProcess::NormalExit);
        QCOMPARE(proc->exitCode(), 130);
        QCOMPARE(statusOf(journal, 1).value("state").toString(), QStringLiteral("paused"));

        // One run per change: a second run of the same column is refused, the owner named, nothing created.
        ProcessResult r = runLockstep(QStringList{"run", "--db", db, "--journal", journal} + kChange);
        QCOMPARE(r.exitCode, 6);
        QVERIFY2(r.err.contains("is owned by run 1 (paused in step") && r.err.contains("lockstep resume 1"), r.err.constData());
        QCOMPARE(QJsonDocument::fromJson(runLockstep({"status", "--journal", journal, "--format", "json"}).out).array().size(), 1);

        // The resume keeps the run's own rate cap: the rest of the backfill takes at least its time at 60,000 rows/s.
        QCOMPARE(statusOf(journal, 1).value("options").toObject().value("max_rows_per_sec").toInt(), 60000);
        const qint64 left = kRows - filledRows(*conn);
        QElapsedTimer resumed;
        resumed.start();
        r = runLockstep({"resume", "1", "--journal", journal});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        qInfo("resumed %lld rows in %lld ms under the run's own cap", left, static_cast<long long>(resumed.elapsed()));
        QVERIFY2(r.err.contains("run 1 resumes with its journaled options: ") && r.err.contains("--max-rows-per-sec 60000"),
                 r.err.constData());
        QVERIFY2(resumed.elapsed() >= left * 1000 / 60000 * 8 / 10, qPrintable(QString::number(resumed.elapsed())));
        QCOMPARE(wrongRows(*conn), QStringLiteral("0"));
        // Done until constrain: parked at the switch gate, it still owns the column.
        r = runLockstep(QStringList{"run", "--db", db, "--journal", journal} + kChange);
        QCOMPARE(r.exitCode, 6);
        QVERIFY2(r.err.contains("is owned by run 1 (parked at the switch gate)"), r.err.constData());

        r = runLockstep({"rollback", "1", "--journal", journal});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(pgDumpSchema(db), before);
        QCOMPARE(statusOf(journal, 1).value("state").toString(), QStringLiteral("rolled-back"));
        // Rolled back, it owns nothing: the change may run again.
        r = runLockstep(QStringList{"run", "--db", db, "--journal", journal, "--until", "expand"} + kChange);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(statusOf(journal, 2).value("state").toString(), QStringLiteral("done"));
    }

    // A flag given to resume overrides that one option, says so and journals it; the others stay the run's.
    void resumeOverridesOnlyWhatIsGiven()
    {
        const QString db = freshItems();
        auto conn = lockstep::test::connect(db);
        const QString journal = m_dir.filePath(QStringLiteral("override.sqlite"));
        auto proc = startLockstep(QStringList{"run", "--db", db, "--journal", journal, "--max-rows-per-sec", "40000",
                                      "--target-batch-ms", "120", "--free-moment-ms", "500", "--full-speed"} + kChange);
        QVERIFY(proc);
        QVERIFY(waitForBackfillPast(*conn, *proc, 20000));
        ::kill(pid_t(proc->processId()), SIGINT);
        QVERIFY(proc->waitForFinished(30000));
        QCOMPARE(proc->exitCode(), 130);
        const ProcessResult r = runLockstep({"resume", "1", "--journal", journal, "--max-rows-per-sec", "0"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.contains("run 1: options changed for this resume: --max-rows-per-sec 0 (was 40000)"), r.err.constData());
        const QJsonObject options = statusOf(journal, 1).value("options").toObject();
        QCOMPARE(options.value("max_rows_per_sec").toInt(), 0);
        QCOMPARE(options.value("target_batch_ms").toInt(), 120);       // kept
        QCOMPARE(options.value("yield_to_traffic").toBool(true), false);  // kept: --full-speed
        QCOMPARE(options.value("lock_timeout_ms").toInt(), 1000);
        QCOMPARE(options.value("free_moment_ms").toInt(), 500);         // kept
        store::Journal j(journal);
        bool said = false;
        for (const store::EventRecord& e : j.events(1))
            said = said || (e.kind == QLatin1String("options") && e.message.contains(QStringLiteral("--max-rows-per-sec 0 (was 40000)")));
        QVERIFY(said);
        QCOMPARE(wrongRows(*conn), QStringLiteral("0"));
    }

    void exitCodes()
    {
        const QString journal = m_dir.filePath(QStringLiteral("codes.sqlite"));
        const QString db = freshItems();
        QCOMPARE(runLockstep(QStringList{"run", "--db", db, "--journal", journal, "--until", "later"} + kChange).exitCode, 2);
        const ProcessResult badWait = runLockstep(QStringList{"run", "--db", db, "--journal", journal, "--free-moment-ms", "-1"} + kChange);
        QCOMPARE(badWait.exitCode, 2);
        QVERIFY2(badWait.err.contains("--free-moment-ms: expected a whole number from 0 to 600000"), badWait.err.constData());
        QCOMPARE(runLockstep(QStringList{"run", "--db", db, "--journal", journal, "--target-batch-ms", "0"} + kChange).exitCode, 2);
        QCOMPARE(runLockstep(QStringList{"run", "--db", "host=/nonexistent-lockstep port=1", "--journal", journal} + kChange).exitCode, 3);
        QCOMPARE(runLockstep({"resume", "999", "--journal", journal}).exitCode, 2);
        QCOMPARE(runLockstep({"rollback", "--journal", journal}).exitCode, 2);
        // None of these created a run.
        QCOMPARE(QJsonDocument::fromJson(runLockstep({"status", "--journal", journal, "--format", "json"}).out).array().size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestCliRun)
#include "test_cli_run.moc"
