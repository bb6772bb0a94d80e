// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Shared by the runner's pg tests: plans made by the real resolver and planner, a Runner driven to its
// end (synchronously or on its own QThread) with everything it signalled, and table checksums.
#include "core/change/change_resolver.h"
#include "core/plan/planner.h"
#include "core/run/run_creation.h"
#include "core/run/runner.h"
#include "core/store/journal.h"
#include "tests/support/pg_fixture.h"

#include <QCoreApplication>
#include <QRandomGenerator>
#include <QEventLoop>
#include <QThread>
#include <QTimer>
#include <QVector>
#include <atomic>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

namespace lockstep::test {

inline Plan planFor(const QString& conninfo, const NewColumnChange& change)
{
    auto conn = pg::Connection::open(conninfo);
    ChangeResolver resolver(*conn);
    const auto resolved = resolver.resolve(change);
    const pg::Connection& c = *conn;
    Planner planner([&c](const QString& name) { return c.quoteIdent(name); });
    return planner.plan(resolved.table, resolved.change);
}

// The table the backfill tests change: big (id, qty) with `rows` rows; `padded` adds 100 bytes a row so that
// the backfill writes more WAL (replica lag builds faster). twiceChange() is the change they run on it.
inline void createBigTable(pg::Connection& c, int rows, bool padded = false)
{
    c.execScript(QStringLiteral("CREATE TABLE big (id bigint PRIMARY KEY, qty integer NOT NULL%1);"
                                "INSERT INTO big SELECT g, g %% 97%2 FROM generate_series(1, %3) g; ANALYZE big;")
                     .arg(padded ? QStringLiteral(", pad text NOT NULL") : QString(),
                          padded ? QStringLiteral(", repeat('x', 100)") : QString())
                     .arg(rows)
                     .replace(QStringLiteral("%%"), QStringLiteral("%")));
}

inline NewColumnChange twiceChange()
{
    NewColumnChange ch;
    ch.table = QStringLiteral("big");
    ch.column = QStringLiteral("twice");
    ch.type = QStringLiteral("bigint");
    ch.backfill = QStringLiteral("qty * 2");
    ch.notNull = true;
    return ch;
}

// A NOT NULL bigint on pgbench's pgbench_accounts (pgbench -i), backfilled from abalance: the change the
// brief-lock benchmark and test run under pgbench's TPC-B.
inline NewColumnChange pgbenchAccountsChange()
{
    NewColumnChange ch;
    ch.table = QStringLiteral("pgbench_accounts");
    ch.column = QStringLiteral("abalance_cents");
    ch.type = QStringLiteral("bigint");
    ch.backfill = QStringLiteral("abalance * 100");
    ch.notNull = true;
    return ch;
}

// twiceChange() planned on big (made by createBigTable) and its expand steps run: the column and its sync
// triggers are there, the backfill still to do.
inline Plan expandTwice(pg::Connection& c, const QString& conninfo)
{
    const Plan plan = planFor(conninfo, twiceChange());
    for (const Step& s : plan.until(Phase::Expand).steps)
        c.execScript(s.sql);
    return plan;
}

// Everything a Runner signalled during one start() or rollback().
struct RunRecording {
    QString outcome;
    QString message;
    QVector<run::Progress> progress;
    QVector<QPair<int, QString>> states;                 // (step, state)
    QVector<QPair<int, QVector<run::BlockingSession>>> lockWaits;
};

inline void record(run::Runner& runner, RunRecording* rec, QObject* context)
{
    QObject::connect(&runner, &run::Runner::progress, context, [rec](const run::Progress& p) { rec->progress << p; });
    QObject::connect(&runner, &run::Runner::stepStateChanged, context,
                     [rec](int i, const QString& s, const QString&) { rec->states << qMakePair(i, s); });
    QObject::connect(&runner, &run::Runner::waitingForLock, context,
                     [rec](int i, const QVector<run::BlockingSession>& b, int) { rec->lockWaits << qMakePair(i, b); });
    QObject::connect(&runner, &run::Runner::finished, context, [rec](const QString& o, const QString& m) {
        rec->outcome = o;
        rec->message = m;
    });
}

// A Runner's start() or rollback() run in this thread (its signals arrive directly), with what it signalled.
inline RunRecording startRun(const QString& conninfo, const QString& journal, qint64 runId, const run::RunOptions& options = {})
{
    RunRecording rec;
    QObject context;
    run::Runner runner(conninfo, journal, runId, options);
    record(runner, &rec, &context);
    runner.start();
    return rec;
}

inline RunRecording rollbackRun(const QString& conninfo, const QString& journal, qint64 runId, const run::RunOptions& options = {})
{
    RunRecording rec;
    QObject context;
    run::Runner runner(conninfo, journal, runId, options);
    record(runner, &rec, &context);
    runner.rollback();
    return rec;
}

// The index of step `id` in `plan`, -1 when it has none.
inline int stepIndexOf(const Plan& plan, const QString& id)
{
    for (int i = 0; i < plan.steps.size(); ++i)
        if (plan.steps[i].id == id)
            return i;
    return -1;
}

// The Runner on its own QThread, as the GUI uses it: every signal crosses threads (queued).
inline RunRecording runOnThread(const QString& conninfo, const QString& journal, qint64 runId,
                                const run::RunOptions& options, int timeoutMs = 300000)
{
    RunRecording rec;
    QThread thread;
    auto* runner = new run::Runner(conninfo, journal, runId, options);
    runner->moveToThread(&thread);
    QObject context;
    record(*runner, &rec, &context);
    QEventLoop loop;
    QObject::connect(runner, &run::Runner::finished, &loop, &QEventLoop::quit, Qt::QueuedConnection);
    QObject::connect(&thread, &QThread::finished, runner, &QObject::deleteLater);
    thread.start();
    QMetaObject::invokeMethod(runner, "start", Qt::QueuedConnection);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    // Deliver the signals still queued for `context`.
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    if (rec.outcome.isEmpty()) {
        runner->abort();
        thread.quit();
        thread.wait();
        throw std::runtime_error("the runner did not finish in time");
    }
    thread.quit();
    thread.wait();
    return rec;
}

// A md5 over every row of `table` for `columns` (SQL list) in key order, restricted by `where`.
inline QString checksum(pg::Connection& c, const QString& table, const QString& columns, const QString& orderBy,
                        const QString& where = QStringLiteral("true"))
{
    return c.exec(QStringLiteral("SELECT md5(coalesce(string_agg(ROW(%1)::text, ',' ORDER BY %2), '')) FROM %3 WHERE %4")
                      .arg(columns, orderBy, table, where))
        .value(0, 0);
}

inline QString scalar(pg::Connection& c, const QString& sql) { return c.exec(sql).value(0, 0); }

// The journaled checkpoint of run `runId`'s backfill step (rows done, batches), if it has one.
inline std::optional<store::Checkpoint> backfillCheckpoint(store::Journal& journal, qint64 runId)
{
    for (const store::StepRecord& s : journal.steps(runId))
        if (s.stepId == QLatin1String("backfill"))
            return journal.checkpoint(runId, s.index);
    return std::nullopt;
}

// Rows of big whose twice is not qty * 2 (twiceChange() done right leaves "0").
inline QString bigMismatches(pg::Connection& c)
{
    return scalar(c, QStringLiteral("SELECT count(*) FROM big WHERE twice IS DISTINCT FROM qty * 2"));
}

// `count` sessions that update random rows of big (made by createBigTable with `rows` rows) every 2 ms,
// from construction until stop() or destruction: the application traffic the backfill must yield to.
class BigTableWriters {
public:
    BigTableWriters(const QString& conninfo, int count, int rows)
    {
        for (int w = 0; w < count; ++w) {
            m_threads.emplace_back([this, conninfo, rows, w] {
                auto c = pg::Connection::open(conninfo);
                QRandomGenerator rng(11 + w);
                while (!m_stop) {
                    try {
                        c->exec(QStringLiteral("UPDATE big SET qty = qty + 1 WHERE id = $1"), {rng.bounded(1, rows + 1)});
                        ++m_writes;
                    } catch (const pg::PgException&) {
                        ++m_errors;
                    }
                    std::this_thread::sleep_for(std::chrono::milliseconds(2));
                }
            });
        }
    }
    ~BigTableWriters() { stop(); }
    void stop()
    {
        m_stop = true;
        for (auto& t : m_threads)
            if (t.joinable())
                t.join();
    }
    int writes() const { return m_writes; }
    int errors() const { return m_errors; }

private:
    std::atomic<bool> m_stop{false};
    std::atomic<int> m_writes{0}, m_errors{0};
    std::vector<std::thread> m_threads;
};

} // namespace lockstep::test
