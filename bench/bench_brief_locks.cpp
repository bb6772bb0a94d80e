// SPDX-License-Identifier: GPL-3.0-or-later
// Brief locks under TPC-B: pgbench's tpcb-like workload at a fixed rate on `pgbench -i` tables (one branch
// per scale unit: every transaction updates the same hot branch row, so transactions hold
// pgbench_accounts' ROW EXCLUSIVE while they wait for each other). A new column on pgbench_accounts runs
// until constrain -- ADD COLUMN, the sync trigger, its swap, CHECK NOT VALID, SET NOT NULL, the drop of the
// helper check: every brief-lock step -- twice: (a) every attempt waiting the full lock_timeout (1,000 ms,
// the former behaviour) and (b) the LockWaitLadder (20 ms first, doubling every three failures). Prints the
// workload's p99 over the brief-lock steps' windows beside its p99 before the run (the baseline, same run)
// and the attempts each needed. Never passes or fails on time.
//   bench_brief_locks [--rate TX_PER_S] [--clients N] [--scale S] [--baseline-s S]   (default 200, 8, 1, 10)
#include "bench/support/bench_support.h"
#include "bench/support/pgbench_workload.h"
#include "core/change/change_resolver.h"
#include "core/plan/planner.h"
#include "core/run/run_creation.h"
#include "core/run/runner.h"
#include "core/store/journal.h"

#include <QCoreApplication>
#include <QTemporaryDir>
#include <QThread>
#include <cstdio>

using namespace lockstep;
using namespace lockstep::bench;

namespace {
struct Outcome {
    LatencyStats baseline;   // the workload alone, just before the run
    LatencyStats brief;      // transactions overlapping a brief-lock step
    QStringList attempts;    // "step=N" for every brief-lock step
    int totalAttempts = 0;
    double runSeconds = 0;
    QString failure;
};

Plan accountsPlan(const QString& conninfo)
{
    NewColumnChange change;
    change.table = QStringLiteral("pgbench_accounts");
    change.column = QStringLiteral("abalance_cents");
    change.type = QStringLiteral("bigint");
    change.backfill = QStringLiteral("abalance * 100");
    change.notNull = true;
    auto conn = pg::Connection::open(conninfo);
    ChangeResolver resolver(*conn);
    const auto resolved = resolver.resolve(change);
    const pg::Connection& c = *conn;
    Planner planner([&c](const QString& name) { return c.quoteIdent(name); });
    return planner.plan(resolved.table, resolved.change);
}

bool isBrief(const Step& s) { return s.transactional && s.lock && !s.backfill && !s.id.endsWith(QLatin1String("_validate")); }

qint64 toUs(const QDateTime& t) { return t.toMSecsSinceEpoch() * 1000; }

Outcome measure(LocalCluster& cluster, int scale, const WorkloadOptions& w, int baselineMs, int lockWaitStartMs)
{
    const QString conninfo = cluster.conninfo();
    PgbenchWorkload workload(cluster.binDir(), conninfo);
    workload.initialize(scale);   // fresh tables for each measurement
    QTemporaryDir dir;
    const QString journalPath = dir.filePath(QStringLiteral("journal.sqlite"));
    store::Journal journal(journalPath);
    const qint64 runId = run::createRun(journal, accountsPlan(conninfo), conninfo, Phase::Constrain);

    workload.start(w);
    QThread::msleep(1000);   // connected, at its rate
    Outcome out;
    const qint64 baselineFrom = PgbenchWorkload::nowUs();
    QThread::msleep(baselineMs);
    const qint64 baselineTo = PgbenchWorkload::nowUs();
    run::RunOptions options;
    options.lockWaitStartMs = lockWaitStartMs;
    QElapsedTimer clock;
    clock.start();
    run::Runner runner(conninfo, journalPath, runId, options);
    QObject::connect(&runner, &run::Runner::finished, [&](const QString& outcome, const QString& message) {
        if (outcome != QLatin1String("done"))
            out.failure = outcome + QStringLiteral(": ") + message;
    });
    runner.start();
    out.runSeconds = clock.nsecsElapsed() / 1e9;
    QThread::msleep(1000);
    workload.stop();

    const Plan plan = journal.run(runId)->plan;
    QVector<QPair<qint64, qint64>> windows;
    for (const store::StepRecord& s : journal.steps(runId)) {
        const Step& step = plan.steps.at(s.index);
        if (!isBrief(step) || !s.startedAt.isValid() || !s.endedAt.isValid())
            continue;
        windows << qMakePair(toUs(s.startedAt), toUs(s.endedAt));
        out.attempts << QStringLiteral("%1=%2").arg(s.stepId).arg(s.attempts);
        out.totalAttempts += s.attempts;
    }
    out.baseline = workload.during(baselineFrom, baselineTo);
    out.brief = workload.duringAny(windows);
    return out;
}

void printRow(const char* name, const Outcome& o)
{
    std::printf("  %-30s %9.2f %9.2f %7.2fx %9.1f %6d %8.1f s  %s\n", name, o.baseline.p99Ms, o.brief.p99Ms,
                o.baseline.p99Ms > 0 ? o.brief.p99Ms / o.baseline.p99Ms : 0.0, o.brief.maxMs, o.totalAttempts,
                o.runSeconds, qPrintable(o.failure.isEmpty() ? o.attempts.join(QLatin1Char(' ')) : o.failure));
}
} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const Args args(argc, argv);
    WorkloadOptions w;
    w.builtin = QStringLiteral("tpcb-like");
    w.ratePerSecond = qMax(10, args.intValue(QStringLiteral("rate"), 200));
    w.clients = qMax(1, args.intValue(QStringLiteral("clients"), 8));
    const int scale = qMax(1, args.intValue(QStringLiteral("scale"), 1));
    const int baselineMs = qMax(2, args.intValue(QStringLiteral("baseline-s"), 10)) * 1000;

    LocalCluster cluster(benchClusterOptions());
    cluster.start();
    std::printf("Brief locks under pgbench tpcb-like: %d tx/s, %d clients, scale %d (%d hot branch row(s)); a NOT NULL "
                "column on pgbench_accounts until constrain\n", w.ratePerSecond, w.clients, scale, scale);
    const int cap = run::RunOptions{}.lockTimeoutMs;
    const Outcome fixed = measure(cluster, scale, w, baselineMs, cap);
    const Outcome ladder = measure(cluster, scale, w, baselineMs, run::RunOptions{}.lockWaitStartMs);
    std::printf("  %-30s %9s %9s %8s %9s %6s %10s  %s\n", "", "base p99", "p99", "ratio", "max ms", "tries", "run",
                "attempts per brief-lock step");
    printRow(qPrintable(QStringLiteral("every attempt %1 ms").arg(cap)), fixed);
    printRow(qPrintable(QStringLiteral("ladder from %1 ms").arg(run::RunOptions{}.lockWaitStartMs)), ladder);
    printResult(QStringLiteral("brieflocks.fixed.p99_ratio"), fixed.baseline.p99Ms > 0 ? fixed.brief.p99Ms / fixed.baseline.p99Ms : 0);
    printResult(QStringLiteral("brieflocks.ladder.p99_ratio"), ladder.baseline.p99Ms > 0 ? ladder.brief.p99Ms / ladder.baseline.p99Ms : 0);
    printResult(QStringLiteral("brieflocks.ladder.max_ms"), ladder.brief.maxMs);
    printResult(QStringLiteral("brieflocks.ladder.attempts"), ladder.totalAttempts);
    return fixed.failure.isEmpty() && ladder.failure.isEmpty() ? 0 : 1;
}
