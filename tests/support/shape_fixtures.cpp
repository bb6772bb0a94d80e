// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/shape_fixtures.h"

namespace lockstep::test {

QString shapeFixtureSql(int rows)
{
    // generate_series keeps the fixture deterministic: the same rows every run.
    return QStringLiteral(R"SQL(
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE TYPE mood AS ENUM ('calm', 'busy', 'hot');
CREATE TABLE customers (id integer PRIMARY KEY, name text NOT NULL);
INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 100) g;
CREATE TABLE items_int (id bigint PRIMARY KEY, qty integer NOT NULL, price numeric(10,2) NOT NULL,
                        name text, status text DEFAULT 'open');
INSERT INTO items_int SELECT g, g % 97, (g % 1000) / 10.0, 'item ' || g, 'open' FROM generate_series(1, %1) g;
CREATE TABLE lines_composite (order_id integer, line_no integer, qty integer NOT NULL,
                              PRIMARY KEY (order_id, line_no));
INSERT INTO lines_composite SELECT g / 10, g % 10, g % 13 FROM generate_series(1, %1) g;
CREATE TABLE codes_text (code text PRIMARY KEY, qty integer);
INSERT INTO codes_text SELECT 'c' || lpad(g::text, 8, '0'), g % 50 FROM generate_series(1, %1) g;
CREATE TABLE events_unique (uid uuid NOT NULL UNIQUE, qty integer NOT NULL, happened timestamptz);
INSERT INTO events_unique SELECT md5(g::text)::uuid, g % 31, '2026-01-01'::timestamptz + g * interval '1 s'
  FROM generate_series(1, %1) g;
CREATE TABLE logs_nokey (qty integer NOT NULL, msg text);
INSERT INTO logs_nokey SELECT g % 17 - 8, 'log ' || g FROM generate_series(1, %1) g;
CREATE SCHEMA sales;
CREATE TABLE sales."Order Items" ("Item ID" integer PRIMARY KEY, "Qty" integer NOT NULL,
                                  "Unit Price" numeric(10,2) NOT NULL, "Mood" mood);
INSERT INTO sales."Order Items" SELECT g, g % 9 + 1, (g % 500) / 4.0, 'calm' FROM generate_series(1, %1) g;
ANALYZE;
)SQL").arg(rows);
}

namespace {
ChangeShape shape(const QString& name, const QStringList& flags, const QString& schema, const QString& table,
                  const QString& column, const QString& type, const QString& verifyExpr)
{
    ChangeShape c;
    c.name = name;
    c.flags = flags;
    c.schema = schema;
    c.table = table;
    c.column = column;
    c.expectedType = type;
    c.verifyExpr = verifyExpr;
    return c;
}
} // namespace

QVector<ChangeShape> changeShapes()
{
    QVector<ChangeShape> s;
    auto add = [&](ChangeShape c) { s.push_back(std::move(c)); };
    const QString pub = QStringLiteral("public");

    add(shape(QStringLiteral("add_nullable"), {"--table", "items_int", "--add-column", "note", "--type", "text"},
              pub, "items_int", "note", "text", "NULL::text"));
    {
        ChangeShape c = shape(QStringLiteral("add_constant_default"),
                      {"--table", "items_int", "--add-column", "state", "--type", "varchar(20)", "--default", "'new'"},
                      pub, "items_int", "state", "character varying(20)", "'new'::varchar(20)");
        c.expectedDefault = QStringLiteral("'new'");
        add(c);
    }
    {
        ChangeShape c = shape(QStringLiteral("add_volatile_default_not_null"),
                      {"--table", "items_int", "--add-column", "token", "--type", "uuid", "--default", "gen_random_uuid()", "--not-null"},
                      pub, "items_int", "token", "uuid", "");
        c.notNull = true;
        c.expectedDefault = QStringLiteral("gen_random_uuid()");
        add(c);
    }
    {
        ChangeShape c = shape(QStringLiteral("add_not_null_backfill"),
                      {"--table", "items_int", "--add-column", "total", "--type", "numeric(12,2)", "--backfill", "qty * price", "--not-null"},
                      pub, "items_int", "total", "numeric(12,2)", "(qty * price)::numeric(12,2)");
        c.notNull = true;
        add(c);
    }
    {
        ChangeShape c = shape(QStringLiteral("add_unique_text_key"),
                      {"--table", "codes_text", "--add-column", "code_upper", "--type", "text", "--backfill", "upper(code)", "--unique", "--not-null"},
                      pub, "codes_text", "code_upper", "text", "upper(code)");
        c.notNull = c.unique = true;
        add(c);
    }
    {
        ChangeShape c = shape(QStringLiteral("add_index_composite_key"),
                      {"--table", "lines_composite", "--add-column", "qty_double", "--type", "bigint", "--backfill", "qty * 2", "--index", "--not-null"},
                      pub, "lines_composite", "qty_double", "bigint", "(qty * 2)::bigint");
        c.notNull = c.index = true;
        add(c);
    }
    {
        ChangeShape c = shape(QStringLiteral("add_foreign_key"),
                      {"--table", "items_int", "--add-column", "customer_id", "--type", "integer", "--backfill", "(id % 100) + 1",
                       "--references", "customers(id)", "--on-delete", "set null"},
                      pub, "items_int", "customer_id", "integer", "((id % 100) + 1)::integer");
        c.foreignKey = true;
        add(c);
    }
    {
        ChangeShape c = shape(QStringLiteral("add_check_no_key"),
                      {"--table", "logs_nokey", "--add-column", "qty_abs", "--type", "integer", "--backfill", "abs(qty)",
                       "--check", "qty_abs >= 0", "--not-null"},
                      pub, "logs_nokey", "qty_abs", "integer", "abs(qty)");
        c.notNull = c.check = true;
        add(c);
    }
    {
        ChangeShape c = shape(QStringLiteral("add_everything_unique_key"),
                      {"--table", "events_unique", "--add-column", "score", "--type", "bigint", "--default", "0",
                       "--backfill", "qty * 10", "--not-null", "--index", "--check", "score >= 0"},
                      pub, "events_unique", "score", "bigint", "(qty * 10)::bigint");
        c.notNull = c.index = c.check = true;
        c.expectedDefault = QStringLiteral("0");
        add(c);
    }
    {
        ChangeShape c = shape(QStringLiteral("replace_retype_int_to_bigint"),
                      {"--table", "items_int", "--replace-column", "qty", "--new-name", "qty_big", "--type", "bigint"},
                      pub, "items_int", "qty_big", "bigint", "qty::bigint");
        c.replace = true;
        add(c);
    }
    {
        ChangeShape c = shape(QStringLiteral("replace_rename_composite"),
                      {"--table", "lines_composite", "--replace-column", "qty", "--new-name", "quantity", "--type", "integer", "--not-null"},
                      pub, "lines_composite", "quantity", "integer", "qty");
        c.replace = c.notNull = true;
        add(c);
    }
    {
        ChangeShape c = shape(QStringLiteral("replace_transform_text_key"),
                      {"--table", "codes_text", "--replace-column", "qty", "--new-name", "qty_cents", "--type", "bigint",
                       "--backfill", "qty * 100"},
                      pub, "codes_text", "qty_cents", "bigint", "(qty * 100)::bigint");
        c.replace = true;
        add(c);
    }
    {
        ChangeShape c = shape(QStringLiteral("add_quoted_mixed_case"),
                      {"--table", "sales.\"Order Items\"", "--add-column", "Total €", "--type", "numeric(14,2)",
                       "--backfill", "\"Qty\" * \"Unit Price\"", "--not-null", "--index"},
                      QStringLiteral("sales"), "Order Items", "Total €", "numeric(14,2)", "(\"Qty\" * \"Unit Price\")::numeric(14,2)");
        c.notNull = c.index = true;
        add(c);
    }
    {
        ChangeShape c = shape(QStringLiteral("replace_quoted_enum_to_text"),
                      {"--table", "sales.\"Order Items\"", "--replace-column", "Mood", "--new-name", "Mood Text", "--type", "text"},
                      QStringLiteral("sales"), "Order Items", "Mood Text", "text", "\"Mood\"::text");
        c.replace = true;
        add(c);
    }
    return s;
}

} // namespace lockstep::test
