// SPDX-License-Identifier: GPL-3.0-or-later
// The table's own UPDATE triggers (an updated_at bump, an audit log, a trigger that refuses some rows, as
// in Lago's `roles`) must not fire for Lockstep's backfill: a role that may SET session_replication_role
// runs the row-writing steps under replica (the application's writes still fire them); a role that may
// not is told so in the plan and the preflight; a plan that relies on it is refused for a role without it.
#include "tests/pg/test_runner_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace lockstep;
using namespace lockstep::test;

namespace {
constexpr int kRows = 5000;

// accounts: updated_at bumped by a BEFORE UPDATE trigger, every update audited by an AFTER trigger, and
// the "system" rows (org IS NULL) refused any update — the shapes real applications have.
QString fixture(const QString& owner)
{
    return QStringLiteral(
               "CREATE ROLE %1 LOGIN;"
               "CREATE SCHEMA app AUTHORIZATION %1;"
               "SET ROLE %1;"
               "CREATE TABLE app.accounts (id bigint PRIMARY KEY, org bigint, name text NOT NULL,"
               "  updated_at timestamptz NOT NULL DEFAULT '2020-01-01');"
               "CREATE TABLE app.audit (account bigint, at timestamptz DEFAULT now());"
               "CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;"
               "CREATE FUNCTION app.protect() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF OLD.org IS NULL THEN "
               "  RAISE EXCEPTION 'system account cannot be modified'; END IF; RETURN NEW; END $$;"
               "CREATE FUNCTION app.log() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO app.audit (account) VALUES (NEW.id); RETURN NULL; END $$;"
               "CREATE TRIGGER a_protect BEFORE UPDATE ON app.accounts FOR EACH ROW EXECUTE FUNCTION app.protect();"
               "CREATE TRIGGER b_touch BEFORE UPDATE ON app.accounts FOR EACH ROW EXECUTE FUNCTION app.touch();"
               "CREATE TRIGGER c_audit AFTER UPDATE ON app.accounts FOR EACH ROW EXECUTE FUNCTION app.log();"
               // A trigger on one column only: an UPDATE of the new column never fires it.
               "CREATE TRIGGER d_name BEFORE UPDATE OF name ON app.accounts FOR EACH ROW EXECUTE FUNCTION app.touch();"
               "INSERT INTO app.accounts (id, org, name) SELECT g, CASE WHEN g % 100 = 0 THEN NULL ELSE g % 7 END, 'a' || g "
               "  FROM generate_series(1, %2) g;"
               "ANALYZE app.accounts;"
               "RESET ROLE;")
        .arg(owner)
        .arg(kRows);
}

const QStringList kChange{"--table", "app.accounts", "--add-column", "name_length", "--type", "integer",
                          "--backfill", "length(name)", "--not-null", "--index"};

QJsonObject backfillSpec(const QJsonObject& plan)
{
    for (const auto& v : plan.value("steps").toArray())
        if (v.toObject().value("id").toString() == QLatin1String("backfill"))
            return v.toObject().value("backfill").toObject();
    return {};
}

QJsonObject privilege(const QJsonObject& plan, const QString& name)
{
    for (const auto& v : plan.value("privileges").toArray())
        if (v.toObject().value("name").toString() == name)
            return v.toObject();
    return {};
}
} // namespace

class TestApplicationTriggers : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private slots:
    void initTestCase() { sharedCluster(); }

    void backfillDoesNotFireTheTablesTriggers()
    {
        const QString db = freshDatabase(QStringLiteral("triggers"));
        auto conn = lockstep::test::connect(db);
        conn->execScript(fixture(QStringLiteral("trig_owner1")));
        const QString before = checksum(*conn, QStringLiteral("app.accounts"), QStringLiteral("id, org, name, updated_at"), QStringLiteral("id"));

        ProcessResult r = runLockstep(QStringList{"plan", "--db", db, "--format", "json"} + kChange);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject plan = QJsonDocument::fromJson(r.out).object();
        const QJsonObject spec = backfillSpec(plan);
        QVERIFY(spec.value("silence_triggers").toBool());
        const QStringList triggers = spec.value("application_triggers").toVariant().toStringList();
        QCOMPARE(triggers.size(), 3);   // not d_name: UPDATE OF name only
        QVERIFY2(triggers.join(' ').contains("a_protect (BEFORE UPDATE: app.protect)"), qPrintable(triggers.join(' ')));
        QVERIFY(privilege(plan, "SET session_replication_role").value("granted").toBool());

        const QString journal = m_dir.filePath(QStringLiteral("silenced.sqlite"));
        r = runLockstep(QStringList{"run", "--db", db, "--journal", journal, "--until", "constrain"} + kChange, {}, 300000);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT count(*) FROM app.accounts WHERE name_length IS DISTINCT FROM length(name)")),
                 QStringLiteral("0"));
        // No trigger fired for the backfill: no row refused, no updated_at bumped, nothing audited.
        QCOMPARE(checksum(*conn, QStringLiteral("app.accounts"), QStringLiteral("id, org, name, updated_at"), QStringLiteral("id")), before);
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT count(*) FROM app.audit")), QStringLiteral("0"));
        // The application's own writes still fire them.
        conn->exec(QStringLiteral("UPDATE app.accounts SET name = 'renamed' WHERE id = 1"));
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT count(*) FROM app.audit")), QStringLiteral("1"));
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT name_length FROM app.accounts WHERE id = 1")), QStringLiteral("7"));
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT current_setting('session_replication_role')")), QStringLiteral("origin"));
    }

    void aRoleThatCannotSilenceIsToldAndGranted()
    {
        const QString db = freshDatabase(QStringLiteral("triggers_owner"));
        auto conn = lockstep::test::connect(db);
        conn->execScript(fixture(QStringLiteral("trig_owner2")));
        const QString owner = asRole(db, QStringLiteral("trig_owner2"));

        // Planned by the owner (no superuser, no SET privilege): the plan says the triggers will fire.
        ProcessResult r = runLockstep(QStringList{"plan", "--db", owner, "--format", "json"} + kChange);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QJsonObject plan = QJsonDocument::fromJson(r.out).object();
        QVERIFY(!backfillSpec(plan).value("silence_triggers").toBool());
        QCOMPARE(backfillSpec(plan).value("application_triggers").toArray().size(), 3);
        QJsonObject check = privilege(plan, "SET session_replication_role");
        QVERIFY(!check.value("granted").toBool());
        QVERIFY(!check.value("required").toBool());
        QCOMPARE(check.value("fix").toString(), QStringLiteral("GRANT SET ON PARAMETER session_replication_role TO \"trig_owner2\";"));
        r = runLockstep(QStringList{"plan", "--db", owner} + kChange);
        QVERIFY2(r.out.contains("will fire on every row it updates"), r.out.constData());

        // A plan made by a role that could (the superuser) is refused for the owner before anything runs.
        r = runLockstep(QStringList{"plan", "--db", db, "--format", "json"} + kChange);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString planFile = m_dir.filePath(QStringLiteral("silenced-plan.json"));
        QFile f(planFile);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(r.out);
        f.close();
        const QString schemaBefore = pgDumpSchema(db);
        r = runLockstep({"run", "--db", owner, "--plan", planFile, "--journal", m_dir.filePath(QStringLiteral("refused.sqlite"))});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("SET session_replication_role"), r.err.constData());
        QCOMPARE(pgDumpSchema(db), schemaBefore);

        // Granted the parameter, the owner's own plan silences them and the run leaves the rows alone.
        conn->exec(QStringLiteral("GRANT SET ON PARAMETER session_replication_role TO trig_owner2"));
        r = runLockstep(QStringList{"plan", "--db", owner, "--format", "json"} + kChange);
        QVERIFY(backfillSpec(QJsonDocument::fromJson(r.out).object()).value("silence_triggers").toBool());
        const QString before = checksum(*conn, QStringLiteral("app.accounts"), QStringLiteral("id, org, name, updated_at"), QStringLiteral("id"));
        r = runLockstep(QStringList{"run", "--db", owner, "--journal", m_dir.filePath(QStringLiteral("granted.sqlite")),
                                    "--until", "constrain"} + kChange, {}, 300000);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(checksum(*conn, QStringLiteral("app.accounts"), QStringLiteral("id, org, name, updated_at"), QStringLiteral("id")), before);
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT count(*) FROM app.audit")), QStringLiteral("0"));
        QCOMPARE(scalar(*conn, QStringLiteral("SELECT count(*) FROM app.accounts WHERE name_length IS DISTINCT FROM length(name)")),
                 QStringLiteral("0"));
    }
};

QTEST_GUILESS_MAIN(TestApplicationTriggers)
#include "test_application_triggers.moc"
