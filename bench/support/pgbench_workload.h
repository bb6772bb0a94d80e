// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Application traffic for the benchmarks: pgbench running a custom script of random-key UPDATEs and
// SELECTs on one table at a fixed rate, with every transaction logged, so that the latency of the
// transactions that overlapped a time window (a migration) can be told apart from the rest.
#include <QProcess>
#include <QString>
#include <QTemporaryDir>
#include <QVector>

namespace lockstep::bench {

struct LatencyStats {
    int transactions = 0;
    double p50Ms = 0;
    double p99Ms = 0;
    double maxMs = 0;
};

struct WorkloadOptions {
    QString table;
    qint64 rows = 0;            // keys are drawn from 1..rows
    int ratePerSecond = 400;    // the whole workload's rate (pgbench --rate), spread over the clients
    int clients = 8;
    int updateWeight = 1;       // -f update@W
    int selectWeight = 1;       // -f select@W
    // A pgbench builtin script (e.g. "tpcb-like", on tables made by `pgbench -i`) instead of the two above.
    QString builtin;
};

class PgbenchWorkload {
public:
    // pgbench from `binDir`, against `conninfo`.
    PgbenchWorkload(QString binDir, QString conninfo);
    ~PgbenchWorkload();

    void start(const WorkloadOptions& options);
    // Stops pgbench (its log is flushed up to a few hundred ms before the stop) and reads the log.
    void stop();

    // Latency (schedule lag included, as pgbench counts it at a fixed rate) of the transactions that were
    // running at any time inside [fromUs, toUs] (microseconds since the epoch).
    // script: -1 every transaction, 0 the UPDATEs only, 1 the SELECTs only.
    LatencyStats during(qint64 fromUs, qint64 toUs, int script = -1) const;
    // The same over the transactions running inside any of `windows` ([from, to] pairs, microseconds).
    LatencyStats duringAny(const QVector<QPair<qint64, qint64>>& windows) const;
    // How many of those took longer than `ms`.
    int slowerThan(const QVector<QPair<qint64, qint64>>& windows, double ms) const;
    // pgbench -i -s `scale` -q (TPC-B's tables; pgbench_branches has `scale` rows, the hot ones).
    void initialize(int scale);
    static qint64 nowUs();

private:
    struct Transaction {
        qint64 startUs;
        qint64 endUs;
        int script;
    };
    void readLogs();

    QString m_binDir;
    QString m_conninfo;
    QTemporaryDir m_dir;
    QProcess m_process;
    QVector<Transaction> m_transactions;
};

} // namespace lockstep::bench
