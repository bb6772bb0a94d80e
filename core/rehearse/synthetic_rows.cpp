// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/rehearse/synthetic_rows.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>
#include <cmath>
#include <stdexcept>

namespace lockstep::rehearse {

namespace {
bool interpolatesAsTime(const QString& type)
{
    return type == QLatin1String("date") || type.startsWith(QLatin1String("timestamp"));
}

// Distinct values that are not any earlier row's: for keys, and columns without statistics.
QString distinctValue(const ColumnStats& c)
{
    if (c.category == QLatin1String("N"))
        return QStringLiteral("(g)::%1").arg(c.type);
    if (c.category == QLatin1String("S"))
        return QStringLiteral("('r' || g)::%1").arg(c.type);
    if (c.type == QLatin1String("uuid"))
        return QStringLiteral("md5(g::text)::uuid");
    if (interpolatesAsTime(c.type))
        return QStringLiteral("(timestamptz '2000-01-01' + g * interval '1 second')::%1").arg(c.type);
    return {};
}
} // namespace

QVector<ColumnStats> readColumnStats(pg::Connection& conn, const QString& table, const TableSnapshot& snapshot)
{
    QStringList keys;   // one-column unique keys
    for (const IndexInfo& i : snapshot.indexes)
        if ((i.primary || i.unique) && i.columns.size() == 1)
            keys << i.columns.first();
    QVector<ColumnStats> out;
    const auto r = conn.exec(pg::sqlResource(QStringLiteral("rehearse_column_stats")), {table});
    for (int i = 0; i < r.rows(); ++i) {
        ColumnStats c;
        c.name = r.value(i, "name");
        c.type = r.value(i, "type");
        c.category = r.value(i, "category");
        c.notNull = r.value(i, "not_null") == QLatin1String("t");
        c.analyzed = !r.isNull(i, "null_frac");
        c.nullFrac = r.value(i, "null_frac").toDouble();
        c.nDistinct = r.value(i, "n_distinct").toDouble();
        c.mcv = r.value(i, "mcv");
        for (const QJsonValue& f : QJsonDocument::fromJson(r.value(i, "mcf").toUtf8()).array())
            c.mcf << f.toDouble();
        c.bounds = r.value(i, "bounds");
        c.key = keys.contains(c.name);
        out << c;
    }
    return out;
}

SyntheticInsert syntheticInsert(const QString& tableSql, const QVector<ColumnStats>& columns, qint64 rows,
                                const std::function<QString(const QString&)>& quote)
{
    SyntheticInsert out;
    out.params << rows;
    auto param = [&out](const QVariant& v, const char* cast) {
        out.params << v;
        return QStringLiteral("$%1::%2").arg(out.params.size()).arg(QLatin1String(cast));
    };
    QStringList names, values, draws;
    for (int n = 0; n < columns.size(); ++n) {
        const ColumnStats& c = columns[n];
        names << quote(c.name);
        const QString b = QStringLiteral("b%1").arg(n), s = QStringLiteral("s%1").arg(n);
        if (c.key || !c.analyzed) {
            const QString v = distinctValue(c);
            if (!v.isEmpty()) {
                values << v;
                if (!c.analyzed && !c.key)
                    out.notes << QStringLiteral("no statistics for column \"%1\" (the table was not analyzed, or this role "
                                                "may not read them): distinct made-up values").arg(c.name);
                continue;
            }
            if (c.notNull)
                throw std::runtime_error(QStringLiteral("column \"%1\" (%2): no statistics to make values from, and it is NOT "
                                                        "NULL").arg(c.name, c.type).toStdString());
            values << QStringLiteral("NULL");
            out.notes << QStringLiteral("no statistics for column \"%1\" (%2): left NULL").arg(c.name, c.type);
            continue;
        }
        // b: 0 NULL, 1..k the k-th most common value, k+1 the histogram's part. s: where in the histogram.
        QStringList thresholds{QString::number(c.nullFrac, 'g', 17)};
        double cumulative = c.nullFrac;
        for (double f : c.mcf)
            thresholds << QString::number(cumulative += f, 'g', 17);
        const QString cuts = QLatin1Char('{') + thresholds.join(QLatin1Char(',')) + QLatin1Char('}');
        draws << QStringLiteral("width_bucket(random() + 0 * g, %1) AS %2").arg(param(cuts, "float8[]"), b)
              << QStringLiteral("random() + 0 * g AS %1").arg(s);
        const int k = int(c.mcf.size());
        const QString mcv = c.mcv.isEmpty() ? QString() : param(c.mcv, "text[]");
        // Commas count the bounds (a value with a comma counts twice: only the buckets' sizing is approximate).
        const int bounds = c.bounds.isEmpty() ? 0 : int(c.bounds.count(QLatin1Char(',')) + 1);
        QString rest;
        if (!c.bounds.isEmpty()) {
            const QString arr = param(c.bounds, "text[]");
            const QString nb = QStringLiteral("(coalesce(array_length(%1, 1), 2) - 1)").arg(arr);
            const QString bucket = QStringLiteral("(1 + floor(%1 * %2)::int)").arg(s, nb);
            const QString within = QStringLiteral("(%1 * %2 - floor(%1 * %2))").arg(s, nb);
            const QString lo = QStringLiteral("(%1)[%2]").arg(arr, bucket);
            const QString hi = QStringLiteral("(%1)[%2 + 1]").arg(arr, bucket);
            // About as many distinct values per bucket as n_distinct leaves for the histogram.
            const double perBucket = qMax(1.0, std::round((c.distinctAmong(double(rows)) - k) / qMax(1, bounds - 1)));
            const QString step = QStringLiteral("(floor(%1 * %2) / %2)").arg(within).arg(perBucket);
            if (c.category == QLatin1String("N"))
                rest = QStringLiteral("(%1::numeric + (%2::numeric - %1::numeric) * %3)::%4").arg(lo, hi, step, c.type);
            else if (interpolatesAsTime(c.type))
                rest = QStringLiteral("(%1::timestamptz + (%2::timestamptz - %1::timestamptz) * %3)::%4").arg(lo, hi, step, c.type);
            else if (c.category == QLatin1String("S") && perBucket > 1) {
                rest = QStringLiteral("(%1 || '~' || floor(%2 * %3)::int)::%4").arg(lo, within).arg(perBucket).arg(c.type);
                out.notes << QStringLiteral("column \"%1\": more distinct values than its statistics list; the others are made "
                                            "as value~N (an expression that parses this column may fail on them where the "
                                            "table's own values would not)").arg(c.name);
            }
            else
                rest = QStringLiteral("%1::%2").arg(lo, c.type);
        } else if (!mcv.isEmpty()) {
            rest = QStringLiteral("(%1)[1 + floor(%2 * %3)::int]::%4").arg(mcv, s).arg(qMax(1, k)).arg(c.type);
        } else {
            rest = c.notNull ? distinctValue(c) : QStringLiteral("NULL");
            if (rest.isEmpty())
                throw std::runtime_error(QStringLiteral("column \"%1\" (%2): its statistics hold no values to make rows from")
                                             .arg(c.name, c.type).toStdString());
        }
        values << QStringLiteral("CASE WHEN %1 = 0 THEN %2 %3ELSE %4 END")
                      .arg(b, c.notNull ? rest : QStringLiteral("NULL"),
                           mcv.isEmpty() ? QString() : QStringLiteral("WHEN %1 <= %2 THEN (%3)[%1]::%4 ").arg(b).arg(k).arg(mcv, c.type),
                           rest);
    }
    out.sql = QStringLiteral("INSERT INTO %1 (%2) SELECT %3 FROM generate_series(1, $1::bigint) AS g%4")
                  .arg(tableSql, names.join(QStringLiteral(", ")), values.join(QStringLiteral(", ")),
                       draws.isEmpty() ? QString() : QStringLiteral(", LATERAL (SELECT %1) AS d").arg(draws.join(QStringLiteral(", "))));
    return out;
}

} // namespace lockstep::rehearse
