// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Hand-built snapshots and resolved changes for the planner's unit tests: the tables of
// tests/support/shape_fixtures.cpp as the catalog reader would describe them, on any server version.
#include "core/change/resolved_change.h"
#include "core/pg/table_snapshot.h"

#include <QString>
#include <QStringList>

namespace lockstep::test {

enum class KeyShape { IntPk, CompositePk, TextPk, UniqueNotNull, NoKey, QuotedPk };

inline QString keyShapeName(KeyShape k)
{
    switch (k) {
    case KeyShape::IntPk: return QStringLiteral("int_pk");
    case KeyShape::CompositePk: return QStringLiteral("composite_pk");
    case KeyShape::TextPk: return QStringLiteral("text_pk");
    case KeyShape::UniqueNotNull: return QStringLiteral("unique_not_null");
    case KeyShape::NoKey: return QStringLiteral("no_key");
    case KeyShape::QuotedPk: return QStringLiteral("quoted");
    }
    return QString();
}

inline QString versionString(int num)
{
    return QStringLiteral("%1.%2").arg(num / 10000).arg(num % 100);
}

inline ColumnInfo col(const QString& name, const QString& type, bool notNull, int attnum, const QString& def = QString())
{
    ColumnInfo c;
    c.name = name;
    c.type = type;
    c.notNull = notNull;
    c.attnum = attnum;
    c.defaultExpr = def;
    return c;
}

// Every table has an integer "qty" column to compute from (quoted: "Qty"), so one change fits all.
inline TableSnapshot snapshotFor(KeyShape shape, int version = 150004)
{
    TableSnapshot t;
    t.serverVersionNum = version;
    t.serverVersion = versionString(version);
    t.oid = 16400;
    t.schema = QStringLiteral("public");
    t.relpages = 1000;
    t.heapBytes = 1000 * 8192;
    t.totalBytes = 2 * t.heapBytes;
    t.rowEstimate = 100000;
    auto pk = [&](BackfillKey::Kind kind, const QStringList& cols, const QStringList& types, const QString& index) {
        t.key.kind = kind;
        t.key.columns = cols;
        t.key.types = types;
        t.key.indexName = index;
        IndexInfo i;
        i.name = index;
        i.unique = true;
        i.primary = kind == BackfillKey::Kind::PrimaryKey;
        i.columns = cols;
        t.indexes << i;
        ConstraintInfo c;
        c.name = index;
        c.type = i.primary ? 'p' : 'u';
        c.columns = cols;
        t.constraints << c;
    };
    switch (shape) {
    case KeyShape::IntPk:
        t.name = QStringLiteral("items_int");
        t.columns = {col("id", "bigint", true, 1), col("qty", "integer", true, 2), col("price", "numeric(10,2)", true, 3),
                     col("name", "text", false, 4), col("status", "text", false, 5, "'open'::text")};
        pk(BackfillKey::Kind::PrimaryKey, {"id"}, {"bigint"}, "items_int_pkey");
        break;
    case KeyShape::CompositePk:
        t.name = QStringLiteral("lines_composite");
        t.columns = {col("order_id", "integer", true, 1), col("line_no", "integer", true, 2), col("qty", "integer", true, 3)};
        pk(BackfillKey::Kind::PrimaryKey, {"order_id", "line_no"}, {"integer", "integer"}, "lines_composite_pkey");
        break;
    case KeyShape::TextPk:
        t.name = QStringLiteral("codes_text");
        t.columns = {col("code", "text", true, 1), col("qty", "integer", false, 2)};
        pk(BackfillKey::Kind::PrimaryKey, {"code"}, {"text"}, "codes_text_pkey");
        break;
    case KeyShape::UniqueNotNull:
        t.name = QStringLiteral("events_unique");
        t.columns = {col("uid", "uuid", true, 1), col("qty", "integer", true, 2), col("happened", "timestamp with time zone", false, 3)};
        pk(BackfillKey::Kind::UniqueNotNull, {"uid"}, {"uuid"}, "events_unique_uid_key");
        break;
    case KeyShape::NoKey:
        t.name = QStringLiteral("logs_nokey");
        t.columns = {col("qty", "integer", true, 1), col("msg", "text", false, 2)};
        t.key.kind = BackfillKey::Kind::Ctid;
        break;
    case KeyShape::QuotedPk:
        t.schema = QStringLiteral("sales");
        t.name = QStringLiteral("Order Items");
        t.columns = {col("Item ID", "integer", true, 1), col("Qty", "integer", true, 2),
                     col("Unit Price", "numeric(10,2)", true, 3), col("Mood", "mood", false, 4)};
        pk(BackfillKey::Kind::PrimaryKey, {"Item ID"}, {"integer"}, "Order Items_pkey");
        break;
    }
    return t;
}

// The column the changes compute from, as written in an expression.
inline QString qtyRef(const TableSnapshot& t)
{
    return t.name == QLatin1String("Order Items") ? QStringLiteral("\"Qty\"") : QStringLiteral("qty");
}
inline QString qtyName(const TableSnapshot& t)
{
    return t.name == QLatin1String("Order Items") ? QStringLiteral("Qty") : QStringLiteral("qty");
}
inline QString newColumnName(const TableSnapshot& t, const QString& plain)
{
    return t.name == QLatin1String("Order Items") ? QStringLiteral("Total €") : plain;
}

inline ResolvedChange addChange(const TableSnapshot& t, const QString& column, const QString& type)
{
    ResolvedChange r;
    r.change.kind = NewColumnChange::Kind::Add;
    r.change.table = t.schema + QLatin1Char('.') + t.name;
    r.change.column = column;
    r.change.type = type;
    r.type = type;
    return r;
}

inline void setBackfill(ResolvedChange* r, const QString& expr, const QStringList& sources)
{
    r->change.backfill = expr;
    r->backfillExpr = expr;
    r->backfillSourceColumns = sources;
    r->backfillCopiesColumn = false;   // a test that copies a column says so, as the parser would
}

inline void setDefault(ResolvedChange* r, const QString& expr, bool isVolatile)
{
    r->change.defaultExpr = expr;
    r->defaultExpr = expr;
    r->defaultVolatile = isVolatile;
    if (isVolatile && !r->backfillExpr) {
        r->backfillExpr = expr;   // what the resolver does: a volatile default fills existing rows
        r->backfillVolatile = true;
    }
}

inline void setForeignKey(ResolvedChange* r, const QString& onDelete)
{
    r->change.referencesTable = QStringLiteral("customers");
    r->change.referencesColumn = QStringLiteral("id");
    r->change.onDelete = onDelete;
    r->refSchema = QStringLiteral("public");
    r->refTable = QStringLiteral("customers");
    r->refColumn = QStringLiteral("id");
    r->onDelete = onDelete.toUpper();
}

inline void setCheck(ResolvedChange* r, const QString& expr)
{
    r->change.check = expr;
    r->check = expr;
}

inline ResolvedChange replaceChange(const TableSnapshot& t, const QString& oldColumn, const QString& newColumn,
                                    const QString& type)
{
    ResolvedChange r;
    r.change.kind = NewColumnChange::Kind::Replace;
    r.change.table = t.schema + QLatin1Char('.') + t.name;
    r.change.oldColumn = oldColumn;
    r.change.column = newColumn;
    r.change.type = type;
    r.type = type;
    const ColumnInfo* old = t.column(oldColumn);
    r.oldType = old ? old->type : QString();
    QString quoted = oldColumn;
    quoted.replace(QLatin1Char('"'), QLatin1String("\"\""));
    r.backfillExpr = QStringLiteral("\"%1\"::%2").arg(quoted, type);
    r.backfillSourceColumns = QStringList{oldColumn};
    r.backfillCopiesColumn = true;   // the resolver's conversion: the old column, cast
    return r;
}

// The change shapes the planner must handle, by name, on a given table.
inline QStringList shapeNames()
{
    return {"add_nullable", "add_constant_default", "add_volatile_default", "add_not_null_backfill", "unique",
            "index", "foreign_key", "check", "everything", "replace_int_to_bigint", "replace_rename",
            "replace_transform"};
}

inline ResolvedChange shapeChange(const QString& shape, const TableSnapshot& t)
{
    const QString qty = qtyRef(t);
    const QStringList sources{qtyName(t)};
    ResolvedChange r;
    if (shape == QLatin1String("add_nullable")) {
        r = addChange(t, newColumnName(t, "note"), "text");
    } else if (shape == QLatin1String("add_constant_default")) {
        r = addChange(t, newColumnName(t, "state"), "character varying(20)");
        setDefault(&r, "'new'", false);
    } else if (shape == QLatin1String("add_volatile_default")) {
        r = addChange(t, newColumnName(t, "token"), "uuid");
        setDefault(&r, "gen_random_uuid()", true);
        r.change.notNull = true;
    } else if (shape == QLatin1String("add_not_null_backfill")) {
        r = addChange(t, newColumnName(t, "total"), "numeric(12,2)");
        setBackfill(&r, qty + " * 2.5", sources);
        r.change.notNull = true;
    } else if (shape == QLatin1String("unique")) {
        r = addChange(t, newColumnName(t, "code_copy"), "text");
        setBackfill(&r, "'k' || " + qty, sources);
        r.change.unique = true;
    } else if (shape == QLatin1String("index")) {
        r = addChange(t, newColumnName(t, "qty_double"), "bigint");
        setBackfill(&r, qty + " * 2", sources);
        r.change.index = true;
    } else if (shape == QLatin1String("foreign_key")) {
        r = addChange(t, newColumnName(t, "customer_id"), "integer");
        setBackfill(&r, "(" + qty + " % 100) + 1", sources);
        setForeignKey(&r, "set null");
    } else if (shape == QLatin1String("check")) {
        r = addChange(t, newColumnName(t, "qty_abs"), "integer");
        setBackfill(&r, "abs(" + qty + ")", sources);
        setCheck(&r, "qty_abs >= 0");
    } else if (shape == QLatin1String("everything")) {
        r = addChange(t, newColumnName(t, "score"), "bigint");
        setDefault(&r, "0", false);
        setBackfill(&r, qty + " * 10", sources);
        r.change.notNull = r.change.unique = r.change.index = true;
        setForeignKey(&r, "cascade");
        setCheck(&r, "score >= 0");
    } else if (shape == QLatin1String("replace_int_to_bigint")) {
        r = replaceChange(t, qtyName(t), newColumnName(t, "qty_big"), "bigint");
    } else if (shape == QLatin1String("replace_rename")) {
        r = replaceChange(t, qtyName(t), newColumnName(t, "quantity"), "integer");
        r.change.notNull = true;
    } else if (shape == QLatin1String("replace_transform")) {
        r = replaceChange(t, qtyName(t), newColumnName(t, "qty_cents"), "bigint");
        setBackfill(&r, qty + " * 100", sources);
    }
    return r;
}

} // namespace lockstep::test
