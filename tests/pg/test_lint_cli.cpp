// SPDX-License-Identifier: GPL-3.0-or-later
// `lockstep lint` as scripts see it, against a private server with --db: exit codes (0 clean, 5 hazards,
// 2 bad input or SQL that does not parse, 3 no server), the JSON's exact keys, type changes the server
// proves binary-coercible reported without a rewrite, table sizes in the messages, and that linting
// never changes the database, not even a file full of hazards.
#include "app/cli/cli.h"
#include "tests/support/pg_fixture.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

using namespace lockstep;
using namespace lockstep::test;

namespace {
const char* kSchemaSql = R"SQL(
CREATE TABLE orders (id integer PRIMARY KEY, name varchar(20), note varchar(50), amount numeric(10,2), code text);
INSERT INTO orders SELECT g, 'n' || g, 'note ' || g, g, 'c' || g FROM generate_series(1, 5000) g;
CREATE TABLE customers (id bigint PRIMARY KEY);
ANALYZE;
)SQL";

const QString kTimeout = QStringLiteral("SET lock_timeout = '1s';\n");

QJsonArray parseArray(const QByteArray& out)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(out, &error);
    if (error.error != QJsonParseError::NoError || !doc.isArray())
        return {};
    return doc.array();
}

QStringList rulesOf(const QJsonObject& statement)
{
    QStringList out;
    for (const QJsonValue& h : statement.value(QStringLiteral("hazards")).toArray())
        out << h.toObject().value(QStringLiteral("rule")).toString();
    return out;
}
} // namespace

class TestLintCli : public QObject {
    Q_OBJECT
private:
    QString m_db;
    QTemporaryDir m_dir;

    QString writeFile(const QString& name, const QString& sql)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(sql.toUtf8()) < 0)
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    ProcessResult lint(const QString& file, QStringList extra = {})
    {
        extra.prepend(file);
        extra.prepend(QStringLiteral("lint"));
        return runLockstep(extra);
    }

    ProcessResult lintJson(const QString& file, bool withDb = true)
    {
        QStringList args{QStringLiteral("--format"), QStringLiteral("json")};
        if (withDb)
            args << QStringLiteral("--db") << m_db;
        return lint(file, args);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_db = freshDatabase(QStringLiteral("lintcli"));
        test::connect(m_db)->execScript(QString::fromUtf8(kSchemaSql));
    }

    void cleanFileExits0()
    {
        const QString file = writeFile(QStringLiteral("clean.sql"),
                                       kTimeout + QStringLiteral("ALTER TABLE orders ADD COLUMN memo text;\n"
                                                                 "CREATE INDEX CONCURRENTLY orders_code_idx ON orders (code);\n"));
        const ProcessResult r = lint(file, {QStringLiteral("--db"), m_db});
        QVERIFY2(r.exitCode == cli::ExitOk, r.out + r.err);
        QVERIFY2(r.err.isEmpty(), r.err.constData());
        const QString text = QString::fromUtf8(r.out);
        QVERIFY2(text.contains(QStringLiteral("2 (line 2): ALTER TABLE orders ADD COLUMN memo text — ACCESS EXCLUSIVE, "
                                              "blocks reads and writes\n")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("3 (line 3): CREATE INDEX CONCURRENTLY orders_code_idx ON orders (code) — "
                                              "SHARE UPDATE EXCLUSIVE, blocks neither reads nor writes, scans\n")),
                 qPrintable(text));
        QVERIFY(text.endsWith(QLatin1String("3 statements, no hazards\n")));
    }

    void hazardsExit5WithExactlyTheDocumentedJson()
    {
        const QString file = writeFile(QStringLiteral("hazards.sql"), QStringLiteral(
            "-- a migration as one might write it\n"
            "ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid();\n"
            "CREATE INDEX orders_name_idx ON orders (name);\n"
            "SELECT count(*) FROM orders;\n"
            "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (id) REFERENCES customers (id);\n"));
        const QString before = pgDumpSchema(m_db);
        const ProcessResult r = lintJson(file);
        QVERIFY2(r.exitCode == cli::ExitHazards, r.out + r.err);
        const QJsonArray statements = parseArray(r.out);
        QCOMPARE(statements.size(), 4);
        const QStringList keys{QStringLiteral("blocks"), QStringLiteral("hazards"), QStringLiteral("lock"),
                               QStringLiteral("rewrites"), QStringLiteral("scans"), QStringLiteral("sql"),
                               QStringLiteral("statement")};
        const QSet<QString> blockWords{QStringLiteral("reads"), QStringLiteral("writes")};
        for (int i = 0; i < statements.size(); ++i) {
            const QJsonObject s = statements[i].toObject();
            QCOMPARE(s.keys(), keys);
            QCOMPARE(s.value(QStringLiteral("statement")).toInt(), i + 1);
            QVERIFY(s.value(QStringLiteral("sql")).isString());
            QVERIFY(s.value(QStringLiteral("lock")).isString() || s.value(QStringLiteral("lock")).isNull());
            QVERIFY(s.value(QStringLiteral("rewrites")).isBool());
            QVERIFY(s.value(QStringLiteral("scans")).isBool());
            for (const QJsonValue& b : s.value(QStringLiteral("blocks")).toArray())
                QVERIFY2(blockWords.contains(b.toString()), qPrintable(b.toString()));
            for (const QJsonValue& h : s.value(QStringLiteral("hazards")).toArray()) {
                const QJsonObject hazard = h.toObject();
                QCOMPARE(hazard.keys(), (QStringList{QStringLiteral("fix"), QStringLiteral("message"), QStringLiteral("rule")}));
                QVERIFY(!hazard.value(QStringLiteral("message")).toString().isEmpty());
                QVERIFY(!hazard.value(QStringLiteral("fix")).toString().isEmpty());
            }
        }
        const QJsonObject add = statements[0].toObject();
        QCOMPARE(add.value(QStringLiteral("sql")).toString(),
                 QStringLiteral("ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid()"));
        QCOMPARE(add.value(QStringLiteral("lock")).toString(), QStringLiteral("ACCESS EXCLUSIVE"));
        QCOMPARE(add.value(QStringLiteral("rewrites")).toBool(), true);
        QCOMPARE(add.value(QStringLiteral("blocks")).toArray(), (QJsonArray{QStringLiteral("reads"), QStringLiteral("writes")}));
        QCOMPARE(rulesOf(add), (QStringList{QStringLiteral("add-column-volatile-default"), QStringLiteral("missing-lock-timeout")}));
        // With --db the message says how big the table is that the rewrite blocks.
        const QString message = add.value(QStringLiteral("hazards")).toArray()[0].toObject().value(QStringLiteral("message")).toString();
        QVERIFY2(message.contains(QRegularExpression(QStringLiteral("orders \\(\\d+(\\.\\d)? (kB|MB)\\)"))), qPrintable(message));

        const QJsonObject index = statements[1].toObject();
        QCOMPARE(index.value(QStringLiteral("lock")).toString(), QStringLiteral("SHARE"));
        QCOMPARE(index.value(QStringLiteral("scans")).toBool(), true);
        QCOMPARE(index.value(QStringLiteral("blocks")).toArray(), QJsonArray{QStringLiteral("writes")});
        QCOMPARE(rulesOf(index), QStringList{QStringLiteral("create-index-not-concurrently")});

        const QJsonObject select = statements[2].toObject();
        QCOMPARE(select.value(QStringLiteral("lock")).toString(), QStringLiteral("ACCESS SHARE"));
        QVERIFY(select.value(QStringLiteral("hazards")).toArray().isEmpty());

        QCOMPARE(rulesOf(statements[3].toObject()), QStringList{QStringLiteral("add-foreign-key-without-not-valid")});
        // Linting runs nothing.
        QCOMPARE(pgDumpSchema(m_db), before);
    }

    void binaryCoercibleTypeChangesNeedNoRewriteWithDb_data()
    {
        QTest::addColumn<QString>("alter");
        QTest::addColumn<bool>("rewrites");
        QTest::newRow("varchar widening") << QStringLiteral("ALTER COLUMN name TYPE varchar(40)") << false;
        QTest::newRow("varchar to text") << QStringLiteral("ALTER COLUMN note TYPE text") << false;
        QTest::newRow("numeric precision increase") << QStringLiteral("ALTER COLUMN amount TYPE numeric(14,2)") << false;
        QTest::newRow("varchar narrowing") << QStringLiteral("ALTER COLUMN name TYPE varchar(10)") << true;
        QTest::newRow("numeric scale change") << QStringLiteral("ALTER COLUMN amount TYPE numeric(12,3)") << true;
        QTest::newRow("integer to bigint") << QStringLiteral("ALTER COLUMN id TYPE bigint") << true;
    }

    void binaryCoercibleTypeChangesNeedNoRewriteWithDb()
    {
        QFETCH(QString, alter);
        QFETCH(bool, rewrites);
        const QString file = writeFile(QStringLiteral("type.sql"), kTimeout + QStringLiteral("ALTER TABLE orders %1;\n").arg(alter));
        const ProcessResult withDb = lintJson(file);
        QVERIFY2(withDb.exitCode == (rewrites ? cli::ExitHazards : cli::ExitOk), withDb.out + withDb.err);
        const QJsonObject s = parseArray(withDb.out).at(1).toObject();
        QCOMPARE(s.value(QStringLiteral("lock")).toString(), QStringLiteral("ACCESS EXCLUSIVE"));
        QCOMPARE(s.value(QStringLiteral("rewrites")).toBool(), rewrites);
        QCOMPARE(rulesOf(s), rewrites ? QStringList{QStringLiteral("alter-column-type-rewrites")} : QStringList{});
        if (rewrites) {
            // The server told the current type: the message says from what, and does not ask for --db.
            const QString message = s.value(QStringLiteral("hazards")).toArray()[0].toObject().value(QStringLiteral("message")).toString();
            QVERIFY2(message.contains(QLatin1String("(from ")), qPrintable(message));
            QVERIFY2(!message.contains(QLatin1String("--db")), qPrintable(message));
        }
        // Without the server the current type is unknown: assume the rewrite, and say how to find out.
        const ProcessResult offline = lintJson(file, false);
        QVERIFY2(offline.exitCode == cli::ExitHazards, offline.out + offline.err);
        const QJsonObject guessed = parseArray(offline.out).at(1).toObject();
        QCOMPARE(guessed.value(QStringLiteral("rewrites")).toBool(), true);
        QCOMPARE(rulesOf(guessed), QStringList{QStringLiteral("alter-column-type-rewrites")});
    }

    // With --db, SET NOT NULL on a column that is NOT NULL already (the primary key) is known to do nothing:
    // no scan, no hazard; on a nullable column it still scans (and says so), and without --db it is assumed to.
    void setNotNullOnANotNullColumnDoesNotScan()
    {
        const QString file = writeFile(QStringLiteral("notnull.sql"), kTimeout + QStringLiteral("ALTER TABLE orders ALTER COLUMN id SET NOT NULL;\n"
                                                                                      "ALTER TABLE orders ALTER COLUMN code SET NOT NULL;\n"));
        const ProcessResult withDb = lintJson(file);
        QVERIFY2(withDb.exitCode == cli::ExitHazards, withDb.out + withDb.err);
        const QJsonArray statements = parseArray(withDb.out);
        const QJsonObject already = statements.at(1).toObject();
        QCOMPARE(already.value(QStringLiteral("scans")).toBool(), false);
        QCOMPARE(rulesOf(already), QStringList{});
        const QJsonObject nullable = statements.at(2).toObject();
        QCOMPARE(nullable.value(QStringLiteral("scans")).toBool(), true);
        QCOMPARE(rulesOf(nullable), QStringList{QStringLiteral("set-not-null-without-check")});
        const ProcessResult offline = lintJson(file, false);
        QCOMPARE(parseArray(offline.out).at(1).toObject().value(QStringLiteral("scans")).toBool(), true);
    }

    void typesAreUnchangedAfterLinting()
    {
        QCOMPARE(psqlScalar(m_db, QStringLiteral("SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                                                 "WHERE attrelid = 'orders'::regclass AND attname = 'name'")),
                 QStringLiteral("character varying(20)"));
        QCOMPARE(psqlScalar(m_db, QStringLiteral("SELECT count(*) FROM orders")), QStringLiteral("5000"));
    }

    void parseErrorReportsLineAndColumnAndChangesNothing()
    {
        const QString file = writeFile(QStringLiteral("broken.sql"),
                                       kTimeout + QStringLiteral("ALTER TABLE orders ADD COLUMN ok int;\n"
                                                                 "ALTER TABEL orders ADD COLUMN bad int;\n"));
        const QString before = pgDumpSchema(m_db);
        for (const QString& format : {QStringLiteral("text"), QStringLiteral("json")}) {
            const ProcessResult r = lint(file, {QStringLiteral("--db"), m_db, QStringLiteral("--format"), format});
            QVERIFY2(r.exitCode == cli::ExitInvalidInput, r.out + r.err);
            QVERIFY2(r.out.isEmpty(), r.out.constData());   // no half report a script could mistake for a clean one
            const QString expected = file + QStringLiteral(":3:7: syntax error at or near \"TABEL\"");
            QVERIFY2(QString::fromUtf8(r.err).contains(expected), r.err.constData());
        }
        QCOMPARE(pgDumpSchema(m_db), before);
    }

    void badInputExits2()
    {
        const QString file = writeFile(QStringLiteral("ok.sql"), QStringLiteral("SELECT 1;\n"));
        const ProcessResult noFile = runLockstep({QStringLiteral("lint")});
        QCOMPARE(noFile.exitCode, int(cli::ExitInvalidInput));
        QVERIFY(noFile.err.contains("give the SQL file"));
        const ProcessResult missing = lint(m_dir.filePath(QStringLiteral("missing.sql")));
        QCOMPARE(missing.exitCode, int(cli::ExitInvalidInput));
        QVERIFY2(missing.err.contains("cannot read") && missing.err.contains("missing.sql"), missing.err.constData());
        QVERIFY(missing.out.isEmpty());
        const ProcessResult directory = lint(m_dir.path());
        QCOMPARE(directory.exitCode, int(cli::ExitInvalidInput));
        QVERIFY2(directory.err.contains("cannot read"), directory.err.constData());
        const ProcessResult format = lint(file, {QStringLiteral("--format"), QStringLiteral("xml")});
        QCOMPARE(format.exitCode, int(cli::ExitInvalidInput));
        QVERIFY(format.err.contains("--format"));
        const ProcessResult version = lint(file, {QStringLiteral("--pg-version"), QStringLiteral("9")});
        QCOMPARE(version.exitCode, int(cli::ExitInvalidInput));
        QVERIFY(version.err.contains("--pg-version"));
        const ProcessResult unknown = lint(file, {QStringLiteral("--frobnicate")});
        QCOMPARE(unknown.exitCode, int(cli::ExitInvalidInput));
    }

    void unreachableServerExits3()
    {
        const QString file = writeFile(QStringLiteral("ok.sql"), QStringLiteral("SELECT 1;\n"));
        const ProcessResult r = lint(file, {QStringLiteral("--db"),
                                            QStringLiteral("host=/nonexistent-lockstep-dir port=1 user=postgres dbname=x")});
        QVERIFY2(r.exitCode == cli::ExitCannotConnect, r.out + r.err);
        QVERIFY(r.out.isEmpty());
    }

    void serverVersionWinsOverPgVersion()
    {
        // On PostgreSQL 10 a constant default rewrites; the server is 15, where it is instant.
        const QString file = writeFile(QStringLiteral("default.sql"),
                                       kTimeout + QStringLiteral("ALTER TABLE orders ADD COLUMN n int DEFAULT 0;\n"));
        const ProcessResult offline = lint(file, {QStringLiteral("--pg-version"), QStringLiteral("10"), QStringLiteral("--format"),
                                                  QStringLiteral("json")});
        QVERIFY2(offline.exitCode == cli::ExitHazards, offline.out + offline.err);
        QCOMPARE(rulesOf(parseArray(offline.out).at(1).toObject()), QStringList{QStringLiteral("add-column-default-before-11")});
        const ProcessResult r = lint(file, {QStringLiteral("--pg-version"), QStringLiteral("10"), QStringLiteral("--db"), m_db});
        QVERIFY2(r.exitCode == cli::ExitOk, r.out + r.err);
        QVERIFY2(r.err.contains("--pg-version ignored"), r.err.constData());
    }

    void standardInput()
    {
        const ProcessResult r = runLockstep({QStringLiteral("lint"), QStringLiteral("-"), QStringLiteral("--format"),
                                             QStringLiteral("json")},
                                            QByteArrayLiteral("DROP INDEX orders_code_idx;\n"));
        QVERIFY2(r.exitCode == cli::ExitHazards, r.out + r.err);
        const QJsonArray statements = parseArray(r.out);
        QCOMPARE(statements.size(), 1);
        QCOMPARE(rulesOf(statements[0].toObject()), (QStringList{QStringLiteral("drop-index-not-concurrently"),
                                                                 QStringLiteral("missing-lock-timeout")}));
    }

    void helpNamesTheFileExitCodesAndRules()
    {
        const ProcessResult r = runLockstep({QStringLiteral("lint"), QStringLiteral("--help")});
        QCOMPARE(r.exitCode, int(cli::ExitOk));
        const QString help = QString::fromUtf8(r.out);
        QVERIFY2(help.startsWith(QLatin1String("Usage: lockstep lint [options] FILE.sql\n")), qPrintable(help));
        QVERIFY(help.contains(QLatin1String("5 hazards found")));
        QVERIFY(help.contains(QLatin1String("combine-alter-table")));
        QVERIFY(help.contains(QLatin1String("--pg-version")));
    }
};

QTEST_GUILESS_MAIN(TestLintCli)
#include "test_lint_cli.moc"
