// SPDX-License-Identifier: GPL-3.0-or-later
// serial / bigserial / smallserial as a new column's type: a sequence owned by the column, existing rows
// numbered by the backfill while an application role keeps inserting (it gets USAGE on the sequence, so
// its inserts never fail), NOT NULL, every value distinct, and a rollback that leaves no sequence behind.
#include "tests/pg/test_runner_support.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace lockstep;
using namespace lockstep::test;

class TestSerialColumns : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { sharedCluster(); }

    void numbersEveryRow_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("expected");
        QTest::newRow("bigserial") << "bigserial" << "bigint";
        QTest::newRow("serial") << "serial" << "integer";
        QTest::newRow("smallserial") << "smallserial" << "smallint";
    }

    void numbersEveryRow()
    {
        QFETCH(QString, type);
        QFETCH(QString, expected);
        const QString db = freshDatabase(QStringLiteral("serial"));
        auto conn = lockstep::test::connect(db);
        conn->execScript(QStringLiteral(
            "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'serial_app') THEN CREATE ROLE serial_app LOGIN; END IF; END $$;"
            "CREATE TABLE tickets (id bigint PRIMARY KEY, title text NOT NULL);"
            "INSERT INTO tickets SELECT g, 't' || g FROM generate_series(1, 20000) g; ANALYZE tickets;"
            "GRANT SELECT, INSERT ON tickets TO serial_app;"));
        const QString schemaBefore = pgDumpSchema(db);
        NewColumnChange ch;
        ch.table = QStringLiteral("tickets");
        ch.column = QStringLiteral("number");
        ch.type = type;
        const Plan plan = planFor(db, ch);
        QCOMPARE(plan.steps.first().id, QStringLiteral("create_sequence"));
        QVERIFY2(plan.steps.first().sql.contains(QStringLiteral("GRANT USAGE ON SEQUENCE \"public\".\"tickets_number_seq\" TO \"serial_app\"")),
                 qPrintable(plan.steps.first().sql));

        QTemporaryDir dir;
        store::Journal journal(dir.filePath(QStringLiteral("j.sqlite")));
        const qint64 runId = run::createRun(journal, plan, db, Phase::Constrain);
        std::atomic<bool> stop{false};
        std::atomic<int> inserted{0}, failed{0};
        QString appConninfo = db;
        appConninfo.replace(QRegularExpression(QStringLiteral("user=\\S+")), QStringLiteral("user=serial_app"));
        std::thread app([&] {   // the application, as its own role, keeps inserting without naming the column
            auto a = pg::Connection::open(appConninfo);
            int next = 100000;
            while (!stop) {
                try {
                    a->exec(QStringLiteral("INSERT INTO tickets (id, title) VALUES ($1, 'new')"), {++next});
                    ++inserted;
                } catch (const pg::PgException& e) {
                    if (failed++ == 0)
                        qWarning("application insert failed: %s", qPrintable(e.error().toString()));
                }
                QThread::msleep(2);
            }
        });
        const RunRecording rec = startRun(db, journal.path(), runId, run::RunOptions{});
        stop = true;
        app.join();
        QVERIFY2(rec.outcome == QLatin1String("done"), qPrintable(rec.message));
        qInfo("%s: %d application inserts during the run, %d failed", qPrintable(type), int(inserted), int(failed));
        QCOMPARE(failed.load(), 0);
        QVERIFY(inserted > 0);
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT format_type(atttypid, atttypmod) || ' ' || attnotnull FROM pg_attribute "
                                              "WHERE attrelid = 'tickets'::regclass AND attname = 'number'")), expected + QStringLiteral(" true"));
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT count(*) - count(DISTINCT number) FROM tickets")), QStringLiteral("0"));
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT pg_get_serial_sequence('tickets', 'number')")), QStringLiteral("public.tickets_number_seq"));
        // A new row gets the next number.
        const qint64 max = scalar(*conn, QStringLiteral("SELECT max(number) FROM tickets")).toLongLong();
        QVERIFY(scalar(*conn, QStringLiteral("INSERT INTO tickets (id, title) VALUES (999999, 'x') RETURNING number")).toLongLong() > max);

        const RunRecording back = rollbackRun(db, journal.path(), runId, run::RunOptions{});
        QVERIFY2(back.outcome == QLatin1String("rolled-back"), qPrintable(back.message));
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT to_regclass('public.tickets_number_seq') IS NULL")), QStringLiteral("t"));
        conn->exec(QStringLiteral("DELETE FROM tickets WHERE id > 20000"));
        QCOMPARE(pgDumpSchema(db), schemaBefore);
    }

    void refusesWhatSerialCannotTake()
    {
        const QString db = freshDatabase(QStringLiteral("serial_refused"));
        lockstep::test::connect(db)->execScript(QStringLiteral("CREATE TABLE tickets (id bigint PRIMARY KEY);"));
        const ProcessResult r = runLockstep({"plan", "--db", db, "--table", "tickets", "--add-column", "n", "--type", "bigserial",
                                             "--default", "1"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("a bigserial column's values come from its own new sequence"), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestSerialColumns)
#include "test_serial_columns.moc"
