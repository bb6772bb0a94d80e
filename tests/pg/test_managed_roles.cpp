// SPDX-License-Identifier: GPL-3.0-or-later
// Managed-service roles: a table owner without superuser plans, runs and rolls back; without pg_monitor
// it is told what it cannot see (another role's transaction holding a lock: "unknown", never "none"),
// with pg_monitor it sees it; a role lacking a privilege the plan needs is refused before anything is
// done, with the GRANT that fixes it.
#include "tests/pg/test_runner_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace lockstep;
using namespace lockstep::test;

namespace {
const QStringList kChange{"--table", "shop.orders", "--add-column", "total_cents", "--type", "bigint",
                          "--backfill", "(total * 100)::bigint", "--not-null", "--index"};
} // namespace

class TestManagedRoles : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private slots:
    void initTestCase() { sharedCluster(); }

    void ownerWithoutSuperuser()
    {
        const QString db = freshDatabase(QStringLiteral("managed"));
        auto admin = lockstep::test::connect(db);
        admin->execScript(QStringLiteral(
            "CREATE ROLE shop_owner LOGIN; CREATE ROLE shop_app LOGIN;"
            "CREATE SCHEMA shop AUTHORIZATION shop_owner;"
            "SET ROLE shop_owner;"
            "CREATE TABLE shop.orders (id bigint PRIMARY KEY, total numeric(10,2) NOT NULL);"
            "INSERT INTO shop.orders SELECT g, g / 10.0 FROM generate_series(1, 20000) g; ANALYZE shop.orders;"
            "GRANT USAGE ON SCHEMA shop TO shop_app; GRANT SELECT, INSERT, UPDATE ON shop.orders TO shop_app;"
            "RESET ROLE;"));
        const QString owner = asRole(db, QStringLiteral("shop_owner"));
        const QString schemaBefore = pgDumpSchema(db);

        // The plan lists each privilege: the required ones held, pg_monitor and pg_signal_backend absent.
        ProcessResult r = runLockstep(QStringList{"plan", "--db", owner, "--format", "json"} + kChange);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QStringList absent, held;
        for (const auto& v : QJsonDocument::fromJson(r.out).object().value("privileges").toArray()) {
            const QJsonObject c = v.toObject();
            (c.value("granted").toBool() ? held : absent) << c.value("name").toString();
            if (c.value("required").toBool())
                QVERIFY2(c.value("granted").toBool(), qPrintable(c.value("name").toString()));
        }
        QVERIFY2(absent.contains("pg_monitor (pg_read_all_stats)") && absent.contains("pg_signal_backend"), qPrintable(absent.join(", ")));
        QVERIFY2(held.contains("CREATE on schema shop"), qPrintable(held.join(", ")));

        // Another role's transaction holds a lock on the table: unknown to the owner, never "none".
        auto app = pg::Connection::open(asRole(db, QStringLiteral("shop_app")));
        app->exec(QStringLiteral("BEGIN"));
        app->exec(QStringLiteral("SELECT count(*) FROM shop.orders"));
        QTest::qWait(1200);
        r = runLockstep({"inspect", "--db", owner, "--long-transaction-seconds", "1"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        // (the test's own superuser session is another role's too)
        QVERIFY2(QRegularExpression(QStringLiteral("long transactions  unknown for [12] session\\(s\\) of other roles: shop_owner cannot see "
                                                   "other roles' sessions \\(GRANT pg_monitor TO shop_owner\\); they hold locks on shop.orders"))
                     .match(QString::fromUtf8(r.out)).hasMatch(), r.out.constData());
        QVERIFY2(r.out.contains("a session of another role holds a lock on it, for how long this role cannot see"), r.out.constData());
        QVERIFY(!r.out.contains("long transactions  none"));
        admin->exec(QStringLiteral("GRANT pg_monitor TO shop_owner"));
        r = runLockstep({"inspect", "--db", owner, "--long-transaction-seconds", "1"});
        QVERIFY2(r.out.contains("long transaction   pid " + QByteArray::number(app->backendPid()) + " (shop_app"), r.out.constData());
        admin->exec(QStringLiteral("REVOKE pg_monitor FROM shop_owner"));
        app->exec(QStringLiteral("COMMIT"));

        // Run and roll back as the owner; the missing monitoring rights are said, not silent.
        const QString journal = m_dir.filePath(QStringLiteral("owner.sqlite"));
        r = runLockstep(QStringList{"run", "--db", owner, "--journal", journal} + kChange);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.contains("warning: no pg_monitor (pg_read_all_stats)"), r.err.constData());
        QCOMPARE(scalar(*admin, QStringLiteral("SELECT count(*) FROM shop.orders WHERE total_cents IS DISTINCT FROM (total * 100)::bigint")),
                 QStringLiteral("0"));
        r = runLockstep({"rollback", "1", "--journal", journal, "--db", owner});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(pgDumpSchema(db), schemaBefore);
    }

    void missingPrivilegeRefusedBeforeAnything()
    {
        const QString db = freshDatabase(QStringLiteral("managed_missing"));
        auto admin = lockstep::test::connect(db);
        // The owner of a table in public, which (PostgreSQL 15) gives no CREATE to ordinary roles.
        admin->execScript(QStringLiteral(
            "CREATE ROLE table_only_owner LOGIN; CREATE SCHEMA shop;"
            "CREATE TABLE shop.orders (id bigint PRIMARY KEY, total numeric(10,2) NOT NULL);"
            "INSERT INTO shop.orders SELECT g, g / 10.0 FROM generate_series(1, 1000) g;"
            "ALTER TABLE shop.orders OWNER TO table_only_owner; GRANT USAGE ON SCHEMA shop TO table_only_owner;"));
        const QString schemaBefore = pgDumpSchema(db);
        const QString journal = m_dir.filePath(QStringLiteral("missing.sqlite"));
        const ProcessResult r = runLockstep(QStringList{"run", "--db", asRole(db, QStringLiteral("table_only_owner")), "--journal", journal} + kChange);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("this role lacks what the plan needs; nothing was done")
                     && r.err.contains("MISSING CREATE on schema shop") && r.err.contains("fix: GRANT CREATE ON SCHEMA \"shop\" TO \"table_only_owner\";"),
                 r.err.constData());
        QCOMPARE(pgDumpSchema(db), schemaBefore);
        QVERIFY(!QFile::exists(journal) || QJsonDocument::fromJson(runLockstep({"status", "--journal", journal, "--format", "json"}).out).array().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestManagedRoles)
#include "test_managed_roles.moc"
