// SPDX-License-Identifier: GPL-3.0-or-later
// readTableSnapshot on real tables of every key shape: identity, sizes, row estimates (analyzed, never
// analyzed, partitioned), columns with their types and defaults, indexes, constraints, user triggers,
// and the key the backfill walks.
#include "core/pg/catalog_reader.h"
#include "tests/support/pg_fixture.h"
#include "tests/support/shape_fixtures.h"

#include <QtTest>

using namespace lockstep;
using namespace lockstep::test;

namespace {
// More shapes than the shared fixture: key choice between several unique indexes, never-analyzed and
// partitioned tables, triggers, a NOT VALID check, an invalid index.
const char* kExtraSql = R"SQL(
CREATE TABLE keys_choice (big_code text NOT NULL, small_id integer NOT NULL, nullable_id integer,
                          part_id integer NOT NULL, expr_code text NOT NULL, other integer);
CREATE UNIQUE INDEX keys_choice_big ON keys_choice (big_code);
CREATE UNIQUE INDEX keys_choice_small ON keys_choice (small_id);
CREATE UNIQUE INDEX keys_choice_nullable ON keys_choice (nullable_id);
CREATE UNIQUE INDEX keys_choice_partial ON keys_choice (part_id) WHERE part_id > 0;
CREATE UNIQUE INDEX keys_choice_expr ON keys_choice (lower(expr_code));
CREATE INDEX keys_choice_plain ON keys_choice (other);
INSERT INTO keys_choice SELECT repeat('x', 200) || g, g, g, g, 'c' || g, g FROM generate_series(1, 2000) g;
ALTER TABLE keys_choice ADD CONSTRAINT keys_choice_other_positive CHECK (other > 0) NOT VALID;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER keys_choice_touch BEFORE UPDATE ON keys_choice FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TABLE orders_fk (id integer PRIMARY KEY, customer_id integer REFERENCES customers (id));
CREATE TABLE never_analyzed (id integer, note text) WITH (autovacuum_enabled = false);
INSERT INTO never_analyzed SELECT g, 'n' || g FROM generate_series(1, 777) g;
CREATE TABLE empty_never_analyzed (id integer) WITH (autovacuum_enabled = false);
CREATE TABLE measurements (id bigint NOT NULL, at date NOT NULL, value numeric, PRIMARY KEY (id, at))
    PARTITION BY RANGE (at);
CREATE TABLE measurements_2025 PARTITION OF measurements FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE measurements_2026 PARTITION OF measurements FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
INSERT INTO measurements SELECT g, '2025-06-01'::date + (g % 400), g FROM generate_series(1, 3000) g;
CREATE TABLE dup_values (v integer NOT NULL);
INSERT INTO dup_values VALUES (1), (1);
ANALYZE keys_choice, orders_fk, measurements, measurements_2025, measurements_2026, dup_values;
)SQL";

quint32 oidOf(pg::Connection& c, const QString& name)
{
    return c.exec(QStringLiteral("SELECT to_regclass($1)::oid"), {name}).value(0, 0).toUInt();
}

const IndexInfo* indexNamed(const TableSnapshot& t, const QString& name)
{
    for (const auto& i : t.indexes)
        if (i.name == name)
            return &i;
    return nullptr;
}

const ConstraintInfo* constraintNamed(const TableSnapshot& t, const QString& name)
{
    for (const auto& c : t.constraints)
        if (c.name == name)
            return &c;
    return nullptr;
}
} // namespace

class TestCatalogReader : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        m_db = freshDatabase(QStringLiteral("catalog"));
        m_conn = lockstep::test::connect(m_db);
        m_conn->execScript(shapeFixtureSql(1000));
        m_conn->execScript(QString::fromUtf8(kExtraSql));
        // An INVALID unique index: a concurrent build that fails on duplicates leaves one behind.
        try {
            m_conn->exec(QStringLiteral("CREATE UNIQUE INDEX CONCURRENTLY dup_values_v ON dup_values (v)"));
            QFAIL("the duplicate values did not stop the unique index");
        } catch (const pg::PgException&) {
        }
    }

    void integerPrimaryKey()
    {
        const TableSnapshot t = pg::readTableSnapshot(*m_conn, oidOf(*m_conn, QStringLiteral("items_int")));
        QCOMPARE(t.serverVersionNum, m_conn->serverVersionNum());
        QVERIFY(t.serverVersionNum >= 150000);
        QVERIFY(t.serverVersion.startsWith(QLatin1String("15")));
        QCOMPARE(t.schema, QStringLiteral("public"));
        QCOMPARE(t.name, QStringLiteral("items_int"));
        QCOMPARE(t.relkind, 'r');
        QVERIFY(t.heapBytes > 0);
        QVERIFY(t.totalBytes > t.heapBytes);     // + the primary key index
        QVERIFY(t.relpages > 0);
        QCOMPARE(t.heapBytes, t.relpages * 8192);
        QCOMPARE(t.rowEstimate, 1000.0);
        QCOMPARE(t.key.kind, BackfillKey::Kind::PrimaryKey);
        QCOMPARE(t.key.columns, QStringList{QStringLiteral("id")});
        QCOMPARE(t.key.types, QStringList{QStringLiteral("bigint")});
        QCOMPARE(t.key.indexName, QStringLiteral("items_int_pkey"));
        QCOMPARE(t.columns.size(), 5);
        QCOMPARE(t.columns[0].name, QStringLiteral("id"));
        QCOMPARE(t.columns[0].attnum, 1);
        QVERIFY(t.columns[0].notNull);
        QCOMPARE(t.column(QStringLiteral("price"))->type, QStringLiteral("numeric(10,2)"));
        QVERIFY(t.column(QStringLiteral("price"))->notNull);
        QVERIFY(!t.column(QStringLiteral("name"))->notNull);
        QCOMPARE(t.column(QStringLiteral("status"))->defaultExpr, QStringLiteral("'open'::text"));
        QVERIFY(t.column(QStringLiteral("name"))->defaultExpr.isEmpty());
        QVERIFY(!t.column(QStringLiteral("nope")));
        QCOMPARE(t.indexes.size(), 1);
        QVERIFY(t.indexes[0].primary && t.indexes[0].unique && t.indexes[0].valid);
        QVERIFY(t.indexes[0].definition.startsWith(QLatin1String("CREATE UNIQUE INDEX items_int_pkey")));
        const ConstraintInfo* pk = constraintNamed(t, QStringLiteral("items_int_pkey"));
        QVERIFY(pk);
        QCOMPARE(pk->type, 'p');
        QCOMPARE(pk->columns, QStringList{QStringLiteral("id")});
        QVERIFY(t.triggerNames.isEmpty());
    }

    void compositePrimaryKey()
    {
        const TableSnapshot t = pg::readTableSnapshot(*m_conn, oidOf(*m_conn, QStringLiteral("lines_composite")));
        QCOMPARE(t.key.kind, BackfillKey::Kind::PrimaryKey);
        QCOMPARE(t.key.columns, (QStringList{"order_id", "line_no"}));
        QCOMPARE(t.key.types, (QStringList{"integer", "integer"}));
    }

    void textPrimaryKey()
    {
        const TableSnapshot t = pg::readTableSnapshot(*m_conn, oidOf(*m_conn, QStringLiteral("codes_text")));
        QCOMPARE(t.key.kind, BackfillKey::Kind::PrimaryKey);
        QCOMPARE(t.key.columns, QStringList{QStringLiteral("code")});
        QCOMPARE(t.key.types, QStringList{QStringLiteral("text")});
    }

    void uniqueNotNullKey()
    {
        const TableSnapshot t = pg::readTableSnapshot(*m_conn, oidOf(*m_conn, QStringLiteral("events_unique")));
        QCOMPARE(t.key.kind, BackfillKey::Kind::UniqueNotNull);
        QCOMPARE(t.key.columns, QStringList{QStringLiteral("uid")});
        QCOMPARE(t.key.types, QStringList{QStringLiteral("uuid")});
        QCOMPARE(t.key.indexName, QStringLiteral("events_unique_uid_key"));
        QCOMPARE(constraintNamed(t, QStringLiteral("events_unique_uid_key"))->type, 'u');
    }

    void noKeyMeansCtid()
    {
        const TableSnapshot t = pg::readTableSnapshot(*m_conn, oidOf(*m_conn, QStringLiteral("logs_nokey")));
        QCOMPARE(t.key.kind, BackfillKey::Kind::Ctid);
        QVERIFY(t.key.columns.isEmpty());
        QVERIFY(t.key.indexName.isEmpty());
        QVERIFY(t.indexes.isEmpty());
        QCOMPARE(t.rowEstimate, 1000.0);
    }

    void quotedMixedCaseNames()
    {
        const TableSnapshot t = pg::readTableSnapshot(*m_conn, oidOf(*m_conn, QStringLiteral("sales.\"Order Items\"")));
        QCOMPARE(t.schema, QStringLiteral("sales"));
        QCOMPARE(t.name, QStringLiteral("Order Items"));
        QCOMPARE(t.key.columns, QStringList{QStringLiteral("Item ID")});
        QCOMPARE(t.column(QStringLiteral("Unit Price"))->type, QStringLiteral("numeric(10,2)"));
        QCOMPARE(t.column(QStringLiteral("Mood"))->type, QStringLiteral("mood"));
        QVERIFY(t.rowEstimate > 0);
    }

    void smallestUsableUniqueIndexIsTheKey()
    {
        const TableSnapshot t = pg::readTableSnapshot(*m_conn, oidOf(*m_conn, QStringLiteral("keys_choice")));
        // big_code's index is larger; nullable_id may hold NULLs; the partial and expression indexes do not
        // cover every row by plain columns.
        QCOMPARE(t.key.kind, BackfillKey::Kind::UniqueNotNull);
        QCOMPARE(t.key.indexName, QStringLiteral("keys_choice_small"));
        QCOMPARE(t.key.columns, QStringList{QStringLiteral("small_id")});
        QCOMPARE(t.indexes.size(), 6);
        QVERIFY(indexNamed(t, QStringLiteral("keys_choice_expr"))->columns.isEmpty());
        QVERIFY(indexNamed(t, QStringLiteral("keys_choice_expr"))->unique);
        QVERIFY(!indexNamed(t, QStringLiteral("keys_choice_plain"))->unique);
        const ConstraintInfo* check = constraintNamed(t, QStringLiteral("keys_choice_other_positive"));
        QVERIFY(check);
        QCOMPARE(check->type, 'c');
        QVERIFY(!check->validated);
        QCOMPARE(check->columns, QStringList{QStringLiteral("other")});
        QVERIFY(check->definition.contains(QLatin1String("NOT VALID")));
        QCOMPARE(t.triggerNames, QStringList{QStringLiteral("keys_choice_touch")});
    }

    void invalidIndexIsNeverTheKey()
    {
        const TableSnapshot t = pg::readTableSnapshot(*m_conn, oidOf(*m_conn, QStringLiteral("dup_values")));
        QCOMPARE(t.indexes.size(), 1);
        QVERIFY(!t.indexes[0].valid);
        QVERIFY(t.indexes[0].unique);
        QCOMPARE(t.key.kind, BackfillKey::Kind::Ctid);
    }

    void foreignKeysAndTheirInternalTriggers()
    {
        const TableSnapshot t = pg::readTableSnapshot(*m_conn, oidOf(*m_conn, QStringLiteral("orders_fk")));
        const ConstraintInfo* fk = constraintNamed(t, QStringLiteral("orders_fk_customer_id_fkey"));
        QVERIFY(fk);
        QCOMPARE(fk->type, 'f');
        QCOMPARE(fk->columns, QStringList{QStringLiteral("customer_id")});
        QVERIFY(fk->definition.contains(QLatin1String("REFERENCES customers(id)")));
        QVERIFY(t.triggerNames.isEmpty());   // the foreign key's own triggers are internal
        QCOMPARE(t.rowEstimate, 0.0);
        const TableSnapshot customers = pg::readTableSnapshot(*m_conn, oidOf(*m_conn, QStringLiteral("customers")));
        QVERIFY(customers.triggerNames.isEmpty());
    }

    void neverAnalyzedSmallTableIsCounted()
    {
        const TableSnapshot t = pg::readTableSnapshot(*m_conn, oidOf(*m_conn, QStringLiteral("never_analyzed")));
        QCOMPARE(m_conn->exec(QStringLiteral("SELECT reltuples FROM pg_class WHERE relname = 'never_analyzed'")).value(0, 0),
                 QStringLiteral("-1"));
        QCOMPARE(t.rowEstimate, 777.0);
        QVERIFY(t.heapBytes > 0);
        // Too big to count (here: one page is too many): unknown.
        const TableSnapshot big = pg::readTableSnapshot(*m_conn, t.oid, 1);
        QCOMPARE(big.rowEstimate, -1.0);
        QCOMPARE(big.heapBytes, t.heapBytes);
        const TableSnapshot empty = pg::readTableSnapshot(*m_conn, oidOf(*m_conn, QStringLiteral("empty_never_analyzed")));
        QCOMPARE(empty.rowEstimate, 0.0);
        QCOMPARE(empty.heapBytes, qint64(0));
    }

    void partitionedTableSumsItsPartitions()
    {
        const TableSnapshot t = pg::readTableSnapshot(*m_conn, oidOf(*m_conn, QStringLiteral("measurements")));
        QCOMPARE(t.relkind, 'p');
        QCOMPARE(t.rowEstimate, 3000.0);
        const qint64 leaves = m_conn->exec(QStringLiteral(
            "SELECT pg_relation_size('measurements_2025') + pg_relation_size('measurements_2026')")).value(0, 0).toLongLong();
        QCOMPARE(t.heapBytes, leaves);
        QVERIFY(t.heapBytes > 0);
        QVERIFY(t.totalBytes > t.heapBytes);
        QVERIFY(t.relpages > 0);
        QCOMPARE(t.key.kind, BackfillKey::Kind::PrimaryKey);
        QCOMPARE(t.key.columns, (QStringList{"id", "at"}));
        QCOMPARE(t.key.types, (QStringList{"bigint", "date"}));
    }

    void missingOidThrows()
    {
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, pg::readTableSnapshot(*m_conn, 4000000000u));
    }

    void everyQueryReadsOnly()
    {
        // The same reads inside a read-only transaction: nothing in them writes.
        m_conn->exec(QStringLiteral("BEGIN READ ONLY"));
        const TableSnapshot t = pg::readTableSnapshot(*m_conn, oidOf(*m_conn, QStringLiteral("never_analyzed")));
        m_conn->exec(QStringLiteral("ROLLBACK"));
        QCOMPARE(t.rowEstimate, 777.0);
    }

private:
    QString m_db;
    std::unique_ptr<pg::Connection> m_conn;
};

QTEST_GUILESS_MAIN(TestCatalogReader)
#include "test_catalog_reader.moc"
