// SPDX-License-Identifier: GPL-3.0-or-later
#include "bench/support/bench_support.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace lockstep::bench {

LocalClusterOptions benchClusterOptions()
{
    LocalClusterOptions o;
    o.fsync = true;
    o.settings << QStringLiteral("shared_buffers=512MB") << QStringLiteral("max_wal_size=8GB")
               << QStringLiteral("checkpoint_timeout=30min") << QStringLiteral("autovacuum=off")
               << QStringLiteral("max_connections=100");
    // For investigations, e.g. BENCH_PG_SETTINGS="log_lock_waits=on,deadlock_timeout=1ms".
    for (const QString& s : qEnvironmentVariable("BENCH_PG_SETTINGS").split(QLatin1Char(','), Qt::SkipEmptyParts))
        o.settings << s.trimmed();
    return o;
}

void makeTable(pg::Connection& conn, const QString& name, qint64 rows)
{
    const QString t = conn.quoteIdent(name);
    conn.exec(QStringLiteral("DROP TABLE IF EXISTS %1").arg(t));
    conn.exec(QStringLiteral("CREATE TABLE %1 (id bigint PRIMARY KEY, qty integer NOT NULL, "
                             "price numeric(10,2) NOT NULL, note text)").arg(t));
    conn.exec(QStringLiteral("INSERT INTO %1 SELECT g, g % 97, (g % 1000) / 10.0, 'row ' || g "
                             "FROM generate_series(1, $1::bigint) g").arg(t),
              {rows});
    conn.exec(QStringLiteral("VACUUM ANALYZE %1").arg(t));
    conn.exec(QStringLiteral("CHECKPOINT"));
}

void dropTable(pg::Connection& conn, const QString& name)
{
    conn.exec(QStringLiteral("DROP TABLE %1").arg(conn.quoteIdent(name)));
    // The changed-keys log a Lockstep plan made for it (dropped only at contract, which no bench runs).
    const pg::Result logs = conn.exec(QStringLiteral("SELECT relname FROM pg_class WHERE relkind = 'r' AND "
                                                     "starts_with(relname, 'lockstep_' || $1 || '_')"), {name});
    for (int i = 0; i < logs.rows(); ++i)
        conn.exec(QStringLiteral("DROP TABLE %1").arg(conn.quoteIdent(logs.value(i, 0))));
}

double median(QVector<double> values)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

double percentile(QVector<double> values, double p)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const int rank = int(std::ceil(p / 100.0 * values.size()));
    return values[std::clamp(rank - 1, 0, int(values.size()) - 1)];
}

run::RunOptions runOptionsFrom(const Args& args)
{
    run::RunOptions o;
    o.targetBatchMs = args.intValue(QStringLiteral("target-ms"), o.targetBatchMs);
    o.maxRowsPerSecond = args.intValue(QStringLiteral("rate-cap"), o.maxRowsPerSecond);
    o.yieldToTraffic = !args.flag(QStringLiteral("full-speed"));
    return o;
}

void printResult(const QString& key, double value)
{
    std::printf("RESULT %s %.6g\n", qPrintable(key), value);
    std::fflush(stdout);
}

Args::Args(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i) {
        const QString a = QString::fromLocal8Bit(argv[i]);
        if (!a.startsWith(QLatin1String("--")))
            continue;
        const QString name = a.mid(2);
        const bool hasValue = i + 1 < argc && !QByteArray(argv[i + 1]).startsWith("--");
        m_pairs.append({name, hasValue ? QString::fromLocal8Bit(argv[++i]) : QString()});
    }
}

QString Args::value(const QString& name, const QString& fallback) const
{
    const QStringList all = values(name);
    return all.isEmpty() ? fallback : all.last();
}

QStringList Args::values(const QString& name) const
{
    QStringList out;
    for (const auto& p : m_pairs)
        if (p.first == name)
            out << p.second;
    return out;
}

bool Args::flag(const QString& name) const
{
    return std::any_of(m_pairs.begin(), m_pairs.end(), [&](const auto& p) { return p.first == name; });
}

int Args::intValue(const QString& name, int fallback) const
{
    bool ok = false;
    const int v = value(name).toInt(&ok);
    return ok ? v : fallback;
}

} // namespace lockstep::bench
