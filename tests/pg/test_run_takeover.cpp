// SPDX-License-Identifier: GPL-3.0-or-later
// Taking over an unfinished run from another operator's machine (core/run/run_takeover.h), with the real
// CLI on a real server: operator A's run is killed mid-backfill (its journal stays on A's machine);
// operator B, with another journal, is told how to take it over, plans the same change with --take-over
// (the same object names as A's plan), runs it to the end with 0 rows wrong, and A's resume and rollback
// are then refused without touching B's work. Refused too: a take-over while A still runs, of a column no
// run added, and with another type.
#include "tests/pg/test_runner_support.h"
#include "tests/support/pg_fixture.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

using namespace lockstep;
using namespace lockstep::test;

namespace {
const QStringList kChange{"--table", "big", "--add-column", "twice", "--type", "bigint", "--backfill", "qty * 2", "--not-null"};

QString filledRows(pg::Connection& c)
{
    if (c.exec(QStringLiteral("SELECT 1 FROM pg_attribute WHERE attrelid = 'big'::regclass AND attname = 'twice'")).rows() == 0)
        return QStringLiteral("0");
    return c.exec(QStringLiteral("SELECT count(*) FROM big WHERE twice IS NOT NULL")).value(0, 0);
}

QString columnComment(pg::Connection& c)
{
    return c.exec(QStringLiteral("SELECT col_description('big'::regclass, attnum) FROM pg_attribute "
                                 "WHERE attrelid = 'big'::regclass AND attname = 'twice' AND NOT attisdropped")).value(0, 0);
}
} // namespace

class TestRunTakeover : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    // Operator A's run, slowed so that it is mid-backfill when the caller acts; returned running.
    std::unique_ptr<QProcess> startSlowRun(pg::Connection& c, const QString& db, const QString& journal)
    {
        auto proc = startLockstep(QStringList{"run", "--db", db, "--journal", journal, "--max-rows-per-sec", "3000"} + kChange);
        if (!proc)
            return nullptr;
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 60000 && filledRows(c).toLongLong() < 2000 && proc->state() == QProcess::Running)
            QTest::qWait(20);
        return proc;
    }

    // Operator A, killed mid-backfill: its column, triggers and marks stay; nobody holds its claim.
    QString crashedRun(const QString& name)
    {
        const QString db = freshDatabase(name);
        auto conn = lockstep::test::connect(db);
        createBigTable(*conn, 30000);
        const QString journalA = m_dir.filePath(name + QStringLiteral("_a.sqlite"));
        auto proc = startSlowRun(*conn, db, journalA);
        if (!proc || proc->state() != QProcess::Running)
            return {};
        ::kill(pid_t(proc->processId()), SIGKILL);
        proc->waitForFinished(10000);
        return db;
    }

private slots:
    void initTestCase()
    {
        sharedCluster();
        QVERIFY(m_dir.isValid());
    }

    void takesOverAnAbandonedRun()
    {
        const QString db = crashedRun(QStringLiteral("takeover"));
        QVERIFY2(!db.isEmpty(), "operator A's run did not reach its backfill");
        auto conn = lockstep::test::connect(db);
        const QString journalA = m_dir.filePath(QStringLiteral("takeover_a.sqlite"));
        const QString journalB = m_dir.filePath(QStringLiteral("takeover_b.sqlite"));
        const qint64 filledByA = filledRows(*conn).toLongLong();
        QVERIFY(filledByA > 0 && filledByA < 30000);
        const QString markA = columnComment(*conn);
        QVERIFY2(markA.startsWith(QStringLiteral("lockstep run ")), qPrintable(markA));

        // Without --take-over, B is refused and told how.
        const ProcessResult refused = runLockstep(QStringList{"run", "--db", db, "--journal", journalB} + kChange);
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.err.contains("take the run over: the same change with --take-over"), refused.err.constData());

        // The take-over's plan names A's run and uses A's object names: its steps' SQL is A's.
        const ProcessResult planned = runLockstep(QStringList{"plan", "--db", db, "--take-over", "--format", "json"} + kChange);
        QVERIFY2(planned.exitCode == 0, planned.err.constData());
        const Plan planB = Plan::fromJson(QJsonDocument::fromJson(planned.out).object());
        QCOMPARE(planB.takesOver, markA);
        const Plan planA = store::Journal(journalA).run(1)->plan;
        QVERIFY(planA.steps.size() >= 5);
        for (const Step& a : planA.steps) {
            const int i = stepIndexOf(planB, a.id);
            QVERIFY2(i >= 0, qPrintable(a.id));
            QCOMPARE(planB.steps[i].sql, a.sql);
        }
        const ProcessResult text = runLockstep(QStringList{"plan", "--db", db, "--take-over"} + kChange);
        QVERIFY2(text.out.contains("Takes over: lockstep run 1 by "), text.out.constData());

        // B runs it to the end: A's objects adopted, every row right.
        const ProcessResult ran = runLockstep(QStringList{"run", "--db", db, "--journal", journalB, "--take-over"} + kChange);
        QVERIFY2(ran.exitCode == 0, ran.err.constData());
        QCOMPARE(bigMismatches(*conn), QStringLiteral("0"));
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT attnotnull FROM pg_attribute WHERE attrelid = 'big'::regclass AND attname = 'twice'")),
                 QStringLiteral("t"));
        store::Journal b(journalB);
        const QString uidB = b.run(1)->uid;
        QVERIFY2(columnComment(*conn).startsWith(QStringLiteral("lockstep run %1:").arg(uidB)), qPrintable(columnComment(*conn)));
        QStringList takeOvers;
        for (const store::EventRecord& e : b.events(1))
            if (e.kind == QLatin1String("take-over"))
                takeOvers << e.message;
        QCOMPARE(takeOvers.size(), 1);
        QVERIFY2(takeOvers.first().contains(QStringLiteral("column \"twice\"")) && takeOvers.first().contains(QStringLiteral("trigger ")),
                 qPrintable(takeOvers.first()));
        const auto stepsB = b.steps(1);
        QVERIFY2(stepsB[0].errorMessage.contains(QStringLiteral("already done")), qPrintable(stepsB[0].errorMessage));

        // A comes back: its resume and its rollback are refused, and B's work stays whole.
        const QString before = checksum(*conn, QStringLiteral("big"), QStringLiteral("id, twice"), QStringLiteral("id"));
        const QString triggersBefore = scalar(*conn, QStringLiteral("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'big'::regclass AND NOT tgisinternal"));
        for (const char* action : {"resume", "rollback"}) {
            const ProcessResult back = runLockstep({QString::fromLatin1(action), "1", "--journal", journalA, "--db", db});
            QCOMPARE(back.exitCode, 6);
            QVERIFY2(back.err.contains("or that took this one over"), back.err.constData());
        }
        QCOMPARE(checksum(*conn, QStringLiteral("big"), QStringLiteral("id, twice"), QStringLiteral("id")), before);
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'big'::regclass AND NOT tgisinternal")),
                 triggersBefore);
        QVERIFY(columnComment(*conn).startsWith(QStringLiteral("lockstep run %1:").arg(uidB)));
    }

    void refusedWhileTheRunStillRuns()
    {
        const QString db = freshDatabase(QStringLiteral("takeover_live"));
        auto conn = lockstep::test::connect(db);
        createBigTable(*conn, 30000);
        auto proc = startSlowRun(*conn, db, m_dir.filePath(QStringLiteral("live_a.sqlite")));
        QVERIFY(proc && proc->state() == QProcess::Running);
        const ProcessResult r = runLockstep(QStringList{"plan", "--db", db, "--take-over"} + kChange);
        ::kill(pid_t(proc->processId()), SIGKILL);
        proc->waitForFinished(10000);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--take-over: ") && r.err.contains("cannot be taken over while it runs"), r.err.constData());
    }

    void refusedForAColumnNoRunAddedOrAnotherType()
    {
        const QString db = freshDatabase(QStringLiteral("takeover_plain"));
        auto conn = lockstep::test::connect(db);
        createBigTable(*conn, 100);
        ProcessResult r = runLockstep(QStringList{"plan", "--db", db, "--take-over"} + kChange);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("there is nothing to take over"), r.err.constData());
        conn->exec(QStringLiteral("ALTER TABLE big ADD COLUMN twice bigint"));
        r = runLockstep(QStringList{"plan", "--db", db, "--take-over"} + kChange);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("carries no run's mark"), r.err.constData());

        const QString crashed = crashedRun(QStringLiteral("takeover_type"));
        QVERIFY(!crashed.isEmpty());
        QStringList otherType = kChange;
        otherType[otherType.indexOf(QStringLiteral("bigint"))] = QStringLiteral("numeric");
        r = runLockstep(QStringList{"plan", "--db", crashed, "--take-over"} + otherType);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--type: the abandoned run added \"twice\" as bigint, not numeric"), r.err.constData());
    }
};

QTEST_MAIN(TestRunTakeover)
#include "test_run_takeover.moc"
