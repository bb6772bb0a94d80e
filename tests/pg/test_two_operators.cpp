// SPDX-License-Identifier: GPL-3.0-or-later
// Two operators -- two processes, two journals, as on two machines -- on one table (table_claim.h,
// owner_marks.h): started at the same instant, one runs and the other is refused with the owner named,
// round after round; a crashed run's column is named as its, never adopted by another run, never dropped
// by another run's rollback, and resumed by its own operator; a session holding the claim refuses run.
#include "core/run/run_identity.h"
#include "tests/pg/test_runner_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>

using namespace lockstep;
using namespace lockstep::test;

namespace {
constexpr int kRows = 20000;

QStringList changeFlags(const QString& column)
{
    return {"--table", "items", "--add-column", column, "--type", "bigint", "--backfill", "qty * 3", "--not-null"};
}

QString wrongRows(pg::Connection& c, const QString& column)
{
    return scalar(c, QStringLiteral("SELECT count(*) FROM items WHERE %1 IS DISTINCT FROM qty * 3").arg(c.quoteIdent(column)));
}

bool hasColumn(pg::Connection& c, const QString& column)
{
    return scalar(c, QStringLiteral("SELECT count(*) FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = %1 "
                                    "AND NOT attisdropped").arg(c.quoteLiteral(column))) == QLatin1String("1");
}

QJsonArray runsIn(const QString& journal)
{
    if (!QFile::exists(journal))
        return {};
    return QJsonDocument::fromJson(runLockstep({"status", "--journal", journal, "--format", "json"}).out).array();
}

struct Started {
    std::unique_ptr<QProcess> process;
    QByteArray err;
};

} // namespace

class TestTwoOperators : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    QString freshItems(const QString& name)
    {
        const QString db = freshDatabase(name);
        lockstep::test::connect(db)->execScript(QStringLiteral(
            "CREATE TABLE items (id bigint PRIMARY KEY, qty integer NOT NULL);"
            "INSERT INTO items SELECT g, g % 97 FROM generate_series(1, %1) g; ANALYZE items;").arg(kRows));
        return db;
    }

private slots:
    void initTestCase() { sharedCluster(); }

    // Rounds of two `lockstep run` started together: the same column, or two columns of the same table.
    void sameInstantOneRunsTheOtherIsRefused()
    {
        const QString db = freshItems(QStringLiteral("two_ops"));
        auto conn = lockstep::test::connect(db);
        const QString schemaBefore = pgDumpSchema(db);
        const int rounds = 6;
        for (int round = 0; round < rounds; ++round) {
            const bool sameColumn = round % 2 == 0;
            const QString colA = QStringLiteral("tripled_%1").arg(round);
            const QString colB = sameColumn ? colA : QStringLiteral("other_%1").arg(round);
            const QString jA = m_dir.filePath(QStringLiteral("a%1.sqlite").arg(round));
            const QString jB = m_dir.filePath(QStringLiteral("b%1.sqlite").arg(round));
            // A rate cap keeps each run working for over a second: the two overlap whoever starts first.
            const QStringList tuning{"--max-rows-per-sec", "12000", "--until", "backfill"};
            auto a = startLockstep(QStringList{"run", "--db", db, "--journal", jA} + changeFlags(colA) + tuning, true);
            auto b = startLockstep(QStringList{"run", "--db", db, "--journal", jB} + changeFlags(colB) + tuning, true);
            QVERIFY(a->waitForFinished(60000) && b->waitForFinished(60000));
            const int codeA = a->exitCode(), codeB = b->exitCode();
            const QByteArray errA = a->readAllStandardError(), errB = b->readAllStandardError();
            qInfo("round %d (%s): A exit %d, B exit %d", round, sameColumn ? "same column" : "two columns", codeA, codeB);
            QVERIFY2((codeA == 0 && codeB == 6) || (codeA == 6 && codeB == 0), (errA + "\n----\n" + errB).constData());
            const bool aWon = codeA == 0;
            const QString winnerColumn = aWon ? colA : colB, loserColumn = aWon ? colB : colA;
            const QString winnerJournal = aWon ? jA : jB, loserJournal = aWon ? jB : jA;
            const QByteArray loserErr = aWon ? errB : errA;
            // The loser is told who is working on the table, from where, doing what; nothing of it ran.
            QVERIFY2(loserErr.contains("another run is working on") && loserErr.contains("lockstep ")
                         && loserErr.contains(QSysInfo::machineHostName().toUtf8()) && loserErr.contains("nothing was done"),
                     loserErr.constData());
            QCOMPARE(wrongRows(*conn, winnerColumn), QStringLiteral("0"));
            if (!sameColumn)
                QVERIFY(!hasColumn(*conn, loserColumn));
            for (const auto& r : runsIn(loserJournal)) {   // refused after journaling: ended, owning nothing
                QCOMPARE(r.toObject().value("state").toString(), QStringLiteral("rolled-back"));
                QVERIFY(r.toObject().value("error").toString().startsWith(QStringLiteral("refused: another run is working on")));
            }
            const QJsonArray won = runsIn(winnerJournal);
            QCOMPARE(won.size(), 1);
            QCOMPARE(won.first().toObject().value("state").toString(), QStringLiteral("done"));
            const ProcessResult back = runLockstep({"rollback", "1", "--journal", winnerJournal});
            QVERIFY2(back.exitCode == 0, back.err.constData());
            QCOMPARE(pgDumpSchema(db), schemaBefore);
        }
    }

    void crashedRunIsNamedNeverAdoptedNorDropped()
    {
        const QString db = freshItems(QStringLiteral("two_ops_crash"));
        auto conn = lockstep::test::connect(db);
        const QString jA = m_dir.filePath(QStringLiteral("crash_a.sqlite"));
        const QString jB = m_dir.filePath(QStringLiteral("crash_b.sqlite"));
        auto a = startLockstep(QStringList{"run", "--db", db, "--journal", jA, "--max-rows-per-sec", "8000"}
                               + changeFlags(QStringLiteral("tripled")));
        QTRY_VERIFY_WITH_TIMEOUT(hasColumn(*conn, QStringLiteral("tripled"))
                                     && scalar(*conn, QStringLiteral("SELECT count(tripled) FROM items")).toInt() > 3000, 30000);
        ::kill(pid_t(a->processId()), SIGKILL);
        QVERIFY(a->waitForFinished(10000));
        // The claim went with A's session: wait until the server has ended it.
        QTRY_COMPARE_WITH_TIMEOUT(scalar(*conn, QStringLiteral("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                                                                "AND classid = 1280003924")), QStringLiteral("0"), 10000);

        // B's run of the same change: told whose column it is and how to go on, nothing done.
        ProcessResult r = runLockstep(QStringList{"run", "--db", db, "--journal", jB} + changeFlags(QStringLiteral("tripled")));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("already has a column \"tripled\", added by lockstep run 1 by ")
                     && r.err.contains("lockstep resume 1 on " + QSysInfo::machineHostName().toUtf8()),
                 r.err.constData());

        // B with A's plan (made before A's column existed): refused before its first step, nothing adopted
        // or dropped (even a rollback would drop what is shared by name: the sync function, helper tables).
        const Plan plan = store::Journal(jA).run(1)->plan;
        store::Journal journalB(jB);
        const qint64 runB = run::createRun(journalB, plan, db, Phase::Backfill);
        const RunRecording rec = startRun(db, jB, runB, run::RunOptions{});
        QCOMPARE(rec.outcome, QStringLiteral("refused"));
        QVERIFY2(rec.message.contains(QStringLiteral("column \"tripled\" of \"public\".\"items\" belongs to lockstep run 1 by ")),
                 qPrintable(rec.message));
        QCOMPARE(journalB.run(runB)->state, store::RunState::RolledBack);   // ended: it never started a step
        const RunRecording back = rollbackRun(db, jB, runB, run::RunOptions{});   // whatever it says, it drops nothing of A's
        qInfo("B's rollback: %s %s", qPrintable(back.outcome), qPrintable(back.message));
        QVERIFY(hasColumn(*conn, QStringLiteral("tripled")));
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'items'::regclass AND tgname LIKE 'lockstep_%'")),
                 QStringLiteral("2"));

        // A's own operator resumes it: its objects carry its mark, so they are adopted and it finishes.
        r = runLockstep({"resume", "1", "--journal", jA, "--max-rows-per-sec", "0"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(wrongRows(*conn, QStringLiteral("tripled")), QStringLiteral("0"));
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT col_description('items'::regclass, attnum) FROM pg_attribute "
                                              "WHERE attrelid = 'items'::regclass AND attname = 'tripled'")).left(13),
                 QStringLiteral("lockstep run "));
    }

    // Whoever holds the claim -- here a session of the test, named as a run would be -- keeps run, resume and
    // rollback off the table, named in the refusal.
    void aHeldClaimRefusesRun()
    {
        const QString db = freshItems(QStringLiteral("two_ops_held"));
        auto holder = lockstep::test::connect(db);
        holder->exec(QStringLiteral("SET application_name = 'lockstep 0badc0de bob@elsewhere step 3/11 backfill'"));
        holder->exec(QStringLiteral("SELECT pg_advisory_lock((1280003924::bigint << 32) | 'items'::regclass::oid::bigint)"));
        const QString journal = m_dir.filePath(QStringLiteral("held.sqlite"));
        ProcessResult r = runLockstep(QStringList{"run", "--db", db, "--journal", journal} + changeFlags(QStringLiteral("t")));
        QCOMPARE(r.exitCode, 6);
        QVERIFY2(r.err.contains("lockstep 0badc0de bob@elsewhere step 3/11 backfill (pid ") && r.err.contains("nothing was done"),
                 r.err.constData());
        QVERIFY(runsIn(journal).isEmpty());   // refused before anything was journaled
        auto conn = lockstep::test::connect(db);
        QVERIFY(!hasColumn(*conn, QStringLiteral("t")));
        holder.reset();   // the session ends: the claim is gone
        QTRY_COMPARE_WITH_TIMEOUT(scalar(*conn, QStringLiteral("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")),
                                  QStringLiteral("0"), 10000);
        r = runLockstep(QStringList{"run", "--db", db, "--journal", journal, "--until", "expand"} + changeFlags(QStringLiteral("t")));
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestTwoOperators)
#include "test_two_operators.moc"
