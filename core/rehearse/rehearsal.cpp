// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/rehearse/rehearsal.h"

#include "core/local/local_cluster.h"
#include "core/plan/plan_render.h"
#include "core/rehearse/synthetic_rows.h"
#include "core/rehearse/table_copy.h"
#include "core/run/run_creation.h"
#include "core/run/runner.h"
#include "core/store/journal.h"

#include <QElapsedTimer>
#include <QThread>
#include <QTemporaryDir>
#include <cmath>
#include <atomic>
#include <memory>
#include <thread>
#include <stdexcept>

namespace lockstep::rehearse {

namespace {
// pg_stats of the copy beside the source's, per column: how faithful the synthetic rows are.
QVector<ColumnFidelity> fidelity(const QVector<ColumnStats>& source, const QVector<ColumnStats>& copy, double sourceRows,
                                 double copyRows)
{
    QVector<ColumnFidelity> out;
    for (const ColumnStats& s : source) {
        for (const ColumnStats& c : copy) {
            if (c.name != s.name || !s.analyzed)
                continue;
            // A share of the rows (n_distinct < 0) is compared at the copy's size.
            out << ColumnFidelity{s.name, s.nullFrac, c.nullFrac, s.distinctAmong(s.nDistinct < 0 ? copyRows : sourceRows),
                                  c.distinctAmong(copyRows)};
        }
    }
    return out;
}

// The production table's own rates, from two samples of its counters `sampleMs` apart (read only).
TrafficRates measuredTraffic(pg::Connection& production, const QString& table, int sampleMs, QString* source)
{
    const QString sql = pg::sqlResource(QStringLiteral("rehearse_table_rates"));
    const auto first = production.exec(sql, {table});
    QThread::msleep(qMax(100, sampleMs));
    const auto second = production.exec(sql, {table});
    TrafficRates r;
    if (first.rows() == 0 || second.rows() == 0)
        return r;
    const double seconds = qMax(100, sampleMs) / 1000.0;
    auto rate = [&](const char* column) { return qMax(0.0, (second.value(0, column).toDouble() - first.value(0, column).toDouble()) / seconds); };
    r.insertsPerSecond = rate("inserts");
    r.updatesPerSecond = rate("updates");
    r.deletesPerSecond = rate("deletes");
    r.readsPerSecond = rate("reads");
    *source = QStringLiteral("measured on production over %1 s").arg(seconds, 0, 'f', 1);
    return r;
}

// How the replay picks rows on the copy: its one-column integer key and its range; nullopt (and why) else.
std::optional<TrafficShape> trafficShape(pg::Connection& copy, const TableSnapshot& table, const QString& tableSql,
                                         const std::function<QString(const QString&)>& quote, QString* why)
{
    const BackfillKey& key = table.key;
    static const QStringList integers{QStringLiteral("smallint"), QStringLiteral("integer"), QStringLiteral("bigint")};
    if (key.kind == BackfillKey::Kind::Ctid || key.columns.size() != 1 || !integers.contains(key.types.value(0))) {
        *why = QStringLiteral("no traffic replayed: the table has no one-column integer key to pick rows by");
        return std::nullopt;
    }
    TrafficShape shape;
    shape.table = tableSql;
    shape.key = quote(key.columns.first());
    for (const ColumnInfo& c : table.columns) {
        if (c.name == key.columns.first())
            continue;
        shape.columns << quote(c.name);
        if (shape.updated.isEmpty())
            shape.updated = quote(c.name);
    }
    const auto range = copy.exec(QStringLiteral("SELECT min(%1), max(%1) FROM %2").arg(shape.key, tableSql));
    shape.firstKey = range.value(0, 0).toLongLong();
    shape.lastKey = range.value(0, 1).toLongLong();
    return shape;
}

qint64 epochUs(const QDateTime& t) { return t.toMSecsSinceEpoch() * 1000; }

// Each step's times from the journal, and what the replayed statements (`ops`, maybe none) saw meanwhile.
QVector<StepTiming> timings(store::Journal& journal, qint64 runId, const Plan& plan, double scale, const QVector<TrafficOp>& ops)
{
    QVector<StepTiming> out;
    for (const store::StepRecord& r : journal.steps(runId)) {
        if (r.index < 0 || r.index >= plan.steps.size())
            continue;
        const Step& step = plan.steps[r.index];
        StepTiming t;
        t.id = step.id;
        t.title = step.title;
        t.estimatedSeconds = step.estimatedSeconds;
        t.rehearsedSeconds = r.startedAt.isValid() && r.endedAt.isValid() ? r.startedAt.msecsTo(r.endedAt) / 1000.0 : 0;
        t.scaled = scale > 1.0 && (step.backfill || step.scans);
        t.scaledSeconds = t.scaled ? t.rehearsedSeconds * scale : t.rehearsedSeconds;
        t.attempts = r.attempts;
        t.state = store::stepStateName(r.state);
        t.error = r.errorMessage;
        if (!ops.isEmpty() && r.startedAt.isValid() && r.endedAt.isValid())
            t.traffic = TrafficReplay::summary(ops, epochUs(r.startedAt), epochUs(r.endedAt));
        out << t;
    }
    return out;
}
} // namespace

RehearsalReport rehearse(pg::Connection& production, const TableSnapshot& table, const Plan& plan,
                         const RehearsalOptions& options, const std::function<void(const QString&)>& say)
{
    const auto stopIfCancelled = [&options] {
        if (options.cancelled && options.cancelled())
            throw std::runtime_error("the rehearsal was cancelled");
    };
    QElapsedTimer clock;
    clock.start();
    RehearsalReport report;
    report.table = plan.table;
    report.change = describeChange(plan);
    report.productionRows = qMax<qint64>(0, qint64(std::llround(table.rowEstimate)));
    const qint64 wanted = options.rows > 0 ? options.rows : qMax<qint64>(1, report.productionRows);
    report.copyRows = qMax<qint64>(1, qMin(wanted, options.maxRows));
    report.rowScale = report.productionRows > report.copyRows ? double(report.productionRows) / report.copyRows : 1.0;
    // Production is only read, in a read-only transaction (never a session setting: through a pooler in
    // transaction mode it would stay on a server connection other clients then get).
    production.exec(QStringLiteral("BEGIN READ ONLY"));
    QVector<ColumnStats> source;
    try {
        source = readColumnStats(production, plan.table, table);
        production.exec(QStringLiteral("COMMIT"));
    } catch (...) {
        if (production.isOk() && production.inTransaction())
            production.exec(QStringLiteral("ROLLBACK"));
        throw;
    }

    stopIfCancelled();
    say(QStringLiteral("starting a private PostgreSQL server for the copy"));
    LocalClusterOptions clusterOptions;
    clusterOptions.fsync = true;   // commits cost what they cost on a server
    LocalCluster cluster(clusterOptions);
    if (cluster.binDir().isEmpty())
        throw std::runtime_error("the PostgreSQL server programs are not installed on this machine (Debian: postgresql-15); "
                                 "a rehearsal starts its own private server from them");
    cluster.start();
    const QString copyInfo = cluster.createDatabase(QStringLiteral("rehearsal"));
    auto copy = pg::Connection::open(copyInfo);
    report.server = QStringLiteral("PostgreSQL %1, private (removed afterwards)").arg(copy->exec(QStringLiteral("SHOW server_version")).value(0, 0));
    const auto quote = [&](const QString& name) { return copy->quoteIdent(name); };

    const TableCopy shape = tableCopy(table, quote);
    for (const QString& s : shape.create) {
        try {
            copy->exec(s);
        } catch (const pg::PgException& e) {
            throw std::runtime_error(QStringLiteral("the copy of %1 cannot be built (%2): %3")
                                         .arg(plan.table, s.left(80), e.error().message.trimmed()).toStdString());
        }
    }
    report.leftOut = shape.leftOut;
    say(QStringLiteral("filling the copy with %1 synthetic rows shaped by the table's statistics").arg(report.copyRows));
    const SyntheticInsert insert = syntheticInsert(plan.table, source, report.copyRows, quote);
    report.madeUp = insert.notes;
    stopIfCancelled();
    copy->exec(insert.sql, insert.params);
    for (const QString& s : shape.after) {
        try {
            copy->exec(s);
        } catch (const pg::PgException& e) {
            report.leftOut << QStringLiteral("%1: not built on the synthetic rows (%2)").arg(s.left(100), e.error().message.trimmed());
        }
    }
    copy->exec(QStringLiteral("VACUUM (ANALYZE) %1").arg(plan.table));
    report.columns = fidelity(source, readColumnStats(*copy, plan.table, table), double(report.productionRows), double(report.copyRows));

    QTemporaryDir dir;
    if (!dir.isValid())
        throw std::runtime_error("no temporary directory for the rehearsal's journal");
    store::Journal journal(dir.filePath(QStringLiteral("rehearsal.sqlite")));
    const qint64 runId = run::createRun(journal, plan, copyInfo, options.until);
    // The application's traffic on the copy, from 2 s before the run (its baseline) to its end.
    std::unique_ptr<TrafficReplay> replay;
    if (const auto shape = trafficShape(*copy, table, plan.table, quote, &report.traffic.source)) {
        report.traffic.rates = options.traffic.value_or(TrafficRates{});
        if (options.traffic)
            report.traffic.source = QStringLiteral("as given");
        else
            report.traffic.rates = measuredTraffic(production, plan.table, options.sampleMs, &report.traffic.source);
        if (report.traffic.rates.total() > 0) {
            say(QStringLiteral("replaying the application's traffic on the copy: %1 statements/s").arg(report.traffic.rates.total(), 0, 'f', 0));
            replay = std::make_unique<TrafficReplay>(copyInfo, *shape, report.traffic.rates);
            replay->start();
            QThread::msleep(2000);
        } else {
            report.traffic.source += QStringLiteral(": no writes or reads on the table, nothing to replay");
        }
    }
    stopIfCancelled();
    say(QStringLiteral("running the plan on the copy"));
    const qint64 runFromUs = TrafficReplay::nowUs();
    const QString lsn = copy->exec(QStringLiteral("SELECT pg_current_wal_lsn()")).value(0, 0);
    {
        run::Runner runner(copyInfo, journal.path(), runId, options.run);
        QObject::connect(&runner, &run::Runner::finished, [&report](const QString& outcome, const QString& message) {
            report.outcome = outcome;
            report.message = message;
        });
        std::atomic<bool> running{true};
        std::thread watch([&] {   // the window's Cancel stops the run at its next statement
            while (running && !(options.cancelled && options.cancelled()))
                QThread::msleep(100);
            if (running)
                runner.abort(QStringLiteral("the rehearsal was cancelled"));
        });
        runner.start();
        running = false;
        watch.join();
    }
    const qint64 runToUs = TrafficReplay::nowUs();
    report.walBytes = copy->exec(QStringLiteral("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1)"), {lsn}).value(0, 0).toLongLong();
    QVector<TrafficOp> ops;
    if (replay) {
        replay->stop();
        ops = replay->ops();
    }
    report.steps = timings(journal, runId, plan, report.rowScale, ops);
    if (replay) {
        report.traffic.replayed = true;
        report.traffic.baseline = TrafficReplay::summary(ops, runFromUs - 2000000, runFromUs);
        report.traffic.during = TrafficReplay::summary(ops, runFromUs, runToUs);
        report.traffic.firstError = replay->firstError();
        for (const StepTiming& t : report.steps)
            if (t.traffic.maxMs > options.run.lockTimeoutMs)
                report.problems << QStringLiteral("step %1 held the application's statements up to %2 ms (over the %3 ms lock_timeout)")
                                       .arg(t.id).arg(qint64(t.traffic.maxMs)).arg(options.run.lockTimeoutMs);
        if (report.traffic.during.failed > 0)
            report.problems << QStringLiteral("the application's statements failed %1 time(s) during the run: %2")
                                   .arg(report.traffic.during.failed).arg(report.traffic.firstError);
    }
    if (report.outcome != QLatin1String("done"))
        report.problems << QStringLiteral("the run %1 on the copy: %2").arg(report.outcome, report.message);
    for (const store::EventRecord& e : journal.events(runId))
        if (e.kind == QLatin1String("lock-wait"))
            report.problems << QStringLiteral("a lock wait: %1").arg(e.message);
    report.seconds = clock.nsecsElapsed() / 1e9;
    return report;
}

} // namespace lockstep::rehearse
