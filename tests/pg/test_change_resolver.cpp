// SPDX-License-Identifier: GPL-3.0-or-later
// ChangeResolver against real tables: every rule that needs the server (names, types with modifiers,
// volatility, expressions type-checked by EXPLAIN, foreign keys, NOT NULL and key rules), the snapshot it
// returns, and that it leaves the server exactly as it found it.
#include "core/change/change_error.h"
#include "core/change/change_resolver.h"
#include "tests/support/change_fixtures.h"
#include "tests/support/pg_fixture.h"
#include "tests/support/statement_log.h"
#include "tests/support/shape_fixtures.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QtTest>

using namespace lockstep;
using namespace lockstep::test;

namespace {
const char* kExtraSql = R"SQL(
CREATE SCHEMA other;
CREATE TYPE other.shade AS ENUM ('light', 'dark');
CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);
CREATE SEQUENCE items_seq;
CREATE VIEW customers_view AS SELECT * FROM customers;
CREATE MATERIALIZED VIEW customers_mat AS SELECT * FROM customers;
CREATE TABLE empty_table (id integer PRIMARY KEY, qty integer);
CREATE TABLE ref_target (id integer PRIMARY KEY, code text NOT NULL UNIQUE, label text, amount numeric UNIQUE,
                         shade other.shade UNIQUE);
INSERT INTO ref_target VALUES (1, 'a', 'x', 1, 'light');
CREATE TABLE ref_source (id integer PRIMARY KEY, code text REFERENCES ref_target (code));
CREATE TABLE measurements (id bigint NOT NULL, at date NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE measurements_2025 PARTITION OF measurements FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
INSERT INTO measurements VALUES (1, '2025-02-02');
CREATE TABLE "select" (id integer PRIMARY KEY);
CREATE TABLE CAFÉ (id integer);
)SQL";


NewColumnChange replace(const QString& table, const QString& oldColumn, const QString& newName, const QString& type)
{
    NewColumnChange c = addColumnChange(table, newName, type);
    c.kind = NewColumnChange::Kind::Replace;
    c.oldColumn = oldColumn;
    return c;
}

NewColumnChange with(NewColumnChange c, std::function<void(NewColumnChange&)> f)
{
    f(c);
    return c;
}
} // namespace

Q_DECLARE_METATYPE(lockstep::NewColumnChange)

#define RESOLVE(var, ...)                                                                   \
    do {                                                                                    \
        QString why_;                                                                       \
        QVERIFY2(tryResolve((__VA_ARGS__), &(var), &why_), qPrintable(QStringLiteral("refused: ") + why_)); \
    } while (false)

class TestChangeResolver : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        // Every statement is logged: the last test reads the log to prove that only reads were sent.
        LocalClusterOptions options;
        options.settings << QStringLiteral("log_statement=all");
        sharedClusterWith(options);
        m_db = freshDatabase(QStringLiteral("resolver"));
        m_conn = lockstep::test::connect(m_db);
        m_conn->execScript(shapeFixtureSql(1000));
        m_conn->execScript(QString::fromUtf8(kExtraSql));
        m_schemaBefore = pgDumpSchema(m_db);
        m_logOffset = QFileInfo(sharedCluster().logFilePath()).size();
    }

    void addNullable()
    {
        ChangeResolver::Resolved r;
        RESOLVE(r, addColumnChange(QStringLiteral("items_int"), QStringLiteral("note"), QStringLiteral("text")));
        QCOMPARE(r.change.type, QStringLiteral("text"));
        QVERIFY(!r.change.backfillExpr);
        QVERIFY(!r.change.defaultExpr);
        QVERIFY(r.change.backfillSourceColumns.isEmpty());
        QVERIFY(!r.change.isReplace());
        QCOMPARE(r.change.change.column, QStringLiteral("note"));
        QCOMPARE(r.table.name, QStringLiteral("items_int"));
        QCOMPARE(r.table.key.kind, BackfillKey::Kind::PrimaryKey);
        QCOMPARE(r.table.rowEstimate, 1000.0);
        QVERIFY(r.table.totalBytes > 0);
        QVERIFY(!m_conn->inTransaction());
    }

    void types_data()
    {
        QTest::addColumn<QString>("given");
        QTest::addColumn<QString>("resolved");
        QTest::newRow("int") << "int" << "integer";
        QTest::newRow("int4") << "INT4" << "integer";
        QTest::newRow("bigint") << "bigint" << "bigint";
        QTest::newRow("numeric(12,2)") << "numeric(12,2)" << "numeric(12,2)";
        QTest::newRow("numeric(14)") << "numeric(14)" << "numeric(14,0)";
        QTest::newRow("plain numeric") << "numeric" << "numeric";
        QTest::newRow("varchar(20)") << "varchar(20)" << "character varying(20)";
        QTest::newRow("varchar(20)[]") << "varchar(20)[]" << "character varying(20)[]";
        QTest::newRow("text[]") << "text[]" << "text[]";
        QTest::newRow("timestamptz") << "timestamptz" << "timestamp with time zone";
        QTest::newRow("timestamptz(3)") << "timestamptz(3)" << "timestamp(3) with time zone";
        QTest::newRow("interval field") << "interval day to second" << "interval day to second";
        QTest::newRow("char") << "\"char\"" << "\"char\"";
        QTest::newRow("character(3)") << "char(3)" << "character(3)";
        QTest::newRow("enum") << "mood" << "mood";
        QTest::newRow("enum in another schema") << "other.shade" << "other.shade";
        QTest::newRow("domain") << "positive_int" << "positive_int";
        QTest::newRow("uuid") << " uuid " << "uuid";
        QTest::newRow("double precision") << "double precision" << "double precision";
    }

    void types()
    {
        QFETCH(QString, given);
        QFETCH(QString, resolved);
        ChangeResolver::Resolved r;
        RESOLVE(r, addColumnChange(QStringLiteral("items_int"), QStringLiteral("fresh"), given));
        QCOMPARE(r.change.type, resolved);
    }

    void constantDefaultNeedsNoBackfill()
    {
        ChangeResolver::Resolved r;
        RESOLVE(r, with(addColumnChange(QStringLiteral("items_int"), QStringLiteral("state"), QStringLiteral("varchar(20)")),
                                    [](NewColumnChange& c) { c.defaultExpr = QStringLiteral(" 'new' "); }));
        QCOMPARE(r.change.type, QStringLiteral("character varying(20)"));
        QCOMPARE(*r.change.defaultExpr, QStringLiteral("'new'"));
        QVERIFY(!r.change.defaultVolatile);
        QVERIFY(!r.change.backfillExpr);   // PostgreSQL >= 11: the fast default fills existing rows
    }

    void volatility_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("expr");
        QTest::addColumn<bool>("isVolatile");
        QTest::newRow("random") << "float8" << "random()" << true;
        QTest::newRow("clock_timestamp") << "timestamptz" << "clock_timestamp()" << true;
        QTest::newRow("gen_random_uuid") << "uuid" << "gen_random_uuid()" << true;
        QTest::newRow("nextval") << "bigint" << "nextval('items_seq')" << true;
        QTest::newRow("nested volatile") << "text" << "upper(md5(random()::text))" << true;
        QTest::newRow("now is stable") << "timestamptz" << "now()" << false;
        QTest::newRow("current_timestamp") << "timestamptz" << "CURRENT_TIMESTAMP" << false;
        QTest::newRow("constant") << "integer" << "42" << false;
        QTest::newRow("immutable function") << "text" << "upper('x')" << false;
        QTest::newRow("qualified") << "text" << "pg_catalog.lower('X')" << false;
    }

    void volatility()
    {
        QFETCH(QString, type);
        QFETCH(QString, expr);
        QFETCH(bool, isVolatile);
        ChangeResolver::Resolved r;
        RESOLVE(r, with(addColumnChange(QStringLiteral("items_int"), QStringLiteral("fresh"), type),
                                    [&](NewColumnChange& c) { c.defaultExpr = expr; }));
        QCOMPARE(r.change.defaultVolatile, isVolatile);
        // A volatile default is what fills the existing rows.
        QCOMPARE(bool(r.change.backfillExpr), isVolatile);
        if (isVolatile)
            QCOMPARE(*r.change.backfillExpr, expr);
    }

    void volatileDefaultNotNull()
    {
        ChangeResolver::Resolved r;
        RESOLVE(r, with(addColumnChange(QStringLiteral("items_int"), QStringLiteral("token"), QStringLiteral("uuid")), [](NewColumnChange& c) {
            c.defaultExpr = QStringLiteral("gen_random_uuid()");
            c.notNull = true;
        }));
        QVERIFY(r.change.defaultVolatile);
        QVERIFY(r.change.backfillVolatile);
        QCOMPARE(*r.change.backfillExpr, QStringLiteral("gen_random_uuid()"));
        QVERIFY(r.change.backfillSourceColumns.isEmpty());
    }

    void backfillVolatility()
    {
        ChangeResolver::Resolved r;
        RESOLVE(r, with(addColumnChange(QStringLiteral("items_int"), QStringLiteral("tag"), QStringLiteral("text")), [](NewColumnChange& c) {
            c.backfill = QStringLiteral("md5(random()::text || id)");
        }));
        QVERIFY(r.change.backfillVolatile);
        RESOLVE(r, with(addColumnChange(QStringLiteral("items_int"), QStringLiteral("tag"), QStringLiteral("text")), [](NewColumnChange& c) {
            c.backfill = QStringLiteral("md5(id::text)");
        }));
        QVERIFY(!r.change.backfillVolatile);
    }

    void backfillReadsColumns()
    {
        ChangeResolver::Resolved r;
        RESOLVE(r, with(addColumnChange(QStringLiteral("items_int"), QStringLiteral("total"), QStringLiteral("numeric(12,2)")),
                                    [](NewColumnChange& c) {
                                        c.backfill = QStringLiteral("price * qty");
                                        c.notNull = true;
                                    }));
        QCOMPARE(r.change.type, QStringLiteral("numeric(12,2)"));
        QCOMPARE(*r.change.backfillExpr, QStringLiteral("price * qty"));
        QCOMPARE(r.change.backfillSourceColumns, (QStringList{"qty", "price"}));   // table order
    }

    void backfillWithSubquery()
    {
        ChangeResolver::Resolved r;
        RESOLVE(r, with(addColumnChange(QStringLiteral("items_int"), QStringLiteral("customer_name"), QStringLiteral("text")),
                                    [](NewColumnChange& c) {
                                        c.backfill = QStringLiteral("(SELECT c.name FROM customers c WHERE c.id = items_int.id % 100 + 1)");
                                    }));
        QVERIFY(r.change.backfillExpr);
        QCOMPARE(r.change.backfillSourceColumns, (QStringList{"id", "name"}));   // names inside count, over-inclusive
    }

    void quotedMixedCase()
    {
        ChangeResolver::Resolved r;
        RESOLVE(r, with(addColumnChange(QStringLiteral("sales.\"Order Items\""), QStringLiteral("Total €"), QStringLiteral("numeric(14,2)")),
                                    [](NewColumnChange& c) {
                                        c.backfill = QStringLiteral("\"Qty\" * \"Unit Price\"");
                                        c.notNull = true;
                                        c.index = true;
                                        c.check = QStringLiteral("\"Total €\" >= 0");
                                    }));
        QCOMPARE(r.table.schema, QStringLiteral("sales"));
        QCOMPARE(r.table.name, QStringLiteral("Order Items"));
        QCOMPARE(r.table.key.columns, QStringList{QStringLiteral("Item ID")});
        QCOMPARE(r.change.backfillSourceColumns, (QStringList{"Qty", "Unit Price"}));
        QCOMPARE(*r.change.check, QStringLiteral("\"Total €\" >= 0"));
    }

    void otherSpellingsOfTables()
    {
        ChangeResolver::Resolved r;
        RESOLVE(r, addColumnChange(QStringLiteral("public.ITEMS_INT"), QStringLiteral("x"), QStringLiteral("int")));
        QCOMPARE(r.table.name, QStringLiteral("items_int"));
        RESOLVE(r, addColumnChange(QStringLiteral("\"select\""), QStringLiteral("x"), QStringLiteral("int")));
        QCOMPARE(r.table.name, QStringLiteral("select"));
        // Unquoted, only ASCII letters fold to lower case (as the server does in UTF-8): CAFÉ is "cafÉ".
        RESOLVE(r, addColumnChange(QStringLiteral("CAFÉ"), QStringLiteral("x"), QStringLiteral("int")));
        QCOMPARE(r.table.name, QStringLiteral("cafÉ"));
        RESOLVE(r, addColumnChange(QStringLiteral("measurements"), QStringLiteral("x"), QStringLiteral("int")));
        QCOMPARE(r.table.relkind, 'p');
    }

    void replaceRetype()
    {
        ChangeResolver::Resolved r;
        RESOLVE(r, replace(QStringLiteral("items_int"), QStringLiteral("qty"), QStringLiteral("qty_big"), QStringLiteral("bigint")));
        QVERIFY(r.change.isReplace());
        QCOMPARE(r.change.oldType, QStringLiteral("integer"));
        QCOMPARE(r.change.type, QStringLiteral("bigint"));
        QCOMPARE(*r.change.backfillExpr, QStringLiteral("\"qty\"::bigint"));
        QCOMPARE(r.change.backfillSourceColumns, QStringList{QStringLiteral("qty")});
    }

    void replaceQuotedEnumToText()
    {
        ChangeResolver::Resolved r;
        RESOLVE(r, replace(QStringLiteral("sales.\"Order Items\""), QStringLiteral("Mood"), QStringLiteral("Mood Text"),
                                       QStringLiteral("text")));
        QCOMPARE(r.change.oldType, QStringLiteral("mood"));
        QCOMPARE(*r.change.backfillExpr, QStringLiteral("\"Mood\"::text"));
    }

    void replaceWithExplicitBackfill()
    {
        ChangeResolver::Resolved r;
        RESOLVE(r, with(replace(QStringLiteral("codes_text"), QStringLiteral("qty"), QStringLiteral("qty_cents"), QStringLiteral("bigint")),
                                    [](NewColumnChange& c) { c.backfill = QStringLiteral("qty * 100"); }));
        QCOMPARE(*r.change.backfillExpr, QStringLiteral("qty * 100"));
        QCOMPARE(r.change.backfillSourceColumns, QStringList{QStringLiteral("qty")});
        QCOMPARE(r.table.key.columns, QStringList{QStringLiteral("code")});
    }

    void foreignKeys()
    {
        ChangeResolver::Resolved r;
        RESOLVE(r, with(addColumnChange(QStringLiteral("items_int"), QStringLiteral("customer_id"), QStringLiteral("integer")), [](NewColumnChange& c) {
            c.backfill = QStringLiteral("(id % 100) + 1");
            c.referencesTable = QStringLiteral("customers");
            c.referencesColumn = QStringLiteral("id");
            c.onDelete = QStringLiteral("set null");
        }));
        QCOMPARE(r.change.refSchema, QStringLiteral("public"));
        QCOMPARE(r.change.refTable, QStringLiteral("customers"));
        QCOMPARE(r.change.refColumn, QStringLiteral("id"));
        QCOMPARE(r.change.onDelete, QStringLiteral("SET NULL"));
        // bigint -> integer: a cross-type equality in the key's operator family.
        RESOLVE(r, with(addColumnChange(QStringLiteral("items_int"), QStringLiteral("customer_id"), QStringLiteral("bigint")), [](NewColumnChange& c) {
            c.referencesTable = QStringLiteral("public.customers");
            c.referencesColumn = QStringLiteral("id");
        }));
        QCOMPARE(r.change.refTable, QStringLiteral("customers"));
        QVERIFY(r.change.onDelete.isEmpty());
        // A unique (not primary) key, a varchar referencing text, an enum in another schema.
        RESOLVE(r, with(addColumnChange(QStringLiteral("items_int"), QStringLiteral("ref_code"), QStringLiteral("varchar(10)")), [](NewColumnChange& c) {
            c.referencesTable = QStringLiteral("ref_target");
            c.referencesColumn = QStringLiteral("code");
            c.onDelete = QStringLiteral("CASCADE");
        }));
        QCOMPARE(r.change.refColumn, QStringLiteral("code"));
        QCOMPARE(r.change.onDelete, QStringLiteral("CASCADE"));
        RESOLVE(r, with(addColumnChange(QStringLiteral("items_int"), QStringLiteral("ref_shade"), QStringLiteral("other.shade")), [](NewColumnChange& c) {
            c.referencesTable = QStringLiteral("ref_target");
            c.referencesColumn = QStringLiteral("shade");
        }));
        QCOMPARE(r.change.type, QStringLiteral("other.shade"));
        // The referenced column literal, quoted table name.
        RESOLVE(r, with(addColumnChange(QStringLiteral("items_int"), QStringLiteral("item_ref"), QStringLiteral("int")), [](NewColumnChange& c) {
            c.referencesTable = QStringLiteral("sales.\"Order Items\"");
            c.referencesColumn = QStringLiteral("Item ID");
        }));
        QCOMPARE(r.change.refSchema, QStringLiteral("sales"));
        QCOMPARE(r.change.refTable, QStringLiteral("Order Items"));
    }

    void checkOnNewColumn()
    {
        ChangeResolver::Resolved r;
        RESOLVE(r, with(addColumnChange(QStringLiteral("logs_nokey"), QStringLiteral("qty_abs"), QStringLiteral("integer")), [](NewColumnChange& c) {
            c.backfill = QStringLiteral("abs(qty)");
            c.check = QStringLiteral("qty_abs >= 0 AND qty_abs < 1000");
            c.notNull = true;
        }));
        QCOMPARE(r.table.key.kind, BackfillKey::Kind::Ctid);
        QCOMPARE(*r.change.check, QStringLiteral("qty_abs >= 0 AND qty_abs < 1000"));
    }

    void notNullOnEmptyTableNeedsNothing()
    {
        ChangeResolver::Resolved r;
        RESOLVE(r, with(addColumnChange(QStringLiteral("empty_table"), QStringLiteral("x"), QStringLiteral("int")),
                                    [](NewColumnChange& c) { c.notNull = true; }));
        QVERIFY(!r.change.backfillExpr);
        QCOMPARE(r.table.rowEstimate, 0.0);
    }

    void refused_data()
    {
        QTest::addColumn<NewColumnChange>("change");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("reason");   // a part of the message
        const QString items = QStringLiteral("items_int");
        auto row = [](const char* name, const NewColumnChange& c, const char* field, const char* reason) {
            QTest::newRow(name) << c << QString::fromLatin1(field) << QString::fromUtf8(reason);
        };
        auto fresh = [&](const QString& type = QStringLiteral("int")) { return addColumnChange(items, QStringLiteral("fresh"), type); };

        // Tables.
        row("no such table", addColumnChange(QStringLiteral("no_such_table"), QStringLiteral("x"), QStringLiteral("int")), "table", "search_path");
        row("no such schema", addColumnChange(QStringLiteral("nosuchschema.items_int"), QStringLiteral("x"), QStringLiteral("int")), "table", "schema");
        row("not in schema", addColumnChange(QStringLiteral("sales.items_int"), QStringLiteral("x"), QStringLiteral("int")), "table", "no table");
        row("unquoted mixed case", addColumnChange(QStringLiteral("\"order items\""), QStringLiteral("x"), QStringLiteral("int")), "table", "no table");
        row("view", addColumnChange(QStringLiteral("customers_view"), QStringLiteral("x"), QStringLiteral("int")), "table", "view");
        row("materialized view", addColumnChange(QStringLiteral("customers_mat"), QStringLiteral("x"), QStringLiteral("int")), "table", "materialized");
        row("sequence", addColumnChange(QStringLiteral("items_seq"), QStringLiteral("x"), QStringLiteral("int")), "table", "sequence");
        row("index", addColumnChange(QStringLiteral("customers_pkey"), QStringLiteral("x"), QStringLiteral("int")), "table", "index");
        row("system catalog", addColumnChange(QStringLiteral("pg_catalog.pg_class"), QStringLiteral("x"), QStringLiteral("int")), "table", "system");
        row("system catalog via search_path", addColumnChange(QStringLiteral("pg_class"), QStringLiteral("x"), QStringLiteral("int")), "table", "system");
        row("information_schema", addColumnChange(QStringLiteral("information_schema.tables"), QStringLiteral("x"), QStringLiteral("int")), "table", "");
        row("partition", addColumnChange(QStringLiteral("measurements_2025"), QStringLiteral("x"), QStringLiteral("int")), "table", "partition");
        // Columns.
        row("column exists", addColumnChange(items, QStringLiteral("qty"), QStringLiteral("int")), "add_column", "already");
        row("key column exists", addColumnChange(items, QStringLiteral("id"), QStringLiteral("text")), "add_column", "already");
        row("replace missing", replace(items, QStringLiteral("nope"), QStringLiteral("fresh"), QStringLiteral("int")), "replace_column", "no column");
        row("replace to existing", replace(items, QStringLiteral("qty"), QStringLiteral("id"), QStringLiteral("int")), "new_name", "already");
        row("replace primary key", replace(items, QStringLiteral("id"), QStringLiteral("fresh"), QStringLiteral("bigint")), "replace_column", "primary key");
        row("replace composite key part", replace(QStringLiteral("lines_composite"), QStringLiteral("line_no"), QStringLiteral("fresh"), QStringLiteral("bigint")),
            "replace_column", "primary key");
        row("replace unique key", replace(QStringLiteral("events_unique"), QStringLiteral("uid"), QStringLiteral("fresh"), QStringLiteral("text")),
            "replace_column", "backfill walks");
        row("replace referenced", replace(QStringLiteral("ref_target"), QStringLiteral("code"), QStringLiteral("fresh"), QStringLiteral("text")),
            "replace_column", "ref_source_code_fkey");
        row("replace not convertible", replace(QStringLiteral("sales.\"Order Items\""), QStringLiteral("Mood"), QStringLiteral("fresh"), QStringLiteral("integer")),
            "type", "--backfill");
        // Types.
        for (const char* t : {"intx", "void", "record", "trigger", "anyelement", "nosuchschema.int",
                              "numeric(1001)", "varchar(0)", "mood(3)", "positive_int(3)", "unknown", "cstring"})
            row(qPrintable(QStringLiteral("type %1").arg(QLatin1String(t))), fresh(QLatin1String(t)), "type", "");
        row("type message", fresh(QStringLiteral("intx")), "type", "\"intx\" is not a known type");
        // A likely meant name is suggested, with the modifiers as typed; nothing when nothing is near.
        row("type suggestion", fresh(QStringLiteral("numerc(12,2)")), "type", "\"numerc(12,2)\" is not a known type; did you mean numeric(12,2)?");
        row("type suggestion array", fresh(QStringLiteral("intger[]")), "type", "did you mean integer[]?");
        // Defaults.
        auto def = [&](const char* expr, const QString& type = QStringLiteral("int")) {
            return with(fresh(type), [&](NewColumnChange& c) { c.defaultExpr = QLatin1String(expr); });
        };
        row("default wrong literal", def("'abc'"), "default", "invalid input syntax");
        row("default unknown function", def("no_such_function()"), "default", "does not exist");
        row("default boolean for int", def("true"), "default", "explicit");
        row("default text for int", def("'1'::text"), "default", "explicit");
        row("default aggregate", def("sum(1)"), "default", "aggregate");
        row("default set returning", def("generate_series(1, 2)"), "default", "set");
        row("default enum mismatch", def("'hot'::mood"), "default", "");
        // Backfills.
        auto fill = [&](const char* expr, const QString& type = QStringLiteral("int")) {
            return with(fresh(type), [&](NewColumnChange& c) { c.backfill = QLatin1String(expr); });
        };
        row("backfill unknown column", fill("no_such_column * 2"), "backfill", "no_such_column");
        row("backfill column suggestion", fill("qyt * 2"), "backfill", "column \"qyt\" does not exist in public.items_int; did you mean qty?");
        row("backfill new column", fill("fresh + 1"), "backfill", "fresh");
        row("backfill bad cast", fill("'text'::int"), "backfill", "invalid input syntax");
        row("backfill operator", fill("'calm'::mood + 1"), "backfill", "operator does not exist");
        row("backfill aggregate", fill("sum(qty)"), "backfill", "aggregate");
        row("backfill window via pg_proc", fill("rank()"), "backfill", "");
        row("backfill set returning", fill("generate_series(1, qty)"), "backfill", "set");
        row("backfill subquery error", fill("(SELECT nope FROM customers LIMIT 1)"), "backfill", "nope");
        row("backfill subquery two columns", fill("(SELECT id, name FROM customers LIMIT 1)"), "backfill", "");
        // Checks.
        auto chk = [&](const char* expr) {
            return with(fresh(), [&](NewColumnChange& c) {
                c.backfill = QStringLiteral("1");
                c.check = QLatin1String(expr);
            });
        };
        row("check not boolean", chk("1"), "check", "true or false");
        row("check unknown column", chk("no_such_column > 0"), "check", "no_such_column");
        row("check aggregate", chk("sum(qty) > 0"), "check", "aggregate");
        row("check type mismatch", chk("fresh > 'abc'"), "check", "invalid input");
        row("check on replaced column", with(replace(items, QStringLiteral("qty"), QStringLiteral("qty_big"), QStringLiteral("bigint")),
                                             [](NewColumnChange& c) { c.check = QStringLiteral("qty > 0"); }),
            "check", "replaced");
        // Foreign keys.
        auto ref = [&](const char* table, const char* column, const QString& type = QStringLiteral("int")) {
            return with(fresh(type), [&](NewColumnChange& c) {
                c.referencesTable = QLatin1String(table);
                c.referencesColumn = QLatin1String(column);
            });
        };
        row("fk no table", ref("nosuch", "id"), "references", "no table");
        row("fk no column", ref("customers", "nosuch"), "references", "no column");
        row("fk not unique", ref("customers", "name", QStringLiteral("text")), "references", "not unique");
        row("fk not unique label", ref("ref_target", "label", QStringLiteral("text")), "references", "not unique");
        row("fk text to integer", ref("customers", "id", QStringLiteral("text")), "references", "cannot reference");
        row("fk numeric to integer", ref("customers", "id", QStringLiteral("numeric")), "references", "cannot reference");
        row("fk int to enum", ref("ref_target", "shade"), "references", "cannot reference");
        row("fk view", ref("customers_view", "id"), "references", "view");
        row("fk no schema", ref("nosuchschema.customers", "id"), "references", "schema");
        // Rows and rules.
        row("not null with rows", with(fresh(), [](NewColumnChange& c) { c.notNull = true; }), "not_null", "--default");
        row("not null with rows on a partitioned table",
            with(addColumnChange(QStringLiteral("measurements"), QStringLiteral("x"), QStringLiteral("int")), [](NewColumnChange& c) { c.notNull = true; }),
            "not_null", "");
        row("unique constant default", with(fresh(), [](NewColumnChange& c) {
                c.defaultExpr = QStringLiteral("7");
                c.unique = true;
            }),
            "unique", "same");
        // Offline rules still apply.
        row("offline: statement in default", def("1; DROP TABLE customers"), "default", ";");
    }

    void refused()
    {
        QFETCH(NewColumnChange, change);
        QFETCH(QString, field);
        QFETCH(QString, reason);
        ChangeResolver resolver(*m_conn);
        try {
            resolver.resolve(change);
            QFAIL("accepted");
        } catch (const ChangeError& e) {
            const QString message = QString::fromUtf8(e.what());
            if (qEnvironmentVariableIsSet("SHOW_MESSAGES"))   // to review the wording
                qInfo("%s", e.what());
            QVERIFY2(e.field == field, qPrintable(QStringLiteral("named %1: %2").arg(e.field, message)));
            QVERIFY2(message.contains(reason, Qt::CaseInsensitive), qPrintable(message));
        }
        QVERIFY(m_conn->isOk());
        QVERIFY2(!m_conn->inTransaction(), "the read-only transaction was left open");
    }

    void backslashesNeedStandardStrings()
    {
        // With standard strings (the default) a backslash is an ordinary character.
        const NewColumnChange c = with(addColumnChange(QStringLiteral("items_int"), QStringLiteral("fresh"), QStringLiteral("text")),
                                       [](NewColumnChange& c) { c.defaultExpr = QStringLiteral("'a\\' || '; SELECT 1; '"); });
        ChangeResolver::Resolved r;
        RESOLVE(r, c);
        // Without, 'a\' || ' is one string to the server and "; SELECT 1; " would be SQL: refused.
        m_conn->exec(QStringLiteral("SET standard_conforming_strings = off"));
        ChangeResolver resolver(*m_conn);
        QString field;
        try {
            resolver.resolve(c);
        } catch (const ChangeError& e) {
            field = e.field;
        }
        m_conn->exec(QStringLiteral("RESET standard_conforming_strings"));
        QCOMPARE(field, QStringLiteral("default"));
    }

    void onlyReadOnlyStatementsReachedTheServer()
    {
        const QMap<QString, int> seen = loggedStatementKinds(sharedCluster().logFilePath(), m_logOffset);
        const QStringList writes = writingStatementKinds(seen);
        QVERIFY2(writes.isEmpty(), qPrintable(QStringLiteral("reached the server: ") + writes.join(QLatin1String(", "))));
        // The checks above ran many resolves: the log must show them (else this test proves nothing).
        QVERIFY2(seen.value(QStringLiteral("BEGIN")) > 50, qPrintable(QString::number(seen.value(QStringLiteral("BEGIN")))));
        QCOMPARE(seen.value(QStringLiteral("BEGIN")), seen.value(QStringLiteral("ROLLBACK")));
        QVERIFY(seen.value(QStringLiteral("EXPLAIN")) > 20);
        QFile log(sharedCluster().logFilePath());
        QVERIFY(log.open(QIODevice::ReadOnly) && log.seek(m_logOffset));
        QVERIFY(log.readAll().contains("BEGIN READ ONLY"));
    }

    void unchangedAfterEverything()
    {
        QCOMPARE(pgDumpSchema(m_db), m_schemaBefore);
        QCOMPARE(m_conn->exec(QStringLiteral("SELECT count(*) FROM items_int")).value(0, 0), QStringLiteral("1000"));
        QCOMPARE(m_conn->exec(QStringLiteral("SELECT last_value, is_called FROM items_seq")).value(0, 1), QStringLiteral("f"));
    }

    void usesTheCallersTransaction()
    {
        m_conn->exec(QStringLiteral("BEGIN"));
        ChangeResolver::Resolved r;
        RESOLVE(r, addColumnChange(QStringLiteral("items_int"), QStringLiteral("note"), QStringLiteral("text")));
        QVERIFY(m_conn->inTransaction());
        m_conn->exec(QStringLiteral("ROLLBACK"));
        QCOMPARE(r.change.type, QStringLiteral("text"));
    }

private:
    // Exceptions must not leave a Qt Test function: RESOLVE turns them into a failure.
    bool tryResolve(const NewColumnChange& change, ChangeResolver::Resolved* out, QString* why)
    {
        ChangeResolver resolver(*m_conn);
        try {
            *out = resolver.resolve(change);
            return true;
        } catch (const std::exception& e) {
            *why = QString::fromUtf8(e.what());
            return false;
        }
    }

    QString m_db;
    QString m_schemaBefore;
    qint64 m_logOffset = 0;
    std::unique_ptr<pg::Connection> m_conn;
};

QTEST_GUILESS_MAIN(TestChangeResolver)
#include "test_change_resolver.moc"
