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
#include <QTemporaryDir>
#include <cmath>
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

QVector<StepTiming> timings(store::Journal& journal, qint64 runId, const Plan& plan, double scale)
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
        out << t;
    }
    return out;
}
} // namespace

RehearsalReport rehearse(pg::Connection& production, const TableSnapshot& table, const Plan& plan,
                         const RehearsalOptions& options, const std::function<void(const QString&)>& say)
{
    QElapsedTimer clock;
    clock.start();
    // Nothing of the rehearsal may write on production: the session refuses writes from here on.
    production.exec(QStringLiteral("SET default_transaction_read_only = on"));
    RehearsalReport report;
    report.table = plan.table;
    report.change = describeChange(plan);
    report.productionRows = qMax<qint64>(0, qint64(std::llround(table.rowEstimate)));
    const qint64 wanted = options.rows > 0 ? options.rows : qMax<qint64>(1, report.productionRows);
    report.copyRows = qMax<qint64>(1, qMin(wanted, options.maxRows));
    report.rowScale = report.productionRows > report.copyRows ? double(report.productionRows) / report.copyRows : 1.0;
    const QVector<ColumnStats> source = readColumnStats(production, plan.table, table);

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

    say(QStringLiteral("running the plan on the copy"));
    QTemporaryDir dir;
    if (!dir.isValid())
        throw std::runtime_error("no temporary directory for the rehearsal's journal");
    store::Journal journal(dir.filePath(QStringLiteral("rehearsal.sqlite")));
    const qint64 runId = run::createRun(journal, plan, copyInfo, options.until);
    const QString lsn = copy->exec(QStringLiteral("SELECT pg_current_wal_lsn()")).value(0, 0);
    {
        run::Runner runner(copyInfo, journal.path(), runId, options.run);
        QObject::connect(&runner, &run::Runner::finished, [&report](const QString& outcome, const QString& message) {
            report.outcome = outcome;
            report.message = message;
        });
        runner.start();
    }
    report.walBytes = copy->exec(QStringLiteral("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1)"), {lsn}).value(0, 0).toLongLong();
    report.steps = timings(journal, runId, plan, report.rowScale);
    if (report.outcome != QLatin1String("done"))
        report.problems << QStringLiteral("the run %1 on the copy: %2").arg(report.outcome, report.message);
    for (const store::EventRecord& e : journal.events(runId))
        if (e.kind == QLatin1String("lock-wait"))
            report.problems << QStringLiteral("a lock wait: %1").arg(e.message);
    report.seconds = clock.nsecsElapsed() / 1e9;
    return report;
}

} // namespace lockstep::rehearse
