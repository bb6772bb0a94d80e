// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/real_schemas.h"

#include "core/pg/pg_error.h"

#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <stdexcept>

namespace lockstep::test {

QStringList loadRealSchema(pg::Connection& c, const QString& fileName)
{
    QFile file(QStringLiteral(LOCKSTEP_SOURCE_DIR "/tests/data/schemas/") + fileName);
    if (!file.open(QIODevice::ReadOnly))
        throw std::runtime_error("cannot read " + file.fileName().toStdString());
    QString sql = QString::fromUtf8(file.readAll());

    QSet<QString> available;
    const pg::Result ext = c.exec(QStringLiteral("SELECT name FROM pg_available_extensions"));
    for (int i = 0; i < ext.rows(); ++i)
        available.insert(ext.value(i, 0));
    QStringList leftOut;
    static const QRegularExpression createExtension(QStringLiteral(R"(^CREATE EXTENSION IF NOT EXISTS (\w+)[^;]*;$)"),
                                                    QRegularExpression::MultilineOption);
    for (auto it = createExtension.globalMatch(sql); it.hasNext();) {
        const auto m = it.next();
        if (!available.contains(m.captured(1)))
            leftOut << m.captured(0);
    }
    for (const QString& statement : leftOut)
        sql.replace(statement, QStringLiteral("-- left out (not on this server): ") + statement);
    c.execScript(sql);
    // The dump emptied search_path for its session: give it back.
    c.exec(QStringLiteral("SELECT pg_catalog.set_config('search_path', '\"$user\", public', false)"));
    return leftOut;
}

QVector<RealTable> applicationTables(pg::Connection& c)
{
    const pg::Result r = c.exec(QStringLiteral(
        "SELECT n.nspname, c.relname, c.relkind = 'p', "
        "       (SELECT attname FROM pg_attribute WHERE attrelid = c.oid AND attnum > 0 AND NOT attisdropped "
        "        ORDER BY attnum LIMIT 1) "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition "
        "  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%' "
        "  AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e') "
        "ORDER BY 1, 2"));
    QVector<RealTable> out;
    for (int i = 0; i < r.rows(); ++i) {
        RealTable t;
        t.schema = r.value(i, 0);
        t.name = r.value(i, 1);
        t.partitioned = r.value(i, 2) == QLatin1String("t");
        t.firstColumn = r.value(i, 3);
        t.qualified = c.quoteIdent(t.schema) + QLatin1Char('.') + c.quoteIdent(t.name);
        out << t;
    }
    return out;
}

namespace {

struct ColumnInfo {
    QString name;
    QString type;        // format_type(), with its length
    QString baseType;    // pg_type.typname, a domain's base type
    QChar category;      // pg_type.typcategory of the base type
    bool isEnum = false;
    bool notNull = false;
    bool hasDefault = false;
};

// The value of row `g` (the generate_series column) for `col`, as an SQL expression of its type.
QString syntheticValue(const ColumnInfo& col)
{
    QString v;
    const QString& t = col.baseType;
    if (col.isEnum)
        v = QStringLiteral("(enum_range(NULL::%1))[1 + g % cardinality(enum_range(NULL::%1))]").arg(col.type);
    else if (col.category == QLatin1Char('A'))
        v = QStringLiteral("'{}'");
    else if (t == QLatin1String("bool"))
        v = QStringLiteral("g % 2 = 0");
    else if (col.category == QLatin1Char('N'))
        v = QStringLiteral("g");
    else if (t == QLatin1String("uuid"))
        v = QStringLiteral("md5(g::text)::uuid");
    else if (t == QLatin1String("json") || t == QLatin1String("jsonb"))
        v = QStringLiteral("'{\"n\": ' || g || '}'");
    else if (t == QLatin1String("bytea"))
        v = QStringLiteral("decode(md5(g::text), 'hex')");
    else if (t == QLatin1String("date") || t == QLatin1String("timestamp") || t == QLatin1String("timestamptz"))
        v = QStringLiteral("timestamp '2024-01-01' + g * interval '1 minute'");
    else if (t == QLatin1String("time") || t == QLatin1String("timetz"))
        v = QStringLiteral("time '00:00' + g * interval '1 second'");
    else if (t == QLatin1String("interval"))
        v = QStringLiteral("g * interval '1 second'");
    else if (t == QLatin1String("inet") || t == QLatin1String("cidr"))
        v = QStringLiteral("'10.' || (g / 65536) % 256 || '.' || (g / 256) % 256 || '.' || g % 256");
    else if (t == QLatin1String("tsvector"))
        v = QStringLiteral("to_tsvector('simple', 'v' || g)");
    else if (t == QLatin1String("point"))
        v = QStringLiteral("point(g, g)");
    else if (col.category == QLatin1Char('S'))
        v = QStringLiteral("'v' || g");
    else
        return col.notNull ? QStringLiteral("''::%1").arg(col.type) : QStringLiteral("NULL::%1").arg(col.type);
    return QStringLiteral("(%1)::%2").arg(v, col.type);
}

QVector<ColumnInfo> writableColumns(pg::Connection& c, const RealTable& table)
{
    const pg::Result r = c.exec(QStringLiteral(
        "SELECT a.attname, format_type(a.atttypid, a.atttypmod), b.typname, b.typcategory, b.typtype = 'e', "
        "       a.attnotnull, a.atthasdef "
        "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
        "JOIN pg_type b ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END "
        "WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped "
        "  AND a.attgenerated = '' AND a.attidentity = '' "
        "ORDER BY a.attnum"),
        {table.qualified});
    QVector<ColumnInfo> out;
    for (int i = 0; i < r.rows(); ++i) {
        ColumnInfo col;
        col.name = r.value(i, 0);
        col.type = r.value(i, 1);
        col.baseType = r.value(i, 2);
        col.category = r.value(i, 3).at(0);
        col.isEnum = r.value(i, 4) == QLatin1String("t");
        col.notNull = r.value(i, 5) == QLatin1String("t");
        col.hasDefault = r.value(i, 6) == QLatin1String("t");
        out << col;
    }
    return out;
}

// INSERT of `rows` rows; `onlyRequired` writes only NOT NULL columns without a default.
QString insertSql(pg::Connection& c, const RealTable& table, const QVector<ColumnInfo>& columns, int rows, bool onlyRequired)
{
    QStringList names, values;
    for (const ColumnInfo& col : columns) {
        // A serial or defaulted key keeps its default: the sequence numbers the rows.
        if (col.hasDefault && (onlyRequired || col.category == QLatin1Char('N')))
            continue;
        if (onlyRequired && !col.notNull)
            continue;
        names << c.quoteIdent(col.name);
        values << syntheticValue(col);
    }
    if (names.isEmpty())
        return QStringLiteral("INSERT INTO %1 SELECT FROM generate_series(1, %2) g").arg(table.qualified).arg(rows);
    return QStringLiteral("INSERT INTO %1 (%2) SELECT %3 FROM generate_series(1, %4) g")
        .arg(table.qualified, names.join(QStringLiteral(", ")), values.join(QStringLiteral(", ")))
        .arg(rows);
}

} // namespace

FillOutcome fillWithSyntheticRows(pg::Connection& c, const RealTable& table, int rows)
{
    const QVector<ColumnInfo> columns = writableColumns(c, table);
    FillOutcome out;
    c.exec(QStringLiteral("SET session_replication_role = replica"));
    const QString attempts[] = {insertSql(c, table, columns, rows, false), insertSql(c, table, columns, rows, true),
                                insertSql(c, table, columns, 1, true)};
    for (const QString& sql : attempts) {
        try {
            c.exec(sql);
            out.error.clear();
            break;
        } catch (const pg::PgException& e) {
            if (out.error.isEmpty())
                out.error = QString::fromUtf8(e.what());
        }
    }
    c.exec(QStringLiteral("RESET session_replication_role"));
    c.exec(QStringLiteral("ANALYZE %1").arg(table.qualified));
    out.rows = c.exec(QStringLiteral("SELECT count(*) FROM %1").arg(table.qualified)).value(0, 0).toInt();
    return out;
}

} // namespace lockstep::test
