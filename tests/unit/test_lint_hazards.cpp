// SPDX-License-Identifier: GPL-3.0-or-later
// The SQL linter's hazard rules: each fires on the risky SQL and stays silent on its safe rewrite (which
// lints with no hazard at all), the state it tracks across the text (transactions, lock_timeout,
// constraints validated earlier, tables created earlier) and the facts a SchemaLookup adds.
#include "core/lint/sql_lint.h"
#include "core/plan/lock_risk.h"

#include <QSet>
#include <QtTest>

using namespace lockstep;
using namespace lockstep::lint;

namespace {
const QString kTimeout = QStringLiteral("SET lock_timeout = '1s';\n");

// A database of two tables, as a SchemaLookup would describe it.
class FixedSchema : public SchemaLookup {
public:
    QString columnType(const QString& table, const QString& column) const override
    {
        if (table != QLatin1String("public.orders") && table != QLatin1String("orders"))
            return {};
        return m_types.value(column);
    }
    qint64 tableBytes(const QString& table) const override
    {
        if (table == QLatin1String("public.orders") || table == QLatin1String("orders"))
            return 1288490189;   // 1.2 GB
        if (table == QLatin1String("customers"))
            return 8 * 1024 * 1024;
        return -1;
    }
    std::optional<bool> functionIsVolatile(const QString& name) const override
    {
        if (name == QLatin1String("next_code"))
            return true;
        if (name == QLatin1String("app.tenant"))
            return false;
        return std::nullopt;
    }
    bool hasValidatedNotNullCheck(const QString& table, const QString& column) const override
    {
        return table == QLatin1String("orders") && column == QLatin1String("checked");
    }
    QHash<QString, QString> m_types{{QStringLiteral("name"), QStringLiteral("character varying(20)")},
                                    {QStringLiteral("id"), QStringLiteral("integer")}};
};

LintResult lintSqlText(const QString& sql, int version = 150000, const SchemaLookup* schema = nullptr)
{
    LintOptions o;
    o.serverVersionNum = version;
    o.schema = schema;
    return lintSql(sql, o);
}

QStringList rulesOf(const LintResult& r)
{
    QStringList out;
    for (const StatementReport& s : r.statements)
        for (const Hazard& h : s.hazards)
            out << h.rule;
    return out;
}

QString describe(const LintResult& r)
{
    return r.error ? QStringLiteral("parse error: ") + r.error->message : renderText(r);
}

const Hazard* findHazard(const LintResult& r, const QString& rule)
{
    for (const StatementReport& s : r.statements)
        for (const Hazard& h : s.hazards)
            if (h.rule == rule)
                return &h;
    return nullptr;
}
} // namespace

class TestLintHazards : public QObject {
    Q_OBJECT
private:
    QSet<QString> m_covered;

private slots:
    void ruleFiresOnRiskySqlAndNotOnItsSafeRewrite_data()
    {
        QTest::addColumn<QString>("rule");
        QTest::addColumn<QString>("risky");
        QTest::addColumn<QString>("safe");
        QTest::addColumn<int>("version");
        auto row = [](const char* name, const char* rule, const char* risky, const char* safe, int version = 150000) {
            QTest::newRow(name) << QString::fromUtf8(rule) << QString::fromUtf8(risky) << QString::fromUtf8(safe) << version;
        };
        row("volatile default", "add-column-volatile-default",
            "ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid()",
            "ALTER TABLE orders ADD COLUMN token uuid, ALTER COLUMN token SET DEFAULT gen_random_uuid()");
        row("volatile default, extension schema", "add-column-volatile-default",
            "ALTER TABLE orders ADD COLUMN token uuid DEFAULT ext.uuid_generate_v4()",
            "ALTER TABLE orders ADD COLUMN token uuid DEFAULT '00000000-0000-0000-0000-000000000000'");
        row("stable default is fast", "add-column-volatile-default",
            "ALTER TABLE orders ADD COLUMN seen timestamptz DEFAULT clock_timestamp()",
            "ALTER TABLE orders ADD COLUMN seen timestamptz DEFAULT now()");
        row("default before 11", "add-column-default-before-11", "ALTER TABLE orders ADD COLUMN n int DEFAULT 0",
            "ALTER TABLE orders ADD COLUMN n int", 100000);
        row("stored generated", "add-column-stored-generated",
            "ALTER TABLE orders ADD COLUMN twice int GENERATED ALWAYS AS (id * 2) STORED",
            "ALTER TABLE orders ADD COLUMN twice int");
        row("serial", "add-column-serial-or-identity", "ALTER TABLE orders ADD COLUMN n bigserial",
            "ALTER TABLE orders ADD COLUMN n bigint");
        row("identity", "add-column-serial-or-identity",
            "ALTER TABLE orders ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY", "ALTER TABLE orders ADD COLUMN n bigint");
        row("not null without default", "add-column-not-null-without-default",
            "ALTER TABLE orders ADD COLUMN n int NOT NULL", "ALTER TABLE orders ADD COLUMN n int NOT NULL DEFAULT 0");
        row("set not null", "set-not-null-without-check", "ALTER TABLE orders ALTER COLUMN n SET NOT NULL",
            "ALTER TABLE orders ADD CONSTRAINT n_not_null CHECK (n IS NOT NULL) NOT VALID;\n"
            "ALTER TABLE orders VALIDATE CONSTRAINT n_not_null;\n"
            "ALTER TABLE orders ALTER COLUMN n SET NOT NULL;\n"
            "ALTER TABLE orders DROP CONSTRAINT n_not_null;");
        row("check", "add-check-without-not-valid", "ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0)",
            "ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0) NOT VALID;\n"
            "ALTER TABLE orders VALIDATE CONSTRAINT positive;");
        row("check in ADD COLUMN", "add-check-without-not-valid", "ALTER TABLE orders ADD COLUMN n int CHECK (n > 0)",
            "ALTER TABLE orders ADD COLUMN n int, ADD CONSTRAINT n_positive CHECK (n > 0) NOT VALID;");
        row("foreign key", "add-foreign-key-without-not-valid",
            "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id)",
            "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;\n"
            "ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;");
        row("references in ADD COLUMN", "add-foreign-key-without-not-valid",
            "ALTER TABLE orders ADD COLUMN customer_id bigint REFERENCES customers (id)",
            "ALTER TABLE orders ADD COLUMN customer_id bigint");
        row("validate in the same block", "validate-in-same-transaction",
            "BEGIN;\nALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0) NOT VALID;\n"
            "ALTER TABLE orders VALIDATE CONSTRAINT positive;\nCOMMIT;",
            "BEGIN;\nALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0) NOT VALID;\nCOMMIT;\n"
            "BEGIN;\nALTER TABLE orders VALIDATE CONSTRAINT positive;\nCOMMIT;");
        row("validate in the same statement", "validate-in-same-transaction",
            "ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0) NOT VALID, VALIDATE CONSTRAINT positive",
            "ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0) NOT VALID;\n"
            "ALTER TABLE orders VALIDATE CONSTRAINT positive;");
        row("validate a foreign key in the same block", "validate-in-same-transaction",
            "START TRANSACTION;\nALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;\n"
            "ALTER TABLE orders VALIDATE CONSTRAINT fk;\nEND;",
            "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;\n"
            "ALTER TABLE orders VALIDATE CONSTRAINT fk;");
        row("create index", "create-index-not-concurrently", "CREATE INDEX orders_code_idx ON orders (code)",
            "CREATE INDEX CONCURRENTLY orders_code_idx ON orders (code)");
        row("create unique index", "create-index-not-concurrently", "CREATE UNIQUE INDEX orders_code_idx ON orders (code)",
            "CREATE UNIQUE INDEX CONCURRENTLY orders_code_idx ON orders (code)");
        row("drop index", "drop-index-not-concurrently", "DROP INDEX orders_code_idx",
            "DROP INDEX CONCURRENTLY orders_code_idx");
        row("create concurrently in a block", "concurrently-in-transaction",
            "BEGIN;\nCREATE INDEX CONCURRENTLY orders_code_idx ON orders (code);\nCOMMIT;",
            "CREATE INDEX CONCURRENTLY orders_code_idx ON orders (code)");
        row("drop concurrently in a block", "concurrently-in-transaction",
            "BEGIN;\nDROP INDEX CONCURRENTLY orders_code_idx;\nCOMMIT;", "DROP INDEX CONCURRENTLY orders_code_idx");
        row("unique", "add-unique-without-index", "ALTER TABLE orders ADD CONSTRAINT orders_code_key UNIQUE (code)",
            "CREATE UNIQUE INDEX CONCURRENTLY orders_code_key ON orders (code);\n"
            "ALTER TABLE orders ADD CONSTRAINT orders_code_key UNIQUE USING INDEX orders_code_key;");
        row("primary key", "add-primary-key-without-index", "ALTER TABLE orders ADD PRIMARY KEY (id)",
            "CREATE UNIQUE INDEX CONCURRENTLY orders_pkey ON orders (id);\n"
            "ALTER TABLE orders ADD CONSTRAINT orders_pkey PRIMARY KEY USING INDEX orders_pkey;");
        row("type change", "alter-column-type-rewrites", "ALTER TABLE orders ALTER COLUMN id TYPE bigint",
            "ALTER TABLE orders ADD COLUMN id_new bigint");
        row("drop column", "drop-column", "ALTER TABLE orders DROP COLUMN legacy",
            "ALTER TABLE orders ALTER COLUMN legacy DROP NOT NULL");
        row("rename column", "rename-column", "ALTER TABLE orders RENAME COLUMN code TO reference",
            "ALTER TABLE orders ADD COLUMN reference text");
        row("rename table", "rename-table", "ALTER TABLE orders RENAME TO purchases",
            "BEGIN;\nALTER TABLE orders RENAME TO purchases;\nCREATE VIEW orders AS SELECT * FROM purchases;\nCOMMIT;");
        row("no lock_timeout", "missing-lock-timeout", "ALTER TABLE orders ADD COLUMN note text",
            "SET lock_timeout = '1s';\nALTER TABLE orders ADD COLUMN note text");
        row("lock_timeout 0", "missing-lock-timeout", "SET lock_timeout = 0;\nALTER TABLE orders ADD COLUMN note text",
            "SET lock_timeout TO 500;\nALTER TABLE orders ADD COLUMN note text");
        row("lock_timeout '0s'", "missing-lock-timeout", "SET lock_timeout = '0s';\nDROP TRIGGER t ON orders",
            "SET SESSION lock_timeout = '2s';\nDROP TRIGGER t ON orders");
        row("lock_timeout reset", "missing-lock-timeout",
            "SET lock_timeout = '1s';\nRESET lock_timeout;\nALTER TABLE orders ADD COLUMN note text",
            "RESET lock_timeout;\nSET lock_timeout = '1s';\nALTER TABLE orders ADD COLUMN note text");
        row("SET LOCAL ends with its block", "missing-lock-timeout",
            "BEGIN;\nSET LOCAL lock_timeout = '1s';\nCOMMIT;\nALTER TABLE orders ADD COLUMN note text",
            "BEGIN;\nSET LOCAL lock_timeout = '1s';\nALTER TABLE orders ADD COLUMN note text;\nCOMMIT;");
        row("SET LOCAL outside a block does nothing", "missing-lock-timeout",
            "SET LOCAL lock_timeout = '1s';\nALTER TABLE orders ADD COLUMN note text",
            "BEGIN;\nSET LOCAL lock_timeout = '1s';\nALTER TABLE orders ADD COLUMN note text;\nCOMMIT;");
        row("a rolled-back SET is undone", "missing-lock-timeout",
            "BEGIN;\nSET lock_timeout = '1s';\nROLLBACK;\nALTER TABLE orders ADD COLUMN note text",
            "BEGIN;\nSET lock_timeout = '1s';\nCOMMIT;\nALTER TABLE orders ADD COLUMN note text");
        row("two ALTERs in a row", "combine-alter-table",
            "ALTER TABLE orders ADD COLUMN note text;\nALTER TABLE orders ADD COLUMN memo text;",
            "ALTER TABLE orders ADD COLUMN note text, ADD COLUMN memo text;");
    }

    void ruleFiresOnRiskySqlAndNotOnItsSafeRewrite()
    {
        QFETCH(QString, rule);
        QFETCH(QString, risky);
        QFETCH(QString, safe);
        QFETCH(int, version);
        QVERIFY2(hazardRuleNames().contains(rule), qPrintable(rule));
        // Everything but missing-lock-timeout itself is checked with a lock_timeout set, as a careful DBA would.
        const QString prefix = rule == QLatin1String("missing-lock-timeout") ? QString() : kTimeout;
        const LintResult bad = lintSqlText(prefix + risky, version);
        QVERIFY2(rulesOf(bad).contains(rule), qPrintable(describe(bad)));
        const Hazard* h = findHazard(bad, rule);
        QVERIFY(h->message.size() > 30);
        QVERIFY(h->fix.size() > 20);
        const LintResult good = lintSqlText(prefix + safe, version);
        QVERIFY2(!good.error, qPrintable(describe(good)));
        QVERIFY2(good.hazardCount() == 0, qPrintable(describe(good)));
        m_covered.insert(rule);
    }

    void everyRuleHasATest()
    {
        // One list: begin and end of two separate temporaries would walk off into other memory.
        const QStringList names = hazardRuleNames();
        QVERIFY(names.size() >= 20);
        for (const QString& name : names)
            QVERIFY2(m_covered.contains(name), qPrintable(name + QStringLiteral(" has no row above")));
        QCOMPARE(QSet<QString>(names.cbegin(), names.cend()).size(), names.size());
    }

    void constantDefaultIsFastFrom11()
    {
        const QString sql = kTimeout + QStringLiteral("ALTER TABLE orders ADD COLUMN n int DEFAULT 0");
        QVERIFY(rulesOf(lintSqlText(sql, 100000)).contains(QStringLiteral("add-column-default-before-11")));
        QVERIFY(lintSqlText(sql, 110000).hazardCount() == 0);
        QVERIFY(!lintSqlText(sql, 110000).statements.last().rewrites);
    }

    void setNotNullBefore12ScansEvenWithAValidatedCheck()
    {
        const QString sql = kTimeout + QStringLiteral(
            "ALTER TABLE orders ADD CONSTRAINT n_not_null CHECK (n IS NOT NULL) NOT VALID;\n"
            "ALTER TABLE orders VALIDATE CONSTRAINT n_not_null;\n"
            "ALTER TABLE orders ALTER COLUMN n SET NOT NULL;");
        const LintResult before = lintSqlText(sql, 110000);
        QCOMPARE(rulesOf(before), QStringList{QStringLiteral("set-not-null-without-check")});
        QVERIFY(before.statements.last().scans);
        QVERIFY(findHazard(before, QStringLiteral("set-not-null-without-check"))->message.contains(QLatin1String("Before PostgreSQL 12")));
        const LintResult after = lintSqlText(sql, 120000);
        QCOMPARE(after.hazardCount(), 0);
        QVERIFY(!after.statements.last().scans);
    }

    void setNotNullNeedsTheCheckValidated()
    {
        // NOT VALID alone proves nothing; a check on another column or table proves nothing either.
        for (const char* sql : {"ALTER TABLE orders ADD CONSTRAINT c CHECK (n IS NOT NULL) NOT VALID;\n"
                                "ALTER TABLE orders ALTER COLUMN n SET NOT NULL;",
                                "ALTER TABLE orders ADD CONSTRAINT c CHECK (m IS NOT NULL) NOT VALID;\n"
                                "ALTER TABLE orders VALIDATE CONSTRAINT c;\nALTER TABLE orders ALTER COLUMN n SET NOT NULL;",
                                "ALTER TABLE customers ADD CONSTRAINT c CHECK (n IS NOT NULL) NOT VALID;\n"
                                "ALTER TABLE customers VALIDATE CONSTRAINT c;\nALTER TABLE orders ALTER COLUMN n SET NOT NULL;",
                                "ALTER TABLE orders ADD CONSTRAINT c CHECK (n IS NOT NULL) NOT VALID;\n"
                                "ALTER TABLE orders VALIDATE CONSTRAINT c;\nALTER TABLE orders DROP CONSTRAINT c;\n"
                                "ALTER TABLE orders ALTER COLUMN n SET NOT NULL;"})
            QVERIFY2(rulesOf(lintSqlText(kTimeout + QString::fromUtf8(sql))).contains(QStringLiteral("set-not-null-without-check")), sql);
        // A check validated at once (it has its own hazard) counts, and so does one the database already has.
        const LintResult direct = lintSqlText(kTimeout + QStringLiteral("ALTER TABLE orders ADD CHECK (n IS NOT NULL);\n"
                                                                 "ALTER TABLE orders ALTER COLUMN n SET NOT NULL;"));
        QCOMPARE(rulesOf(direct), QStringList{QStringLiteral("add-check-without-not-valid")});
        const FixedSchema schema;
        QCOMPARE(lintSqlText(kTimeout + QStringLiteral("ALTER TABLE orders ALTER COLUMN checked SET NOT NULL"), 150000, &schema).hazardCount(), 0);
    }

    void typeChangesThatSkipTheRewrite()
    {
        const FixedSchema schema;
        const LintResult widen = lintSqlText(kTimeout + QStringLiteral("ALTER TABLE orders ALTER COLUMN name TYPE varchar(40)"), 150000, &schema);
        QCOMPARE(widen.hazardCount(), 0);
        QVERIFY(!widen.statements.last().rewrites);
        const LintResult toText = lintSqlText(kTimeout + QStringLiteral("ALTER TABLE public.orders ALTER COLUMN name TYPE text"), 150000, &schema);
        QCOMPARE(toText.hazardCount(), 0);
        const LintResult narrow = lintSqlText(kTimeout + QStringLiteral("ALTER TABLE orders ALTER COLUMN name TYPE varchar(10)"), 150000, &schema);
        const Hazard* h = findHazard(narrow, QStringLiteral("alter-column-type-rewrites"));
        QVERIFY(h);
        QVERIFY2(h->message.contains(QLatin1String("from varchar(20)")), qPrintable(h->message));
        QVERIFY2(h->message.contains(QLatin1String("orders (1.2 GB)")), qPrintable(h->message));
        const LintResult bigint = lintSqlText(kTimeout + QStringLiteral("ALTER TABLE orders ALTER COLUMN id TYPE bigint"), 150000, &schema);
        QVERIFY(findHazard(bigint, QStringLiteral("alter-column-type-rewrites"))->message.contains(QLatin1String("from integer")));
        // USING anything but the column itself computes new values: a rewrite even when the types allow none.
        const LintResult computed = lintSqlText(kTimeout + QStringLiteral("ALTER TABLE orders ALTER COLUMN name TYPE text USING upper(name)"), 150000, &schema);
        QVERIFY(computed.statements.last().rewrites);
        const LintResult same = lintSqlText(kTimeout + QStringLiteral("ALTER TABLE orders ALTER COLUMN name TYPE text USING name::text"), 150000, &schema);
        QCOMPARE(same.hazardCount(), 0);
    }

    void typeChangeWithoutLookupSaysSo()
    {
        const LintResult r = lintSqlText(kTimeout + QStringLiteral("ALTER TABLE orders ALTER COLUMN name TYPE varchar(40)"));
        const Hazard* h = findHazard(r, QStringLiteral("alter-column-type-rewrites"));
        QVERIFY(h);
        QVERIFY2(h->message.contains(QLatin1String("(unknown current type: run with --db to check)")), qPrintable(h->message));
        QVERIFY(r.statements.last().rewrites);
        // A type the text itself gave the column counts.
        const LintResult known = lintSqlText(kTimeout + QStringLiteral("ALTER TABLE orders ADD COLUMN code varchar(10);\n"
                                                                "ALTER TABLE orders ALTER COLUMN code TYPE varchar(40);"));
        QVERIFY2(!rulesOf(known).contains(QStringLiteral("alter-column-type-rewrites")), qPrintable(describe(known)));
    }

    void volatilityFromTheTextOrTheServer()
    {
        const QString unknown = kTimeout + QStringLiteral("ALTER TABLE orders ADD COLUMN code text DEFAULT next_code()");
        const Hazard* guess = findHazard(lintSqlText(unknown), QStringLiteral("add-column-volatile-default"));
        QVERIFY(guess);
        QVERIFY(guess->message.contains(QLatin1String("run with --db to check")));
        const FixedSchema schema;
        const LintResult known = lintSqlText(unknown, 150000, &schema);
        QVERIFY(!findHazard(known, QStringLiteral("add-column-volatile-default"))->message.contains(QLatin1String("--db")));
        QCOMPARE(lintSqlText(kTimeout + QStringLiteral("ALTER TABLE orders ADD COLUMN t text DEFAULT app.tenant()"), 150000, &schema).hazardCount(), 0);
        const LintResult created = lintSqlText(kTimeout + QStringLiteral(
            "CREATE FUNCTION region() RETURNS text LANGUAGE sql IMMUTABLE AS $$SELECT 'eu'$$;\n"
            "ALTER TABLE orders ADD COLUMN region text DEFAULT region();"));
        QCOMPARE(created.hazardCount(), 0);
    }

    void messagesNameTheTableSize()
    {
        const FixedSchema schema;
        const LintResult r = lintSqlText(QStringLiteral("CREATE INDEX orders_code_idx ON public.orders (code)"), 150000, &schema);
        const Hazard* h = findHazard(r, QStringLiteral("create-index-not-concurrently"));
        QVERIFY(h);
        QCOMPARE(h->message, QStringLiteral("CREATE INDEX blocks writes to public.orders (1.2 GB) for the whole build (SHARE lock)"));
        QCOMPARE(humanBytes(schema.tableBytes(QStringLiteral("orders"))), QStringLiteral("1.2 GB"));
        const LintResult fk = lintSqlText(kTimeout + QStringLiteral("ALTER TABLE orders ADD FOREIGN KEY (customer_id) REFERENCES customers (id)"), 150000, &schema);
        QVERIFY(findHazard(fk, QStringLiteral("add-foreign-key-without-not-valid"))->message.contains(QLatin1String("customers (8 MB)")));
    }

    void tablesCreatedInTheTextAreHarmless()
    {
        const LintResult r = lintSqlText(QStringLiteral(
            "CREATE TABLE audit (id bigint, at timestamptz);\n"
            "CREATE INDEX audit_at_idx ON audit (at);\n"
            "ALTER TABLE audit ADD PRIMARY KEY (id);\n"
            "ALTER TABLE audit ADD COLUMN n bigserial;"));
        QVERIFY2(r.hazardCount() == 0, qPrintable(describe(r)));
        QCOMPARE(*r.statements[1].lock, LockMode::Share);   // the lock is still reported
        // ... but CONCURRENTLY in a block fails whatever the table.
        const LintResult block = lintSqlText(QStringLiteral("BEGIN;\nCREATE TABLE audit (id bigint);\n"
                                                     "CREATE INDEX CONCURRENTLY audit_idx ON audit (id);\nCOMMIT;"));
        QCOMPARE(rulesOf(block), QStringList{QStringLiteral("concurrently-in-transaction")});
    }

    void combineOnlyBriefAltersOfOneTable()
    {
        // Other tables, a statement between, or a step that must stay separate: no suggestion.
        for (const char* sql : {"ALTER TABLE orders ADD COLUMN a text;\nALTER TABLE customers ADD COLUMN a text;",
                                "ALTER TABLE orders ADD COLUMN a text;\nSELECT 1;\nALTER TABLE orders ADD COLUMN b text;",
                                "ALTER TABLE orders ADD CONSTRAINT c CHECK (n IS NOT NULL) NOT VALID;\n"
                                "ALTER TABLE orders VALIDATE CONSTRAINT c;",
                                "ALTER TABLE orders ADD CONSTRAINT c CHECK (n IS NOT NULL) NOT VALID;\n"
                                "ALTER TABLE orders VALIDATE CONSTRAINT c;\nALTER TABLE orders ALTER COLUMN n SET NOT NULL;\n"
                                "ALTER TABLE orders DROP CONSTRAINT c;"})
            QVERIFY2(!rulesOf(lintSqlText(kTimeout + QString::fromUtf8(sql))).contains(QStringLiteral("combine-alter-table")), sql);
        const LintResult three = lintSqlText(kTimeout + QStringLiteral("ALTER TABLE orders ADD COLUMN a text;\n"
                                                                "ALTER TABLE orders ALTER COLUMN a SET DEFAULT 'x';\n"
                                                                "ALTER TABLE orders DROP COLUMN legacy;"));
        QCOMPARE(rulesOf(three), (QStringList{QStringLiteral("combine-alter-table"), QStringLiteral("drop-column"),
                                              QStringLiteral("combine-alter-table")}));
        QVERIFY(findHazard(three, QStringLiteral("combine-alter-table"))->message.startsWith(QLatin1String("Statement 2 altered orders")));
    }

    void aLockTheBlockAlreadyHoldsIsNotWaitedFor()
    {
        // Statement 3 needs ACCESS EXCLUSIVE that statement 2 already took in this block: it waits for nothing,
        // so neither a lock_timeout nor merging it into statement 2 would help; after COMMIT the lock is gone.
        const LintResult r = lintSqlText(QStringLiteral("BEGIN;\nALTER TABLE orders ADD COLUMN a text;\n"
                                                        "ALTER TABLE orders ADD COLUMN b text;\nCOMMIT;\n"
                                                        "ALTER TABLE orders ADD COLUMN c text;"));
        QCOMPARE(r.statements.size(), 5);
        QCOMPARE(r.statements[1].hazards.size(), 1);
        QCOMPARE(r.statements[1].hazards[0].rule, QStringLiteral("missing-lock-timeout"));
        QVERIFY2(r.statements[2].hazards.isEmpty(), qPrintable(describe(r)));
        QCOMPARE(r.statements[2].lock, std::optional<LockMode>(LockMode::AccessExclusive));   // still reported
        QCOMPARE(r.statements[4].hazards.size(), 1);
        QCOMPARE(r.statements[4].hazards[0].rule, QStringLiteral("missing-lock-timeout"));
        // A weaker lock held (SHARE from CREATE INDEX) must still be upgraded: that upgrade waits.
        const LintResult upgrade = lintSqlText(QStringLiteral("BEGIN;\nCREATE INDEX i ON orders (a);\n"
                                                              "ALTER TABLE orders ADD COLUMN b text;\nCOMMIT;"));
        QCOMPARE(rulesOf(upgrade), (QStringList{QStringLiteral("create-index-not-concurrently"),
                                                QStringLiteral("missing-lock-timeout")}));
        // ROLLBACK releases it too; another table is another lock.
        const LintResult other = lintSqlText(QStringLiteral("BEGIN;\nALTER TABLE orders ADD COLUMN a text;\nROLLBACK;\n"
                                                            "BEGIN;\nALTER TABLE orders ADD COLUMN a text;\n"
                                                            "ALTER TABLE customers ADD COLUMN a text;\nCOMMIT;"));
        QCOMPARE(rulesOf(other), (QStringList{QStringLiteral("missing-lock-timeout"), QStringLiteral("missing-lock-timeout"),
                                              QStringLiteral("missing-lock-timeout")}));
    }

    void hazardsAttachToTheirStatement()
    {
        const LintResult r = lintSqlText(QStringLiteral("SET lock_timeout = '1s';\nCREATE INDEX i ON orders (a);\n"
                                                 "ALTER TABLE orders DROP COLUMN b;\nSELECT * FROM orders;"));
        QCOMPARE(r.statements.size(), 4);
        QVERIFY(r.statements[0].hazards.isEmpty());
        QCOMPARE(r.statements[1].hazards.size(), 1);
        QCOMPARE(r.statements[1].hazards[0].rule, QStringLiteral("create-index-not-concurrently"));
        QCOMPARE(r.statements[2].hazards.size(), 1);
        QCOMPARE(r.statements[2].hazards[0].rule, QStringLiteral("drop-column"));
        QVERIFY(r.statements[3].hazards.isEmpty());
        QCOMPARE(r.hazardCount(), 2);
    }
};

QTEST_APPLESS_MAIN(TestLintHazards)
#include "test_lint_hazards.moc"
