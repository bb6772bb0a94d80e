// SPDX-License-Identifier: GPL-3.0-or-later
// lockstep rehearse end to end with the real CLI (core/rehearse/): a 1,000,000-row table with a text, a
// numeric, a timestamp and a nullable column on a "production" server; the rehearsal builds its private
// copy, fills it from pg_stats, runs the plan there and reports each step. Checked: the copy's shape
// against the source (NULL share within 0.05, distinct values within 2x, rows within 5 %), that nothing
// on production changed (its rows, its catalog, its write counters), the JSON/Markdown forms, and that a
// step failing on the copy is reported with exit 4 while production stays untouched.
#include "tests/pg/test_runner_support.h"
#include "tests/support/pg_fixture.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace lockstep;
using namespace lockstep::test;

namespace {
const QStringList kChange{"--table", "orders", "--add-column", "amount_cents", "--type", "bigint",
                          "--backfill", "(amount * 100)::bigint", "--not-null", "--index"};

// What a rehearsal must not change on production: the rows, the catalog, the write counters.
QString productionState(pg::Connection& c)
{
    return c.exec(QStringLiteral(
                      "SELECT (SELECT md5(string_agg(o::text, ',' ORDER BY id)) FROM orders o) || ' ' || "
                      "(SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace) || ' ' || "
                      "(SELECT count(*) FROM pg_attribute WHERE attrelid = 'orders'::regclass) || ' ' || "
                      "(SELECT n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables WHERE relid = 'orders'::regclass)"))
        .value(0, 0);
}
} // namespace

class TestRehearse : public QObject {
    Q_OBJECT
    QString m_db;
    QTemporaryDir m_dir;

private slots:
    void initTestCase()
    {
        sharedCluster();
        m_db = freshDatabase(QStringLiteral("rehearse"));
        auto conn = lockstep::test::connect(m_db);
        conn->execScript(QStringLiteral(
            "CREATE TABLE orders (id bigint PRIMARY KEY, note text, amount numeric(12,2) NOT NULL,"
            " created timestamptz NOT NULL, status text NOT NULL);"
            "INSERT INTO orders SELECT g,"
            " CASE WHEN g % 10 = 0 THEN NULL ELSE 'note ' || (g % 300) END,"
            " round((g % 5000) / 7.0, 2),"
            " timestamptz '2024-01-01' + (g % 86400) * interval '7 minutes',"
            " (ARRAY['placed','paid','shipped','delivered','returned'])[1 + (g * 7) % 5]"
            " FROM generate_series(1, 1000000) g;"
            "CREATE INDEX orders_status ON orders (status);"));
        conn->exec(QStringLiteral("VACUUM (ANALYZE) orders"));
    }

    void rehearsesEndToEnd()
    {
        auto conn = lockstep::test::connect(m_db);
        const QString before = productionState(*conn);
        QElapsedTimer clock;
        clock.start();
        const ProcessResult r = runLockstep(QStringList{"rehearse", "--db", m_db, "--format", "json"} + kChange, {}, 600000);
        qInfo("rehearsal of 1,000,000 rows: %.1f s (exit %d)\n%s", clock.elapsed() / 1000.0, r.exitCode, r.err.constData());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject report = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(report.value("outcome").toString(), QStringLiteral("done"));
        QVERIFY(report.value("ok").toBool());
        QVERIFY(report.value("wal_bytes").toDouble() > 0);

        // Production-sized, and shaped like the source.
        const double rows = report.value("copy_rows").toDouble();
        QVERIFY2(qAbs(rows - 1000000) <= 50000, qPrintable(QString::number(rows)));
        const QJsonArray columns = report.value("columns").toArray();
        QCOMPARE(columns.size(), 5);
        for (const QJsonValue& v : columns) {
            const QJsonObject c = v.toObject();
            const QString name = c.value("name").toString();
            const double ds = c.value("distinct_source").toDouble(), dc = c.value("distinct_copy").toDouble();
            qInfo("%s: NULLs %.3f / %.3f, distinct %.0f / %.0f", qPrintable(name), c.value("null_frac_source").toDouble(),
                  c.value("null_frac_copy").toDouble(), ds, dc);
            QVERIFY2(qAbs(c.value("null_frac_source").toDouble() - c.value("null_frac_copy").toDouble()) <= 0.05, qPrintable(name));
            QVERIFY2(dc >= ds / 2 && dc <= ds * 2, qPrintable(name));
        }

        // Every step of the plan ran on the copy and was timed; the backfill took measurable time.
        const QJsonArray steps = report.value("steps").toArray();
        QVERIFY(steps.size() >= 8);
        bool backfillTimed = false;
        for (const QJsonValue& v : steps) {
            const QJsonObject s = v.toObject();
            QCOMPARE(s.value("state").toString(), QStringLiteral("done"));
            if (s.value("id").toString() == QLatin1String("backfill"))
                backfillTimed = s.value("rehearsed_seconds").toDouble() > 0.1;
        }
        QVERIFY(backfillTimed);

        // Production was only read.
        QCOMPARE(productionState(*conn), before);
    }

    void textAndMarkdown()
    {
        const QStringList small{"--rows", "20000"};
        const ProcessResult text = runLockstep(QStringList{"rehearse", "--db", m_db} + small + kChange, {}, 300000);
        QVERIFY2(text.exitCode == 0, text.err.constData());
        QVERIFY2(text.out.contains("Rehearsal: add column") && text.out.contains("every step ran on the copy")
                     && text.out.contains("row-bound steps scaled 50.0x") && text.out.contains("Production was only read"),
                 text.out.constData());
        const ProcessResult md = runLockstep(QStringList{"rehearse", "--db", m_db, "--format", "markdown"} + small + kChange, {}, 300000);
        QVERIFY2(md.exitCode == 0, md.err.constData());
        QVERIFY2(md.out.startsWith("### Rehearsal: ") && md.out.contains("| Step | Estimated | Rehearsed |"), md.out.constData());
        const ProcessResult bad = runLockstep(QStringList{"rehearse", "--db", m_db, "--format", "html"} + kChange);
        QCOMPARE(bad.exitCode, 2);

        // Saved in the journal: status says so, --rehearsals lists them with their reports (newest first).
        const QString journal = m_dir.filePath(QStringLiteral("saved.sqlite"));
        const ProcessResult saved = runLockstep(QStringList{"rehearse", "--db", m_db, "--journal", journal} + small + kChange, {}, 300000);
        QVERIFY2(saved.exitCode == 0 && saved.err.contains("saved as rehearsal 1 in"), saved.err.constData());
        const ProcessResult status = runLockstep({"status", "--journal", journal});
        QVERIFY2(status.out.contains("rehearsals: 1, the last on \"public\".\"orders\" (ok)"), status.out.constData());
        const ProcessResult listed = runLockstep({"status", "--journal", journal, "--rehearsals", "--format", "json"});
        QCOMPARE(listed.exitCode, 0);
        const QJsonArray rehearsals = QJsonDocument::fromJson(listed.out).array();
        QCOMPARE(rehearsals.size(), 1);
        const QJsonObject first = rehearsals.first().toObject();
        QVERIFY(first.value("ok").toBool());
        QCOMPARE(first.value("report").toObject().value("copy_rows").toDouble(), 20000.0);
        QVERIFY(first.value("report").toObject().value("steps").toArray().size() >= 8);
        QVERIFY2(runLockstep({"status", "--journal", journal, "--rehearsals"}).out.startsWith("rehearsal 1  ok  "), "text list");
    }

    void replaysTrafficAndTimesWhatItSaw()
    {
        auto conn = lockstep::test::connect(m_db);
        const QString before = productionState(*conn);
        const ProcessResult r = runLockstep(QStringList{"rehearse", "--db", m_db, "--rows", "50000", "--writes-per-sec", "200",
                                                        "--reads-per-sec", "200", "--format", "json"} + kChange, {}, 300000);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject report = QJsonDocument::fromJson(r.out).object();
        const QJsonObject traffic = report.value("traffic").toObject();
        QVERIFY(traffic.value("replayed").toBool());
        QCOMPARE(traffic.value("updates_per_second").toDouble(), 120.0);
        const QJsonObject baseline = traffic.value("baseline").toObject(), during = traffic.value("during").toObject();
        qInfo("traffic: before p50 %.2f / p99 %.2f ms (%d statements), during p50 %.2f / p99 %.2f ms, max %.1f ms (%d statements)",
              baseline.value("p50_ms").toDouble(), baseline.value("p99_ms").toDouble(), baseline.value("statements").toInt(),
              during.value("p50_ms").toDouble(), during.value("p99_ms").toDouble(), during.value("max_ms").toDouble(),
              during.value("statements").toInt());
        QVERIFY(baseline.value("statements").toInt() > 300);    // 2 s at 400 a second
        QVERIFY(during.value("statements").toInt() > 0);
        QCOMPARE(during.value("failed").toInt(), 0);             // the application never failed on the copy
        // Each step says what the application's statements saw while it ran; the backfill overlapped some.
        for (const QJsonValue& v : report.value("steps").toArray()) {
            const QJsonObject s = v.toObject();
            QVERIFY(s.contains("traffic"));
            if (s.value("id").toString() == QLatin1String("backfill"))
                QVERIFY(s.value("traffic").toObject().value("statements").toInt() > 0);
        }
        QCOMPARE(productionState(*conn), before);   // the traffic ran on the copy only
    }

    void aFailingStepIsReportedAndProductionUntouched()
    {
        auto conn = lockstep::test::connect(m_db);
        const QString before = productionState(*conn);
        // A unique key over a volatile backfill: nothing to prove at plan time (each row gets a new value), but
        // 20,000 rows take 11 values: the key's build fails on the copy -- found before production.
        const QStringList failing{"--table", "orders", "--add-column", "lucky", "--type", "integer", "--backfill",
                                  "(random() * 10)::int", "--unique"};
        const ProcessResult r = runLockstep(QStringList{"rehearse", "--db", m_db, "--rows", "20000", "--format", "json"} + failing,
                                            {}, 300000);
        QCOMPARE(r.exitCode, 4);
        const QJsonObject report = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(report.value("outcome").toString(), QStringLiteral("failed"));
        const QJsonArray problems = report.value("problems").toArray();
        QVERIFY2(!problems.isEmpty() && problems.first().toString().contains(QStringLiteral("duplicate")), r.out.constData());

        // Repeating values of a deterministic backfill are refused at plan time, before any copy is made.
        const ProcessResult refused = runLockstep({"rehearse", "--db", m_db, "--rows", "20000", "--table", "orders", "--add-column",
                                                   "status_key", "--type", "text", "--backfill", "status", "--unique"});
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.err.contains("--unique: the new values repeat: '") && refused.err.contains("times in a sample of the rows"),
                 refused.err.constData());
        QCOMPARE(productionState(*conn), before);
    }
};

QTEST_MAIN(TestRehearse)
#include "test_rehearse.moc"
