// SPDX-License-Identifier: GPL-3.0-or-later
// `lockstep inspect` as scripts see it: the JSON shape and keys, the text listing (riskiest first, with
// the reasons), one table's details, and the exit codes (2 bad input, 3 server unreachable).
#include "app/cli/cli.h"
#include "tests/support/pg_fixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace lockstep;
using namespace lockstep::test;

namespace {
const char* kSchemaSql = R"SQL(
CREATE TABLE orders (id bigint PRIMARY KEY, customer text NOT NULL, total numeric(12,2));
INSERT INTO orders SELECT g, 'c' || g, g FROM generate_series(1, 500) g;
CREATE TABLE audit_log (at timestamptz, line text);
INSERT INTO audit_log SELECT now(), 'l' || g FROM generate_series(1, 20) g;
CREATE TABLE "Mixed Case" (id integer PRIMARY KEY);
ANALYZE;
)SQL";

QJsonObject tableNamed(const QJsonArray& tables, const QString& name)
{
    for (const QJsonValue& v : tables)
        if (v.toObject().value(QStringLiteral("name")).toString() == name)
            return v.toObject();
    return {};
}
} // namespace

class TestInspectCli : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        m_db = freshDatabase(QStringLiteral("inspect"));
        test::connect(m_db)->execScript(QString::fromUtf8(kSchemaSql));
    }

    void jsonHasServerAndTablesWithTheirKeys()
    {
        const ProcessResult r = runLockstep({QStringLiteral("inspect"), QStringLiteral("--db"), m_db,
                                             QStringLiteral("--format"), QStringLiteral("json"),
                                             QStringLiteral("--sample-ms"), QStringLiteral("200")});
        QVERIFY2(r.exitCode == cli::ExitOk, r.err.constData());
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(r.out, &error);
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        QVERIFY(doc.isObject());
        const QJsonObject server = doc.object().value(QStringLiteral("server")).toObject();
        QVERIFY(server.value(QStringLiteral("version")).toString().startsWith(QLatin1String("15")));
        QVERIFY(server.value(QStringLiteral("replicas")).isArray());
        QVERIFY(server.value(QStringLiteral("long_transactions")).isArray());
        QVERIFY(doc.object().value(QStringLiteral("rate_interval_seconds")).toDouble() >= 0.2);

        const QJsonArray tables = doc.object().value(QStringLiteral("tables")).toArray();
        QCOMPARE(tables.size(), 3);
        for (const QJsonValue& v : tables) {
            const QJsonObject t = v.toObject();
            for (const char* key : {"schema", "name", "total_bytes", "rows", "risk", "risk_reasons", "heap_bytes",
                                    "index_bytes", "toast_bytes", "writes_per_second", "reads_per_second",
                                    "dead_tuples", "has_primary_key", "partition_parent", "partition_children"})
                QVERIFY2(t.contains(QLatin1String(key)), key);
            QVERIFY(t.value(QStringLiteral("risk")).isDouble());
            QVERIFY(t.value(QStringLiteral("risk_reasons")).isArray());
        }
        const QJsonObject orders = tableNamed(tables, QStringLiteral("orders"));
        QCOMPARE(orders.value(QStringLiteral("schema")).toString(), QStringLiteral("public"));
        QCOMPARE(orders.value(QStringLiteral("rows")).toDouble(), 500.0);
        QVERIFY(orders.value(QStringLiteral("total_bytes")).toDouble() > 0);
        QCOMPARE(orders.value(QStringLiteral("risk")).toInt(), 0);
        const QJsonObject audit = tableNamed(tables, QStringLiteral("audit_log"));
        QVERIFY(audit.value(QStringLiteral("risk")).toInt() > 0);
        QVERIFY(audit.value(QStringLiteral("risk_reasons")).toArray().first().toString().contains(QLatin1String("no primary key")));
        QVERIFY(!tableNamed(tables, QStringLiteral("Mixed Case")).isEmpty());
    }

    void textListsTheRiskiestFirstWithReasons()
    {
        const ProcessResult r = runLockstep({QStringLiteral("inspect"), QStringLiteral("--db"), m_db,
                                             QStringLiteral("--sample-ms"), QStringLiteral("0")});
        QVERIFY2(r.exitCode == cli::ExitOk, r.err.constData());
        const QString text = QString::fromUtf8(r.out);
        QVERIFY(text.startsWith(QLatin1String("server    PostgreSQL 15")));
        QVERIFY(text.contains(QLatin1String("replicas  none")));
        QVERIFY(text.contains(QLatin1String("3 tables, no rates")));
        QVERIFY(text.contains(QLatin1String("RISK")));
        const int audit = text.indexOf(QLatin1String("public.audit_log"));
        const int orders = text.indexOf(QLatin1String("public.orders"));
        QVERIFY(audit > 0 && orders > 0);
        QVERIFY(audit < orders);
        QVERIFY(text.contains(QLatin1String("no primary key")));
        QVERIFY(text.contains(QLatin1String("public.Mixed Case")));
    }

    void oneTableWithDetails()
    {
        const ProcessResult r = runLockstep({QStringLiteral("inspect"), QStringLiteral("--db"), m_db,
                                             QStringLiteral("--sample-ms"), QStringLiteral("0"),
                                             QStringLiteral("--table"), QStringLiteral("public.orders")});
        QVERIFY2(r.exitCode == cli::ExitOk, r.err.constData());
        const QString text = QString::fromUtf8(r.out);
        QVERIFY(text.contains(QLatin1String("1 table,")));
        QVERIFY(text.contains(QLatin1String("customer text NOT NULL")));
        QVERIFY(text.contains(QLatin1String("orders_pkey")));
        QVERIFY(!text.contains(QLatin1String("audit_log")));

        const ProcessResult json = runLockstep({QStringLiteral("inspect"), QStringLiteral("--db"), m_db,
                                                QStringLiteral("--sample-ms"), QStringLiteral("0"), QStringLiteral("--format"),
                                                QStringLiteral("json"), QStringLiteral("--table"), QStringLiteral("orders")});
        QCOMPARE(json.exitCode, int(cli::ExitOk));
        const QJsonObject doc = QJsonDocument::fromJson(json.out).object();
        QCOMPARE(doc.value(QStringLiteral("tables")).toArray().size(), 1);
        QCOMPARE(doc.value(QStringLiteral("details")).toObject().value(QStringLiteral("columns")).toArray().size(), 3);

        const ProcessResult missing = runLockstep({QStringLiteral("inspect"), QStringLiteral("--db"), m_db,
                                                   QStringLiteral("--table"), QStringLiteral("no_such_table")});
        QCOMPARE(missing.exitCode, int(cli::ExitInvalidInput));
        QVERIFY(missing.err.contains("no_such_table"));
    }

    void unreachableServerExits3()
    {
        const ProcessResult r = runLockstep({QStringLiteral("inspect"), QStringLiteral("--db"),
                                             QStringLiteral("host=/nonexistent-lockstep-dir port=1 user=postgres dbname=x")});
        QCOMPARE(r.exitCode, int(cli::ExitCannotConnect));
        QVERIFY(r.err.contains("cannot connect"));
        QVERIFY(r.out.isEmpty());
    }

    void badInputExits2()
    {
        const ProcessResult format = runLockstep({QStringLiteral("inspect"), QStringLiteral("--db"), m_db,
                                                  QStringLiteral("--format"), QStringLiteral("xml")});
        QCOMPARE(format.exitCode, int(cli::ExitInvalidInput));
        QVERIFY(format.err.contains("--format"));
        QVERIFY(format.out.isEmpty());
        const ProcessResult noDb = runLockstep({QStringLiteral("inspect")});
        QCOMPARE(noDb.exitCode, int(cli::ExitInvalidInput));
        QVERIFY(noDb.err.contains("--db"));
        const ProcessResult sample = runLockstep({QStringLiteral("inspect"), QStringLiteral("--db"), m_db,
                                                  QStringLiteral("--sample-ms"), QStringLiteral("soon")});
        QCOMPARE(sample.exitCode, int(cli::ExitInvalidInput));
        const ProcessResult help = runLockstep({QStringLiteral("inspect"), QStringLiteral("--help")});
        QCOMPARE(help.exitCode, int(cli::ExitOk));
        QVERIFY(help.out.contains("lockstep inspect"));
    }

private:
    QString m_db;
};

QTEST_GUILESS_MAIN(TestInspectCli)
#include "test_inspect_cli.moc"
