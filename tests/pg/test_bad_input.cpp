// SPDX-License-Identifier: GPL-3.0-or-later
// Hundreds of malformed changes fed to `lockstep plan`: each must be refused with exit code 2 and a message
// naming the offending flag, and none may change anything: the server runs with log_statement=all and the
// log may show only read-only statements; the schema and the data must be exactly as before.
#include "core/local/local_cluster.h"
#include "tests/support/pg_fixture.h"
#include "tests/support/statement_log.h"
#include "tests/support/shape_fixtures.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace lockstep;
using namespace lockstep::test;

namespace {
struct BadCase {
    QStringList flags;   // after `plan --db CONNINFO`
    QString field;       // the flag the message must name, without dashes
};

struct TableUnderTest {
    QString arg;         // --table value
    QString column;      // an existing column (literal)
    QString key;         // a primary key column (literal)
};

QString repeatBytes(const QString& unit, int count) { return unit.repeated(count); }

// The malformed changes, for one table. Every entry must be refused.
QVector<BadCase> casesFor(const TableUnderTest& t)
{
    const QString T = t.arg;
    QVector<BadCase> c;
    auto add = [&](QStringList flags, const char* field) { c.push_back({flags, QLatin1String(field)}); };
    auto addCol = [&](const QString& name, const QString& type, QStringList extra, const char* field) {
        add(QStringList{"--table", T, "--add-column", name, "--type", type} + extra, field);
    };

    // Identifiers: byte limits (64 ASCII bytes, 64 bytes of two-byte characters), empty, taken.
    addCol(repeatBytes("a", 64), "int", {}, "add_column");
    addCol(repeatBytes("é", 32), "int", {}, "add_column");
    addCol(repeatBytes("€", 22), "int", {}, "add_column");   // 66 bytes
    addCol("", "int", {}, "add_column");
    addCol(t.column, "int", {}, "add_column");
    addCol(t.key, "text", {}, "add_column");
    // Types: unknown, statements hidden in them, pseudo-types, malformed.
    for (const char* type : {"intx", "int; DROP TABLE customers", "int); DROP TABLE customers; --", "", "bigint[",
                             "varchar(-1)", "trigger", "void", "record", "anyelement", "nosuchschema.int",
                             "int /* */; DELETE FROM customers", "numeric(5,2) DEFAULT 1", "text COLLATE \"nope\""})
        addCol("fresh", QLatin1String(type), {}, "type");
    // Defaults: statements, column references, subqueries, aggregates, type mismatch, syntax errors.
    for (const char* def : {"1; DROP TABLE customers", "1); DROP TABLE customers; --", "(DELETE FROM customers RETURNING 1)",
                            "0 +", "(SELECT 1)", "count(*)", "no_such_function()", "'abc'", "1 /* unterminated",
                            "$1", "row_number() OVER ()", "", "WITH x AS (DELETE FROM customers RETURNING 1) SELECT 1",
                            "1 FROM customers", "SELECT 1", "'x' || (UPDATE customers SET name = 'x' RETURNING name)"})
        addCol("fresh", "int", {"--default", QLatin1String(def)}, "default");
    addCol("fresh", "int", {"--default", t.key}, "default");
    // Backfills: unknown columns, statements, aggregates, windows, casts that cannot work, syntax errors.
    for (const char* expr : {"no_such_column * 2", "1; DROP TABLE customers", "(UPDATE customers SET name = 'x' RETURNING 1)",
                             "count(*)", "sum(1) OVER ()", "1 +", "'text'::int", "'calm'::mood + 1", "pg_catalog.",
                             "", ")(", "1) FROM customers; DROP TABLE customers; SELECT (1",
                             "(WITH d AS (DELETE FROM customers RETURNING id) SELECT max(id) FROM d)", "1 -- ; DROP TABLE customers\n; DROP TABLE customers"})
        addCol("fresh", "int", {"--backfill", QLatin1String(expr)}, "backfill");
    // Checks: not boolean, statements, subqueries, unknown columns.
    for (const char* chk : {"1", "fresh >", "(SELECT true)", "no_such_column > 0", "true; DROP TABLE customers", "",
                            "fresh > 0) OR (true", "count(*) > 0"})
        addCol("fresh", "int", {"--backfill", "1", "--check", QLatin1String(chk)}, "check");
    // Foreign keys: missing table or column, column without a unique key, malformed references, bad actions.
    for (const char* ref : {"nosuch(id)", "customers(nosuch)", "customers(name)", "customers", "customers(id",
                            "(id)", "customers(id); DROP TABLE customers", "customers()", "customers(id, name)",
                            "nosuchschema.customers(id)"})
        addCol("fresh", "int", {"--references", QLatin1String(ref)}, "references");
    addCol("fresh", "int", {"--references", "customers(id)", "--on-delete", "explode"}, "on_delete");
    addCol("fresh", "int", {"--references", "customers(id)", "--on-delete", "cascade; DROP TABLE customers"}, "on_delete");
    addCol("fresh", "int", {"--on-delete", "cascade"}, "on_delete");
    addCol("fresh", "int", {"--backfill", "1", "--not-null", "--references", "customers(id)", "--on-delete", "set null"}, "on_delete");
    addCol("fresh", "text", {"--references", "customers(id)"}, "references");   // text cannot reference integer
    // NOT NULL with nothing to fill the existing rows.
    addCol("fresh", "int", {"--not-null"}, "not_null");
    // Replace: missing pieces, unknown or key columns, names taken.
    add({"--table", T, "--replace-column", t.column, "--type", "bigint"}, "new_name");
    add({"--table", T, "--replace-column", t.column, "--new-name", t.column, "--type", "bigint"}, "new_name");
    add({"--table", T, "--replace-column", "no_such_column", "--new-name", "fresh", "--type", "bigint"}, "replace_column");
    add({"--table", T, "--replace-column", t.key, "--new-name", "fresh", "--type", "bigint"}, "replace_column");
    add({"--table", T, "--replace-column", t.column, "--new-name", t.key, "--type", "bigint"}, "new_name");
    add({"--table", T, "--replace-column", t.column, "--new-name", repeatBytes("n", 64), "--type", "bigint"}, "new_name");
    add({"--table", T, "--replace-column", t.column, "--new-name", "fresh", "--type", "bigint", "--backfill", "nope +"}, "backfill");
    add({"--table", T, "--add-column", "fresh", "--replace-column", t.column, "--new-name", "x", "--type", "int"}, "add_column");
    add({"--table", T, "--add-column", "fresh", "--new-name", "x", "--type", "int"}, "new_name");
    // Missing flags, unknown flags and values.
    add({"--table", T, "--add-column", "fresh"}, "type");
    add({"--table", T, "--type", "int"}, "add_column");
    add({"--table", T, "--add-column", "fresh", "--type", "int", "--until", "nowhere"}, "until");
    add({"--table", T, "--add-column", "fresh", "--type", "int", "--format", "xml"}, "format");
    add({"--table", T, "--add-column", "fresh", "--type", "int", "--lock-timeout", "soon"}, "lock-timeout");
    add({"--table", T, "--add-column", "fresh", "--type", "int", "--drop-everything"}, "drop-everything");
    return c;
}

// Malformed table names (the same for every run).
QVector<BadCase> tableCases()
{
    QVector<BadCase> c;
    for (const char* table : {"customers; DROP TABLE customers", "items_int\"", "\"unterminated", "a.b.c",
                              "a.b.c.d", "", "select", "table", "no_such_table", "public.no_such_table",
                              "nosuchschema.items_int", "items_int--", "items_int /* */", "pg_catalog.pg_class",
                              "information_schema.tables", "customers_view", "customers_id_seq", "customers_pkey",
                              "\"Order Items\"", "sales.order items", "sales.\"Order Items\"x", "\"\"",
                              "public.", ".items_int"})
        c.push_back({{"--table", QLatin1String(table), "--add-column", "fresh", "--type", "int"}, QStringLiteral("table")});
    c.push_back({{"--table", QString(64, QLatin1Char('t')), "--add-column", "fresh", "--type", "int"}, QStringLiteral("table")});
    return c;
}
} // namespace

class TestBadInput : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        LocalClusterOptions options;
        options.settings << QStringLiteral("log_statement=all");
        sharedClusterWith(options);
    }

    void everyBadChangeIsRefusedAndChangesNothing()
    {
        const QString db = freshDatabase(QStringLiteral("bad"));
        auto conn = lockstep::test::connect(db);
        conn->execScript(shapeFixtureSql(1000));
        conn->execScript(QStringLiteral("CREATE VIEW customers_view AS SELECT * FROM customers;"
                                        "CREATE SEQUENCE customers_id_seq;"));
        const QString schemaBefore = pgDumpSchema(db);
        const QString dataBefore = conn->exec(QStringLiteral(
            "SELECT md5(string_agg(x, ',' ORDER BY x)) FROM (SELECT ROW(i.*)::text AS x FROM items_int i "
            "UNION ALL SELECT ROW(c.*)::text FROM customers c UNION ALL SELECT ROW(t.*)::text FROM codes_text t "
            "UNION ALL SELECT ROW(o.*)::text FROM sales.\"Order Items\" o) s")).value(0, 0);

        QVector<BadCase> cases = tableCases();
        for (const TableUnderTest& t : {TableUnderTest{"items_int", "qty", "id"},
                                        TableUnderTest{"codes_text", "qty", "code"},
                                        TableUnderTest{"sales.\"Order Items\"", "Qty", "Item ID"}})
            cases += casesFor(t);
        // The same changes given as JSON files: malformed JSON, wrong types, unknown keys.
        QTemporaryDir dir;
        // Each body with the field its message must name: the file itself, or the offending key.
        const QVector<QPair<QString, QString>> jsonBodies{
            {"{", "change"},
            {"[]", "change"},
            {"{\"table\": \"items_int\", \"add_column\": \"x\", \"type\": \"int\", \"not_null\": \"yes\"}", "not_null"},
            {"{\"table\": \"items_int\", \"add_column\": \"x\", \"type\": \"int\", \"drop\": true}", "drop"},
            {"{\"add_column\": \"x\", \"type\": \"int\"}", "table"},
            {"{\"table\": 5, \"add_column\": \"x\", \"type\": \"int\"}", "table"},
            {"{\"table\": \"items_int\", \"add_column\": \"x\", \"type\": \"int; DROP TABLE customers\"}", "type"},
            {"{\"table\": \"items_int\", \"add_column\": \"x\", \"type\": \"int\", \"default\": \"1; DROP TABLE customers\"}", "default"},
        };
        for (int i = 0; i < jsonBodies.size(); ++i) {
            const QString path = dir.filePath(QStringLiteral("bad%1.json").arg(i));
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(jsonBodies[i].first.toUtf8());
            f.close();
            cases.push_back({{"--change", path}, jsonBodies[i].second});
        }
        QVERIFY2(cases.size() >= 200, qPrintable(QString::number(cases.size())));

        const qint64 logOffset = QFileInfo(sharedCluster().logFilePath()).size();
        int checked = 0;
        for (const BadCase& bad : cases) {
            QStringList args{QStringLiteral("plan"), QStringLiteral("--db"), db};
            args << bad.flags;
            const ProcessResult r = runLockstep(args);
            const QString err = QString::fromUtf8(r.err);
            const QString what = bad.flags.join(QLatin1Char(' '));
            QVERIFY2(r.exitCode == 2, qPrintable(QStringLiteral("exit %1 for [%2]: %3").arg(r.exitCode).arg(what, err)));
            QVERIFY2(r.out.isEmpty(), qPrintable(QStringLiteral("printed a plan for [%1]").arg(what)));
            // The message names the flag (JSON files: the key or the file's flag).
            const QString flag = QStringLiteral("--") + QString(bad.field).replace(QLatin1Char('_'), QLatin1Char('-'));
            QVERIFY2(err.contains(flag) || err.contains(bad.field),
                     qPrintable(QStringLiteral("[%1] message does not name %2: %3").arg(what, flag, err)));
            ++checked;
        }
        qInfo("refused %d malformed changes", checked);

        // Nothing but read-only statements reached the server.
        const QMap<QString, int> seen = loggedStatementKinds(sharedCluster().logFilePath(), logOffset);
        const QStringList writes = writingStatementKinds(seen);
        QVERIFY2(writes.isEmpty(), qPrintable(QStringLiteral("reached the server: ") + writes.join(QLatin1String(", "))));
        QVERIFY2(seen.value(QStringLiteral("SELECT")) > 0, "log_statement=all logged nothing: the check would prove nothing");
        QCOMPARE(pgDumpSchema(db), schemaBefore);
        QCOMPARE(conn->exec(QStringLiteral(
                     "SELECT md5(string_agg(x, ',' ORDER BY x)) FROM (SELECT ROW(i.*)::text AS x FROM items_int i "
                     "UNION ALL SELECT ROW(c.*)::text FROM customers c UNION ALL SELECT ROW(t.*)::text FROM codes_text t "
                     "UNION ALL SELECT ROW(o.*)::text FROM sales.\"Order Items\" o) s")).value(0, 0),
                 dataBefore);
    }
};

QTEST_GUILESS_MAIN(TestBadInput)
#include "test_bad_input.moc"
