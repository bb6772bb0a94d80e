// SPDX-License-Identifier: GPL-3.0-or-later
// The SQL linter's report: each statement's lock, rewrite, scan and what it blocks, exactly as the
// planner's lock table says for its operation and server version; which type changes skip the rewrite;
// where statements and parse errors are (characters, lines, columns, past multi-byte text); the JSON
// and text forms; the names a SchemaLookup is asked about.
#include "core/lint/sql_lint.h"
#include "core/lint/type_change.h"
#include "core/plan/lock_table.h"

#include <QJsonObject>
#include <QtTest>

using namespace lockstep;
using namespace lockstep::lint;
using Op = DdlOperation;

Q_DECLARE_METATYPE(lockstep::DdlOperation)

namespace {
// Column types and validated NOT NULL checks of one table, as a SchemaLookup would say.
class TypesOnly : public SchemaLookup {
public:
    QString columnType(const QString&, const QString& column) const override { return m_types.value(column); }
    qint64 tableBytes(const QString&) const override { return -1; }
    bool hasValidatedNotNullCheck(const QString&, const QString& column) const override { return column == QLatin1String("checked"); }
    QHash<QString, QString> m_types;
};

LintResult lintSqlText(const QString& sql, int version, const SchemaLookup* schema = nullptr)
{
    LintOptions o;
    o.serverVersionNum = version;
    o.schema = schema;
    return lintSql(sql, o);
}
} // namespace

class TestLintReport : public QObject {
    Q_OBJECT
private slots:
    void effectsComeFromTheLockTable_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<Op>("op");
        QTest::addColumn<int>("version");
        auto row = [](const char* sql, Op op, int version = 150000) {
            QTest::newRow(qPrintable(QStringLiteral("%1@%2 %3").arg(ddlOperationName(op)).arg(version).arg(QString::fromUtf8(sql).left(40))))
                << QString::fromUtf8(sql) << op << version;
        };
        for (int v : {100000, 110000, 120000, 150000, 170000}) {
            row("ALTER TABLE t ADD COLUMN c integer", Op::AddColumn, v);
            row("ALTER TABLE t ADD COLUMN c integer DEFAULT 0", Op::AddColumnConstantDefault, v);
            row("ALTER TABLE t ALTER COLUMN checked SET NOT NULL", Op::SetNotNullWithValidatedCheck, v);
        }
        row("ALTER TABLE t ADD COLUMN c uuid DEFAULT gen_random_uuid()", Op::AddColumnVolatileDefault);
        row("ALTER TABLE t ADD COLUMN c integer NOT NULL", Op::AddColumnNotNull);
        row("ALTER TABLE t ADD COLUMN c serial", Op::AddColumnSerialOrIdentity);
        row("ALTER TABLE t ADD COLUMN c integer GENERATED ALWAYS AS (a * 2) STORED", Op::AddColumnStoredGenerated);
        row("ALTER TABLE t DROP COLUMN c", Op::DropColumn);
        row("ALTER TABLE t RENAME COLUMN c TO d", Op::RenameColumn);
        row("ALTER TABLE t RENAME TO u", Op::RenameTable);
        row("ALTER TABLE t ALTER COLUMN id TYPE bigint", Op::AlterColumnTypeRewrite);
        row("ALTER TABLE t ALTER COLUMN name TYPE varchar(200)", Op::AlterColumnTypeBinaryCoercible);
        row("ALTER TABLE t ALTER COLUMN c SET NOT NULL", Op::SetNotNull);
        row("ALTER TABLE t ALTER COLUMN c DROP NOT NULL", Op::DropNotNull);
        row("ALTER TABLE t ALTER COLUMN c SET DEFAULT 0", Op::SetDefault);
        row("ALTER TABLE t ALTER COLUMN c DROP DEFAULT", Op::DropDefault);
        row("ALTER TABLE t ADD CONSTRAINT k CHECK (c > 0)", Op::AddCheck);
        row("ALTER TABLE t ADD CONSTRAINT k CHECK (c > 0) NOT VALID", Op::AddCheckNotValid);
        row("ALTER TABLE t ADD CONSTRAINT k FOREIGN KEY (c) REFERENCES r (id)", Op::AddForeignKey);
        row("ALTER TABLE t ADD CONSTRAINT k FOREIGN KEY (c) REFERENCES r (id) NOT VALID", Op::AddForeignKeyNotValid);
        row("ALTER TABLE t VALIDATE CONSTRAINT k", Op::ValidateConstraint);
        row("ALTER TABLE t ADD CONSTRAINT k FOREIGN KEY (c) REFERENCES r (id) NOT VALID; ALTER TABLE t VALIDATE CONSTRAINT k",
            Op::ValidateForeignKey);
        row("ALTER TABLE t ADD CONSTRAINT k UNIQUE (c)", Op::AddUniqueConstraint);
        row("ALTER TABLE t ADD PRIMARY KEY (c)", Op::AddPrimaryKey);
        row("ALTER TABLE t ADD CONSTRAINT k UNIQUE USING INDEX i", Op::AddUniqueUsingIndex);
        row("ALTER TABLE t DROP CONSTRAINT k", Op::DropConstraint);
        row("ALTER TABLE t ADD CONSTRAINT k FOREIGN KEY (c) REFERENCES r (id) NOT VALID; ALTER TABLE t DROP CONSTRAINT k",
            Op::DropForeignKey);
        row("CREATE INDEX i ON t (c)", Op::CreateIndex);
        row("CREATE INDEX CONCURRENTLY i ON t (c)", Op::CreateIndexConcurrently);
        row("DROP INDEX i", Op::DropIndex);
        row("DROP INDEX CONCURRENTLY i", Op::DropIndexConcurrently);
        row("CREATE TRIGGER g BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()", Op::CreateTrigger);
        row("DROP TRIGGER g ON t", Op::DropTrigger);
        row("CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$", Op::CreateFunction);
        row("DROP FUNCTION f()", Op::DropFunction);
        row("UPDATE t SET c = 0 WHERE id = 1", Op::Update);
        row("DELETE FROM t WHERE id = 1", Op::Update);
        row("SELECT c FROM t", Op::Select);
    }

    void effectsComeFromTheLockTable()
    {
        QFETCH(QString, sql);
        QFETCH(Op, op);
        QFETCH(int, version);
        TypesOnly schema;
        schema.m_types = {{QStringLiteral("id"), QStringLiteral("integer")},
                          {QStringLiteral("name"), QStringLiteral("character varying(100)")}};
        const LintResult r = lintSqlText(sql, version, &schema);
        QVERIFY(!r.error);
        const StatementReport& s = r.statements.last();
        const LockRule& rule = lockRuleFor(op, version);
        QCOMPARE(s.lock.has_value(), rule.lock.has_value());
        if (rule.lock) {
            QCOMPARE(lockModeName(*s.lock), lockModeName(*rule.lock));
            QCOMPARE(s.blocks, lockBlocks(*rule.lock));
        } else {
            QVERIFY(s.blocks.isEmpty());
        }
        QCOMPARE(s.rewrites, rule.rewrites);
        QCOMPARE(s.scans, rule.scans);
    }

    void severalActionsTakeTheStrongestLock()
    {
        const LintResult r = lintSqlText(QStringLiteral("ALTER TABLE t ADD CONSTRAINT k FOREIGN KEY (c) REFERENCES r (id) NOT VALID, "
                                                 "ADD COLUMN d uuid DEFAULT gen_random_uuid()"), 150000);
        const StatementReport& s = r.statements.first();
        QCOMPARE(*s.lock, LockMode::AccessExclusive);
        QCOMPARE(s.blocks, (QStringList{QStringLiteral("reads"), QStringLiteral("writes")}));
        QVERIFY(s.rewrites);
        QVERIFY(!s.scans);
        QCOMPARE(s.table, QStringLiteral("t"));
        const LintResult none = lintSqlText(QStringLiteral("SET lock_timeout = '1s'; BEGIN; COMMIT; SELECT 1"), 150000);
        for (const StatementReport& n : none.statements) {
            QVERIFY(!n.lock);
            QVERIFY(n.blocks.isEmpty());
        }
    }

    void binaryCoercibleTypeChanges_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<bool>("coercible");
        auto row = [](const char* from, const char* to, bool coercible) {
            QTest::newRow(qPrintable(QStringLiteral("%1 -> %2").arg(QLatin1String(from), QLatin1String(to))))
                << QString::fromUtf8(from) << QString::fromUtf8(to) << coercible;
        };
        row("character varying(20)", "varchar(40)", true);
        row("character varying(20)", "character varying(20)", true);
        row("character varying(40)", "varchar(20)", false);
        row("character varying(20)", "varchar", true);
        row("character varying", "varchar(20)", false);
        row("character varying(20)", "text", true);
        row("text", "varchar", true);
        row("text", "varchar(10)", false);
        row("numeric(10,2)", "numeric(12,2)", true);
        row("numeric(10,2)", "decimal(12,2)", true);
        row("numeric(10,2)", "numeric(12,3)", false);
        row("numeric(10,2)", "numeric(8,2)", false);
        row("numeric(10,2)", "numeric", true);
        row("numeric", "numeric(10,2)", false);
        row("bit varying(5)", "varbit(10)", true);
        row("bit varying(10)", "bit varying(5)", false);
        row("timestamp(3) without time zone", "timestamp", true);
        row("timestamp with time zone", "timestamptz(3)", false);
        row("cidr", "inet", true);
        row("integer", "bigint", false);
        row("integer", "int4", true);
        row("character(10)", "char(20)", false);
        row("character varying(20)[]", "varchar(40)[]", false);
    }

    void binaryCoercibleTypeChanges()
    {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(bool, coercible);
        TypesOnly schema;
        schema.m_types = {{QStringLiteral("c"), from}};
        const LintResult r = lintSqlText(QStringLiteral("ALTER TABLE t ALTER COLUMN c TYPE %1").arg(to), 150000, &schema);
        QVERIFY(!r.error);
        QCOMPARE(r.statements.first().rewrites, !coercible);
        bool hazard = false;
        for (const Hazard& h : r.statements.first().hazards)
            hazard = hazard || h.rule == QLatin1String("alter-column-type-rewrites");
        QCOMPARE(hazard, !coercible);
        const auto a = typeSpecFromText(from);
        const auto b = typeSpecFromText(to);
        QVERIFY(a && b);
        QCOMPARE(isBinaryCoercible(*a, *b), coercible);
    }

    void statementsKnowWhereTheyAre()
    {
        const QString text = QStringLiteral("-- héllo 😀\nSET lock_timeout = '1s';\n\n  /* a /* nested */ comment */ "
                                            "ALTER TABLE \"Ümlaut\" ADD COLUMN c text ;\nSELECT 'ü' FROM t");
        const LintResult r = lintSqlText(text, 150000);
        QVERIFY(!r.error);
        QCOMPARE(r.statements.size(), 3);
        QCOMPARE(r.statements[0].sql, QStringLiteral("SET lock_timeout = '1s'"));
        QCOMPARE(r.statements[0].line, 2);
        QCOMPARE(r.statements[1].sql, QStringLiteral("ALTER TABLE \"Ümlaut\" ADD COLUMN c text"));
        QCOMPARE(r.statements[1].line, 4);
        QCOMPARE(r.statements[1].table, QStringLiteral("\"Ümlaut\""));
        QCOMPARE(r.statements[2].sql, QStringLiteral("SELECT 'ü' FROM t"));
        QCOMPARE(r.statements[2].line, 5);
        for (const StatementReport& s : r.statements) {
            QCOMPARE(text.mid(s.offset, s.length), s.sql);
            QCOMPARE(s.statement, static_cast<int>(&s - r.statements.constData()) + 1);
        }
    }

    void parseErrorHasOffsetLineAndColumn()
    {
        const QString text = QStringLiteral("SELECT '😀é';\n  SELECT 1 FROM FROM;\nSELECT 2;");
        const LintResult r = lintSqlText(text, 150000);
        QVERIFY(r.error);
        QVERIFY(r.statements.isEmpty());
        QVERIFY2(r.error->message.contains(QLatin1String("syntax error at or near \"FROM\"")), qPrintable(r.error->message));
        QCOMPARE(r.error->offset, text.indexOf(QLatin1String("FROM;")));
        QCOMPARE(r.error->line, 2);
        QCOMPARE(r.error->column, 17);
        QCOMPARE(renderText(r), QStringLiteral("2:17: syntax error at or near \"FROM\"\n"));
        const LintResult unterminated = lintSqlText(QStringLiteral("SELECT 1;\nSELECT 'open"), 150000);
        QVERIFY(unterminated.error);
        QCOMPARE(unterminated.error->line, 2);
        QCOMPARE(unterminated.error->column, 8);
        QVERIFY(toJson(unterminated).isEmpty());
    }

    void psqlMetaCommandsAreSkipped()
    {
        const LintResult r = lintSqlText(QStringLiteral("\\set ON_ERROR_STOP on\nSET lock_timeout = '1s';\n\\timing\n"
                                                 "CREATE INDEX i ON t (c);\n"), 150000);
        QVERIFY2(!r.error, r.error ? qPrintable(r.error->message) : "");
        QCOMPARE(r.statements.size(), 2);
        QCOMPARE(r.statements[1].sql, QStringLiteral("CREATE INDEX i ON t (c)"));
        QCOMPARE(r.statements[1].line, 4);
        QVERIFY(lintSqlText(QStringLiteral("\\oops\nSELECT FROM FROM"), 150000).error);
    }

    void emptyTextHasNoStatements()
    {
        for (const char* sql : {"", "  \n", "-- only a comment\n", ";;"}) {
            const LintResult r = lintSqlText(QString::fromUtf8(sql), 150000);
            QVERIFY(!r.error);
            QVERIFY(r.statements.isEmpty());
        }
        QCOMPARE(renderText(lintSqlText(QString(), 150000)), QStringLiteral("0 statements, no hazards\n"));
    }

    void jsonHasExactlyTheDocumentedKeys()
    {
        const LintResult r = lintSqlText(QStringLiteral("SET lock_timeout = '1s';\nCREATE INDEX i ON t (c);"), 150000);
        const QJsonArray json = toJson(r);
        QCOMPARE(json.size(), 2);
        const QStringList keys{QStringLiteral("blocks"), QStringLiteral("hazards"), QStringLiteral("lock"), QStringLiteral("rewrites"),
                               QStringLiteral("scans"), QStringLiteral("sql"), QStringLiteral("statement")};
        const QJsonObject set = json[0].toObject();
        QCOMPARE(set.keys(), keys);
        QVERIFY(set.value(QStringLiteral("lock")).isNull());
        QCOMPARE(set.value(QStringLiteral("statement")).toInt(), 1);
        QCOMPARE(set.value(QStringLiteral("blocks")).toArray().size(), 0);
        const QJsonObject index = json[1].toObject();
        QCOMPARE(index.keys(), keys);
        QCOMPARE(index.value(QStringLiteral("statement")).toInt(), 2);
        QCOMPARE(index.value(QStringLiteral("sql")).toString(), QStringLiteral("CREATE INDEX i ON t (c)"));
        QCOMPARE(index.value(QStringLiteral("lock")).toString(), QStringLiteral("SHARE"));
        QCOMPARE(index.value(QStringLiteral("rewrites")).toBool(), false);
        QCOMPARE(index.value(QStringLiteral("scans")).toBool(), true);
        QCOMPARE(index.value(QStringLiteral("blocks")).toArray(), QJsonArray{QStringLiteral("writes")});
        const QJsonArray hazards = index.value(QStringLiteral("hazards")).toArray();
        QCOMPARE(hazards.size(), 1);
        QCOMPARE(hazards[0].toObject().keys(), (QStringList{QStringLiteral("fix"), QStringLiteral("message"), QStringLiteral("rule")}));
        QCOMPARE(hazards[0].toObject().value(QStringLiteral("rule")).toString(), QStringLiteral("create-index-not-concurrently"));
    }

    void textHasOneBlockPerStatementAndASummary()
    {
        const QString text = renderText(lintSqlText(QStringLiteral("ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid();\n"
                                                            "SELECT 1;"), 150000));
        QVERIFY2(text.startsWith(QStringLiteral("1 (line 1): ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid() — "
                                                "ACCESS EXCLUSIVE, blocks reads and writes, rewrites\n")), qPrintable(text));
        QVERIFY(text.contains(QLatin1String("\n   add-column-volatile-default: ADD COLUMN token")));
        QVERIFY(text.contains(QLatin1String("\n      fix: Add the column without a default")));
        QVERIFY(text.contains(QStringLiteral("\n\n2 (line 2): SELECT 1 — no table lock\n")));
        QVERIFY(text.endsWith(QLatin1String("2 statements, 2 hazards in 1 statement\n")));
    }

    void textSaysWhenTheBlockAlreadyHoldsAStrongerLock()
    {
        // Inside BEGIN ... COMMIT the ACCESS EXCLUSIVE of statement 2 still blocks reads during the index build.
        const LintResult r = lintSqlText(QStringLiteral("BEGIN;\nSET LOCAL lock_timeout = '1s';\n"
                                                        "ALTER TABLE orders ADD COLUMN a text;\n"
                                                        "CREATE INDEX CONCURRENTLY i ON customers (a);\n"
                                                        "CREATE INDEX i2 ON orders (a);\nCOMMIT;\n"
                                                        "CREATE INDEX i3 ON orders (a);"), 150000);
        QCOMPARE(r.statements[4].heldLock, std::optional<LockMode>(LockMode::AccessExclusive));
        QCOMPARE(r.statements[4].blocks, QStringList{QStringLiteral("writes")});   // the statement's own lock
        QVERIFY(!r.statements[3].heldLock);   // another table
        QVERIFY(!r.statements[6].heldLock);   // after COMMIT
        const QString text = renderText(r);
        QVERIFY2(text.contains(QStringLiteral("5 (line 5): CREATE INDEX i2 ON orders (a) — SHARE, blocks writes, scans (the open "
                                              "transaction already holds ACCESS EXCLUSIVE on orders: reads and writes wait "
                                              "until it ends)\n")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("7 (line 7): CREATE INDEX i3 ON orders (a) — SHARE, blocks writes, scans\n")));
        QVERIFY(!toJson(r)[4].toObject().contains(QStringLiteral("heldLock")));   // the JSON keeps its documented keys
    }

    void targetsAreTheTablesAndFunctionsNamed()
    {
        const LintTargets t = lintTargets(QStringLiteral(
            "ALTER TABLE sales.\"Order Items\" ADD COLUMN code text DEFAULT app.next_code();\n"
            "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (c) REFERENCES customers (id);\n"
            "CREATE INDEX i ON orders (c);\nALTER TABLE \"Orders\" ADD COLUMN n int DEFAULT now();"));
        QCOMPARE(t.tables, (QStringList{QStringLiteral("sales.\"Order Items\""), QStringLiteral("orders"),
                                        QStringLiteral("customers"), QStringLiteral("\"Orders\"")}));
        QCOMPARE(t.functions, QStringList{QStringLiteral("app.next_code")});
        QVERIFY(lintTargets(QStringLiteral("SELEC 1")).tables.isEmpty());
    }
};

QTEST_APPLESS_MAIN(TestLintReport)
#include "test_lint_report.moc"
