// SPDX-License-Identifier: GPL-3.0-or-later
// Brief locks under TPC-B: pgbench's tpcb-like workload at a fixed rate on `pgbench -i` tables (one branch
// per scale unit: every transaction updates the same hot branch row, so transactions hold
// pgbench_accounts' ROW EXCLUSIVE while they wait for each other). A new column on pgbench_accounts runs
// until constrain -- ADD COLUMN, the sync trigger, its swap, CHECK NOT VALID, SET NOT NULL, the drop of the
// helper check: every brief-lock step -- four times: (a) every attempt waiting the full lock_timeout
// (1,000 ms, the former behaviour), one step at a time, (b) the LockWaitLadder (20 ms first, doubling every
// three failures), one step at a time, (c) the ladder with neighbouring brief steps under one lock request
// (run/lock_groups.h), (d) a free moment first (LOCK ... NOWAIT, run/free_moment.h), then (c): today's
// default. Beside
// the workload a slow writer updates one pgbench_accounts row in a transaction of --report-ms every
// --report-every-ms (a lock every brief-lock statement must wait out, as TPC-B's hot-row waits are). Prints the workload's
// p99 during the whole run and over its brief-lock steps' windows only, beside its p99 before the run (the
// baseline, same run), the attempts each lock request needed, the transactions seen queued behind them
// (the runner's lock-wait/lock-cost events), and "slow/1%": the transactions overlapping a brief step slower
// than 1.5x the baseline p99 beside 1 % of the run's transactions (fewer: the brief steps alone cannot push
// the run's p99 past 1.5x). Never passes or fails on time.
//   bench_brief_locks [--rate TX_PER_S] [--clients N] [--scale S] [--baseline-s S] [--report-ms MS]
//                     [--report-every-ms MS] [--rounds N]   (default 200, 8, 1, 10, 150, 400, 3; --report-ms 0: none)
// Each round measures all four; the summary keeps each one's median round (by p99 ratio).
#include "bench/support/bench_support.h"
#include "bench/support/pgbench_workload.h"
#include "tests/pg/test_runner_support.h"
#include "core/run/run_creation.h"
#include "core/run/runner.h"
#include "core/store/journal.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QThread>
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <thread>

using namespace lockstep;
using namespace lockstep::bench;

namespace {
struct Outcome {
    LatencyStats baseline;   // the workload alone, just before the run
    LatencyStats brief;      // transactions overlapping a brief-lock step
    LatencyStats run;        // every transaction during the run (the target: p99 within 1.5x the baseline)
    QStringList attempts;    // "step=N" for every brief-lock step
    int totalAttempts = 0;   // lock requests: a group of steps under one lock counts once
    int queued = 0;          // transactions seen queued behind the attempts (lock-wait and lock-cost events)
    int delayed = 0;         // transactions overlapping a brief-lock step slower than 1.5x the baseline p99: the
                             // brief steps keep the run's p99 in budget while these stay under 1 % of its transactions
    double runSeconds = 0;
    QString failure;
};

// A writer's transaction holding ROW EXCLUSIVE on pgbench_accounts for `holdMs` every `everyMs`, from
// construction until destruction (0: none).
class SlowWriter {
public:
    SlowWriter(const QString& conninfo, int holdMs, int everyMs)
    {
        if (holdMs <= 0)
            return;
        m_thread = std::thread([this, conninfo, holdMs, everyMs] {
            auto c = pg::Connection::open(conninfo);
            while (!m_stop) {
                c->exec(QStringLiteral("BEGIN"));
                // ROW EXCLUSIVE, as a writer's transaction holds it: every brief-lock mode conflicts with it.
                c->exec(QStringLiteral("UPDATE pgbench_accounts SET filler = filler WHERE aid = 1"));
                c->exec(QStringLiteral("SELECT pg_sleep($1)"), {holdMs / 1000.0});
                c->exec(QStringLiteral("COMMIT"));
                QThread::msleep(qMax(0, everyMs - holdMs));
            }
        });
    }
    ~SlowWriter()
    {
        m_stop = true;
        if (m_thread.joinable())
            m_thread.join();
    }

private:
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

bool isBrief(const Step& s) { return s.transactional && s.lock && !s.backfill && !s.id.endsWith(QLatin1String("_validate")); }

qint64 toUs(const QDateTime& t) { return t.toMSecsSinceEpoch() * 1000; }

Outcome measure(LocalCluster& cluster, int scale, const WorkloadOptions& w, int baselineMs, const run::RunOptions& options,
                int reportMs, int reportEveryMs)
{
    const QString conninfo = cluster.conninfo();
    PgbenchWorkload workload(cluster.binDir(), conninfo);
    workload.initialize(scale);   // fresh tables for each measurement
    QTemporaryDir dir;
    const QString journalPath = dir.filePath(QStringLiteral("journal.sqlite"));
    store::Journal journal(journalPath);
    const qint64 runId = run::createRun(journal, test::planFor(conninfo, test::pgbenchAccountsChange()), conninfo, Phase::Constrain);

    workload.start(w);
    SlowWriter report(conninfo, reportMs, reportEveryMs);
    QThread::msleep(1000);   // connected, at its rate
    Outcome out;
    const qint64 baselineFrom = PgbenchWorkload::nowUs();
    QThread::msleep(baselineMs);
    const qint64 baselineTo = PgbenchWorkload::nowUs();
    QElapsedTimer clock;
    clock.start();
    const qint64 runFrom = PgbenchWorkload::nowUs();
    run::Runner runner(conninfo, journalPath, runId, options);
    QObject::connect(&runner, &run::Runner::finished, [&](const QString& outcome, const QString& message) {
        if (outcome != QLatin1String("done"))
            out.failure = outcome + QStringLiteral(": ") + message;
    });
    runner.start();
    out.runSeconds = clock.nsecsElapsed() / 1e9;
    const qint64 runTo = PgbenchWorkload::nowUs();
    QThread::msleep(1000);
    workload.stop();

    const Plan plan = journal.run(runId)->plan;
    QVector<QPair<qint64, qint64>> windows;
    for (const store::StepRecord& s : journal.steps(runId)) {
        const Step& step = plan.steps.at(s.index);
        if (!isBrief(step) || !s.startedAt.isValid() || !s.endedAt.isValid())
            continue;
        windows << qMakePair(toUs(s.startedAt), toUs(s.endedAt));
        if (s.errorMessage.contains(QLatin1String("in one lock with step"))) {
            out.attempts.last() += QStringLiteral("+") + s.stepId;
            continue;
        }
        out.attempts << QStringLiteral("%1=%2").arg(s.stepId).arg(s.attempts);
        out.totalAttempts += s.attempts;
    }
    const QRegularExpression queued(QStringLiteral("(\\d+) transactions? queued behind it"));
    for (const store::EventRecord& e : journal.events(runId)) {
        if (e.kind == QLatin1String("lock-wait") || e.kind == QLatin1String("lock-cost"))
            out.queued += queued.match(e.message).captured(1).toInt();
    }
    out.baseline = workload.during(baselineFrom, baselineTo);
    out.brief = workload.duringAny(windows);
    out.run = workload.during(runFrom, runTo);
    out.delayed = workload.slowerThan(windows, 1.5 * out.baseline.p99Ms);
    return out;
}

void printRow(const char* name, const Outcome& o)
{
    const double base = qMax(0.001, o.baseline.p99Ms);
    std::printf("  %-24s %8.2f %8.2f %6.2fx %8.2f %6.2fx %8.1f %5d %6d %4d/%-4d %6.1f s  %s\n", name, o.baseline.p99Ms, o.run.p99Ms,
                o.run.p99Ms / base, o.brief.p99Ms, o.brief.p99Ms / base, o.brief.maxMs, o.totalAttempts, o.queued, o.delayed,
                qMax(1, o.run.transactions / 100), o.runSeconds,
                qPrintable(o.failure.isEmpty() ? o.attempts.join(QLatin1Char(' ')) : o.failure));
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
    const int reportMs = qMax(0, args.intValue(QStringLiteral("report-ms"), 150));
    const int reportEveryMs = qMax(reportMs + 10, args.intValue(QStringLiteral("report-every-ms"), 400));

    LocalCluster cluster(benchClusterOptions());
    cluster.start();
    std::printf("Brief locks under pgbench tpcb-like: %d tx/s, %d clients, scale %d (%d hot branch row(s)); a NOT NULL "
                "column on pgbench_accounts until constrain; a slow writer holding ROW EXCLUSIVE %d ms every %d ms\n", w.ratePerSecond, w.clients, scale,
                scale, reportMs, reportEveryMs);
    const int cap = run::RunOptions{}.lockTimeoutMs;
    const int rounds = qMax(1, args.intValue(QStringLiteral("rounds"), 3));
    std::printf("  %-24s %8s %8s %7s %8s %7s %8s %5s %6s %9s %8s  %s\n", "", "base p99", "run p99", "ratio", "brief99",
                "ratio", "max ms", "tries", "queued", "slow/1%", "run", "attempts per lock request (a+b: steps under one lock)");
    run::RunOptions fixedOptions;    // the former behaviour: every attempt waits the full lock_timeout, one step at a time
    fixedOptions.lockWaitStartMs = cap;
    fixedOptions.combineBriefSteps = false;
    fixedOptions.freeMomentMs = 0;
    run::RunOptions aloneOptions;    // the ladder, one step at a time
    aloneOptions.combineBriefSteps = false;
    aloneOptions.freeMomentMs = 0;
    run::RunOptions ladderOptions;   // the ladder, neighbouring brief steps under one lock
    ladderOptions.freeMomentMs = 0;
    const run::RunOptions freeOptions;   // today's defaults: a free moment first (LOCK ... NOWAIT), then the ladder; combined
    QVector<Outcome> fixedRounds, aloneRounds, ladderRounds, freeRounds;
    for (int r = 0; r < rounds; ++r) {
        fixedRounds << measure(cluster, scale, w, baselineMs, fixedOptions, reportMs, reportEveryMs);
        printRow(qPrintable(QStringLiteral("every attempt %1 ms").arg(cap)), fixedRounds.last());
        aloneRounds << measure(cluster, scale, w, baselineMs, aloneOptions, reportMs, reportEveryMs);
        printRow(qPrintable(QStringLiteral("ladder, steps alone")), aloneRounds.last());
        ladderRounds << measure(cluster, scale, w, baselineMs, ladderOptions, reportMs, reportEveryMs);
        printRow(qPrintable(QStringLiteral("ladder, combined")), ladderRounds.last());
        freeRounds << measure(cluster, scale, w, baselineMs, freeOptions, reportMs, reportEveryMs);
        printRow(qPrintable(QStringLiteral("free moment, combined")), freeRounds.last());
    }
    auto median = [](QVector<Outcome> v) {
        std::sort(v.begin(), v.end(), [](const Outcome& a, const Outcome& b) {
            return a.run.p99Ms / qMax(0.001, a.baseline.p99Ms) < b.run.p99Ms / qMax(0.001, b.baseline.p99Ms);
        });
        return v.at(v.size() / 2);
    };
    const Outcome fixed = median(fixedRounds);
    const Outcome alone = median(aloneRounds);
    const Outcome ladder = median(ladderRounds);
    const Outcome free = median(freeRounds);
    printResult(QStringLiteral("brieflocks.fixed.p99_ratio"), fixed.baseline.p99Ms > 0 ? fixed.run.p99Ms / fixed.baseline.p99Ms : 0);
    printResult(QStringLiteral("brieflocks.alone.p99_ratio"), alone.baseline.p99Ms > 0 ? alone.run.p99Ms / alone.baseline.p99Ms : 0);
    printResult(QStringLiteral("brieflocks.ladder.p99_ratio"), ladder.baseline.p99Ms > 0 ? ladder.run.p99Ms / ladder.baseline.p99Ms : 0);
    printResult(QStringLiteral("brieflocks.fixed.brief_p99_ratio"), fixed.baseline.p99Ms > 0 ? fixed.brief.p99Ms / fixed.baseline.p99Ms : 0);
    printResult(QStringLiteral("brieflocks.ladder.brief_p99_ratio"), ladder.baseline.p99Ms > 0 ? ladder.brief.p99Ms / ladder.baseline.p99Ms : 0);
    printResult(QStringLiteral("brieflocks.free.p99_ratio"), free.baseline.p99Ms > 0 ? free.run.p99Ms / free.baseline.p99Ms : 0);
    printResult(QStringLiteral("brieflocks.free.brief_p99_ratio"), free.baseline.p99Ms > 0 ? free.brief.p99Ms / free.baseline.p99Ms : 0);
    printResult(QStringLiteral("brieflocks.ladder.max_ms"), ladder.brief.maxMs);
    printResult(QStringLiteral("brieflocks.free.max_ms"), free.brief.maxMs);
    printResult(QStringLiteral("brieflocks.alone.attempts"), alone.totalAttempts);
    printResult(QStringLiteral("brieflocks.ladder.attempts"), ladder.totalAttempts);
    printResult(QStringLiteral("brieflocks.alone.queued"), alone.queued);
    printResult(QStringLiteral("brieflocks.ladder.queued"), ladder.queued);
    printResult(QStringLiteral("brieflocks.free.attempts"), free.totalAttempts);
    printResult(QStringLiteral("brieflocks.free.queued"), free.queued);
    printResult(QStringLiteral("brieflocks.ladder.slow_share_of_1pct"), ladder.delayed / qMax(1.0, ladder.run.transactions / 100.0));
    printResult(QStringLiteral("brieflocks.free.slow_share_of_1pct"), free.delayed / qMax(1.0, free.run.transactions / 100.0));
    return fixed.failure.isEmpty() && alone.failure.isEmpty() && ladder.failure.isEmpty() && free.failure.isEmpty() ? 0 : 1;
}
