// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What the benchmarks share: the private server's settings, the benchmark table, statistics and the
// machine-readable result lines that bench/run gathers into its summary table.
#include "core/local/local_cluster.h"
#include "core/pg/connection.h"
#include "core/run/run_types.h"

#include <QString>
#include <QVector>

namespace lockstep::bench {

// A server tuned like a modest production box (fsync on: commits cost what they cost in production), with
// timed checkpoints and autovacuum out of the way so that they do not land in one method's timing only.
LocalClusterOptions benchClusterOptions();

// `name` (bigint primary key, an integer, a numeric, a text) with ids 1..rows, vacuumed and analysed,
// followed by a CHECKPOINT so that every method starts from the same clean state.
void makeTable(pg::Connection& conn, const QString& name, qint64 rows);
// DROP TABLE, and the changed-keys log a plan made for it.
void dropTable(pg::Connection& conn, const QString& name);

double median(QVector<double> values);
// The p-th percentile (0..100) by nearest rank; 0 for an empty set.
double percentile(QVector<double> values, double p);

// "RESULT key value": one figure for bench/run's summary (also readable by people).
void printResult(const QString& key, double value);

// Parses "--name value" pairs (and bare "--flag") after argv[0]; repeated names keep every value.
class Args {
public:
    Args(int argc, char** argv);
    QString value(const QString& name, const QString& fallback = {}) const;
    QStringList values(const QString& name) const;
    bool flag(const QString& name) const;
    int intValue(const QString& name, int fallback) const;

private:
    QVector<QPair<QString, QString>> m_pairs;
};

// The runner's defaults, changed by --target-ms, --rate-cap and --full-speed.
run::RunOptions runOptionsFrom(const Args& args);

} // namespace lockstep::bench
