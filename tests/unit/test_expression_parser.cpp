// SPDX-License-Identifier: GPL-3.0-or-later
// Expressions and type names as libpg_query parses them: what is one harmless expression, and what hides
// a second statement, changes data, or is not a single value.
#include "core/change/expression_parser.h"

#include <QtTest>

using namespace lockstep;

Q_DECLARE_METATYPE(lockstep::ExpressionUse)

class TestExpressionParser : public QObject {
    Q_OBJECT
private slots:
    void accepts_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<ExpressionUse>("use");
        const auto backfill = ExpressionUse::Backfill;
        const auto def = ExpressionUse::Default;
        const auto check = ExpressionUse::Check;
        QTest::newRow("arithmetic") << "a + 1" << backfill;
        QTest::newRow("quoted column with euro") << "\"Total €\" * 100" << backfill;
        QTest::newRow("semicolon inside a literal") << "coalesce(x, 'a;b')" << backfill;
        QTest::newRow("semicolon inside a dollar literal") << "coalesce(x, $$a;b$$)" << backfill;
        QTest::newRow("semicolon inside a quoted name") << "\"a;b\" + 1" << backfill;
        QTest::newRow("function") << "lower(name)" << backfill;
        QTest::newRow("case") << "CASE WHEN qty > 0 THEN 'pos' ELSE 'neg' END" << backfill;
        QTest::newRow("scalar subquery in backfill") << "(SELECT 1)" << backfill;
        QTest::newRow("correlated subquery with aggregate") << "(SELECT max(c.id) FROM customers c WHERE c.id = id)" << backfill;
        QTest::newRow("exists subquery") << "EXISTS (SELECT 1 FROM customers)" << backfill;
        QTest::newRow("constant default") << "0" << def;
        QTest::newRow("string default") << "'new'" << def;
        QTest::newRow("volatile default") << "gen_random_uuid()" << def;
        QTest::newRow("now") << "now()" << def;
        QTest::newRow("current_timestamp") << "CURRENT_TIMESTAMP" << def;
        QTest::newRow("cast") << "'2020-01-01'::date" << def;
        QTest::newRow("parenthesised start") << "(1) + 2" << def;
        QTest::newRow("block comment") << "1 /* one */ + 2" << def;
        QTest::newRow("leading block comment") << "/* x */ 1" << def;
        QTest::newRow("surrounding spaces") << "   1   " << def;
        QTest::newRow("check") << "qty_abs >= 0" << check;
        QTest::newRow("check with function") << "length(name) < 100" << check;
        QTest::newRow("array") << "ARRAY[1, 2]" << def;
        QTest::newRow("not a query word") << "selected + 1" << backfill;
        QTest::newRow("dashes inside a literal") << "'a -- b' || \"c--d\"" << backfill;
        QTest::newRow("nested block comments") << "1 /* a /* b */ ; c */ + 2" << def;
    }

    void accepts()
    {
        QFETCH(QString, text);
        QFETCH(ExpressionUse, use);
        QString why;
        const auto parsed = parseExpression(text, use, &why);
        QVERIFY2(parsed, qPrintable(why));
        QCOMPARE(parsed->text, text.trimmed());
    }

    void refuses_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<ExpressionUse>("use");
        QTest::addColumn<QString>("reason");   // a word the explanation must contain
        const auto backfill = ExpressionUse::Backfill;
        const auto def = ExpressionUse::Default;
        const auto check = ExpressionUse::Check;
        QTest::newRow("second statement") << "1; DROP TABLE t" << backfill << ";";
        QTest::newRow("trailing semicolon") << "1;" << def << ";";
        QTest::newRow("escape the parentheses") << "1) ; DROP TABLE t; SELECT (1" << backfill << "";
        QTest::newRow("escape without spaces") << "1) FROM x; DROP TABLE y; SELECT (1" << backfill << "";
        QTest::newRow("delete in a subquery") << "(DELETE FROM t RETURNING 1)" << backfill << "";
        QTest::newRow("delete in a CTE") << "WITH x AS (DELETE FROM t RETURNING 1) SELECT 1" << backfill << "query";
        QTest::newRow("delete in a CTE in a subquery")
            << "(WITH d AS (DELETE FROM t RETURNING id) SELECT max(id) FROM d)" << backfill << "DELETE";
        QTest::newRow("update in a subquery")
            << "'x' || (WITH u AS (UPDATE t SET a = 1 RETURNING a) SELECT a FROM u)" << backfill << "UPDATE";
        QTest::newRow("insert in a subquery")
            << "(WITH i AS (INSERT INTO t VALUES (1) RETURNING 1) SELECT 1)" << backfill << "INSERT";
        QTest::newRow("for update in a subquery") << "(SELECT id FROM t LIMIT 1 FOR UPDATE)" << backfill << "FOR UPDATE";
        QTest::newRow("count star") << "count(*)" << backfill << "aggregate";
        QTest::newRow("count distinct") << "count(DISTINCT a)" << backfill << "aggregate";
        QTest::newRow("filter") << "sum(a) FILTER (WHERE a > 0)" << backfill << "aggregate";
        QTest::newRow("window") << "row_number() OVER ()" << backfill << "window";
        QTest::newRow("window sum") << "sum(1) OVER ()" << backfill << "window";
        QTest::newRow("empty") << "" << def << "empty";
        QTest::newRow("blank") << "  \n " << def << "empty";
        QTest::newRow("only a comment") << "/* nothing */" << def << "empty";
        QTest::newRow("select") << "SELECT 1" << backfill << "SELECT";
        QTest::newRow("values") << "VALUES (1)" << backfill << "query";
        QTest::newRow("from") << "1 FROM t" << backfill << "FROM";
        QTest::newRow("where") << "1 WHERE true" << backfill << "WHERE";
        QTest::newRow("order by") << "1 ORDER BY 1" << backfill << "ORDER BY";
        QTest::newRow("limit") << "1 LIMIT 1" << backfill << "LIMIT";
        QTest::newRow("into") << "1 INTO x" << backfill << "";
        QTest::newRow("union") << "1 UNION SELECT 2" << backfill << "query";
        QTest::newRow("two values") << "1, 2" << backfill << "list";
        QTest::newRow("alias") << "1 AS x" << backfill << "alias";
        QTest::newRow("bare alias") << "1 x" << backfill << "alias";
        QTest::newRow("distinct prefix") << "DISTINCT 1" << backfill << "DISTINCT";
        QTest::newRow("all prefix") << "ALL 1" << backfill << "single";
        QTest::newRow("comment hiding a statement") << "1 /* */; drop table t" << backfill << ";";
        QTest::newRow("line comment") << "1 -- comment" << def << "comment";
        QTest::newRow("line comment hiding a statement") << "1 -- ; DROP TABLE c\n; DROP TABLE c" << backfill << "";
        QTest::newRow("unterminated comment") << "1 /* unterminated" << def << "";
        QTest::newRow("unterminated string") << "'abc" << def << "";
        QTest::newRow("syntax error") << "0 +" << def << "syntax";
        QTest::newRow("parentheses") << ")(" << backfill << "syntax";
        QTest::newRow("parameter") << "$1" << def << "parameter";
        QTest::newRow("parameter inside") << "a + $2" << backfill << "parameter";
        QTest::newRow("subquery in default") << "(SELECT 1)" << def << "subquery";
        QTest::newRow("subquery in check") << "(SELECT true)" << check << "subquery";
        QTest::newRow("exists in check") << "EXISTS (SELECT 1)" << check << "subquery";
        QTest::newRow("column in default") << "id" << def << "columns";
        QTest::newRow("qualified column") << "t.a + 1" << backfill << "table name";
        QTest::newRow("star") << "t.*" << backfill << "*";
        QTest::newRow("too long") << QString(kMaxExpressionLength + 1, QLatin1Char('1')) << def << "long";
        QTest::newRow("nul") << QStringLiteral("1") + QChar(0) + QStringLiteral("; drop table t") << def << "NUL";
        QTest::newRow("check escaping its parentheses") << "fresh > 0) OR (true" << check << "syntax";
    }

    void refuses()
    {
        QFETCH(QString, text);
        QFETCH(ExpressionUse, use);
        QFETCH(QString, reason);
        QString why;
        const auto parsed = parseExpression(text, use, &why);
        QVERIFY2(!parsed, qPrintable(QStringLiteral("accepted: ") + text));
        QVERIFY(!why.isEmpty());
        QVERIFY2(why.contains(reason, Qt::CaseInsensitive), qPrintable(why));
    }

    void collectsColumnsAndFunctions()
    {
        QString why;
        const auto e = parseExpression(QStringLiteral("lower(\"Name\") || Status || pg_catalog.upper(code) || "
                                                      "(SELECT max(c.id) FROM customers c WHERE c.id = ref) || lower(code)"),
                                       ExpressionUse::Backfill, &why);
        QVERIFY2(e, qPrintable(why));
        QCOMPARE(e->columns, (QStringList{"Name", "status", "code"}));
        QVERIFY(e->hasSubquery);
        QCOMPARE(e->subqueryColumns, (QStringList{"id", "id", "ref"}));
        QCOMPARE(e->functions.size(), 3);   // lower (once), upper, max (in the subquery)
        QCOMPARE(e->functions[0].name, QStringLiteral("lower"));
        QVERIFY(e->functions[0].schema.isEmpty());
        QCOMPARE(e->functions[1].schema, QStringLiteral("pg_catalog"));
        QCOMPARE(e->functions[1].name, QStringLiteral("upper"));
        QCOMPARE(e->functions[2].name, QStringLiteral("max"));
        QVERIFY(e->functions[2].inSubquery);
        QVERIFY(!e->functions[0].inSubquery);
    }

    void bareColumn_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("bare");
        QTest::newRow("column") << "qty" << true;
        QTest::newRow("quoted column") << "\"Qty\"" << true;
        QTest::newRow("cast") << "qty::bigint" << true;
        QTest::newRow("CAST") << "CAST(qty AS text)" << true;
        QTest::newRow("cast of a cast") << "qty::text::varchar(10)" << true;
        QTest::newRow("arithmetic") << "qty * 2" << false;
        QTest::newRow("function") << "lower(name)" << false;
        QTest::newRow("cast of an expression") << "(qty + 1)::bigint" << false;
        QTest::newRow("constant") << "42" << false;
        QTest::newRow("subquery") << "(SELECT max(id) FROM t)" << false;
    }

    // A copy of one column is compared for free by the backfill's walk; anything else is computed once.
    void bareColumn()
    {
        QFETCH(QString, text);
        QFETCH(bool, bare);
        QString why;
        const auto parsed = parseExpression(text, ExpressionUse::Backfill, &why);
        QVERIFY2(parsed, qPrintable(why));
        QCOMPARE(parsed->bareColumn, bare);
    }

    void positionsAreInTheUsersText()
    {
        QString why;
        QVERIFY(!parseExpression(QStringLiteral("é + ;"), ExpressionUse::Backfill, &why));
        QVERIFY2(why.contains(QLatin1String("character 5")), qPrintable(why));
    }

    void typeNames_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ok");
        for (const char* t : {"bigint", "int", "numeric(12,2)", "varchar(20)", "character varying(20)", "text[]",
                              "int[][]", "\"char\"", "timestamptz", "timestamp(3) with time zone", "double precision",
                              "mood", "sales.mood", "\"My Type\"", "interval year to month", "bit varying(8)",
                              "nosuchschema.int", " uuid "})
            QTest::newRow(t) << QString::fromUtf8(t) << true;
        for (const char* t : {"", "int; DROP TABLE x", "int); DROP TABLE x; --", "bigint[", "int /* */",
                              "int -- x", "numeric(5,2) DEFAULT 1", "text COLLATE \"C\"", "int x", "int, text",
                              "setof int", "int::text", "1", "'int'", "int IS NULL", "numeric((SELECT 1))", "$1",
                              "int AT TIME ZONE 'utc'", "varchar(-1)"})
            QTest::newRow(t) << QString::fromUtf8(t) << false;
    }

    void typeNames()
    {
        QFETCH(QString, text);
        QFETCH(bool, ok);
        const QString problem = typeNameProblem(text);
        QVERIFY2(problem.isEmpty() == ok, qPrintable(text + QStringLiteral(": ") + problem));
    }
};

QTEST_APPLESS_MAIN(TestExpressionParser)
#include "test_expression_parser.moc"
