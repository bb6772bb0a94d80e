// SPDX-License-Identifier: GPL-3.0-or-later
#include "bench/support/backfill_methods.h"

#include "core/change/change_resolver.h"
#include "core/plan/planner.h"
#include "core/run/run_creation.h"
#include "core/run/runner.h"
#include "core/store/journal.h"

#include <QElapsedTimer>
#include <limits>
#include <stdexcept>

namespace lockstep::bench {

namespace {
const char* kExpression = "(qty * price)::numeric(12,2)";
const char* kAliasedExpression = "(t.qty * t.price)::numeric(12,2)";

void addColumn(pg::Connection& conn, const QString& t)
{
    conn.exec(QStringLiteral("ALTER TABLE %1 ADD COLUMN total numeric(12,2)").arg(t));
}

// `prepare` (creating the column, and whatever else) counts in wholeSeconds only; the UPDATE in both.
template <typename Prepare>
MethodTiming singleUpdate(pg::Connection& conn, const QString& table, Prepare prepare)
{
    QElapsedTimer whole;
    whole.start();
    prepare();
    QElapsedTimer fill;
    fill.start();
    MethodTiming m;
    m.rows = conn.exec(QStringLiteral("UPDATE %1 SET total = %2").arg(conn.quoteIdent(table), QLatin1String(kExpression)))
                 .affectedRows();
    m.batches = 1;
    m.backfillSeconds = fill.nsecsElapsed() / 1e9;
    m.wholeSeconds = whole.nsecsElapsed() / 1e9;
    return m;
}
} // namespace

MethodTiming oneUpdate(pg::Connection& conn, const QString& table)
{
    return singleUpdate(conn, table, [&] { addColumn(conn, conn.quoteIdent(table)); });
}

MethodTiming keysetBatches(pg::Connection& conn, const QString& table, int batchRows)
{
    const QString t = conn.quoteIdent(table);
    // One round trip per batch: the CTE picks and locks the next keys, the UPDATE fills them, the outer
    // SELECT returns where the batch ended. Autocommit: every batch is its own transaction.
    const QString batch = QStringLiteral(
        "WITH next_keys AS (SELECT id FROM %1 WHERE id > $1::bigint ORDER BY id LIMIT %2 FOR NO KEY UPDATE), "
        "filled AS (UPDATE %1 AS t SET total = %3 FROM next_keys WHERE t.id = next_keys.id RETURNING t.id) "
        "SELECT max(id), count(*) FROM filled")
                              .arg(t).arg(batchRows).arg(QLatin1String(kAliasedExpression));
    QElapsedTimer whole;
    whole.start();
    addColumn(conn, t);
    QElapsedTimer fill;
    fill.start();
    MethodTiming m;
    QString last = QString::number(std::numeric_limits<qint64>::min());
    while (true) {
        const pg::Result r = conn.exec(batch, {last});
        const qint64 n = r.value(0, 1).toLongLong();
        if (n == 0)
            break;
        m.rows += n;
        m.batches += 1;
        last = r.value(0, 0);
    }
    m.backfillSeconds = fill.nsecsElapsed() / 1e9;
    m.wholeSeconds = whole.nsecsElapsed() / 1e9;
    return m;
}

Plan totalColumnPlan(pg::Connection& conn, const QString& table)
{
    NewColumnChange change;
    change.table = table;
    change.column = QStringLiteral("total");
    change.type = QStringLiteral("numeric(12,2)");
    change.backfill = QStringLiteral("qty * price");
    const auto resolved = ChangeResolver(conn).resolve(change);
    return Planner([&conn](const QString& n) { return conn.quoteIdent(n); }).plan(resolved.table, resolved.change);
}

MethodTiming lockstepRunner(pg::Connection& conn, const QString& conninfo, const QString& journalPath,
                            const QString& table, const run::RunOptions& options)
{
    store::Journal journal(journalPath);
    const qint64 runId = run::createRun(journal, totalColumnPlan(conn, table), conninfo, Phase::Backfill);
    run::Runner runner(conninfo, journalPath, runId, options);
    QElapsedTimer whole;
    whole.start();
    runner.start();   // synchronous: no event loop is needed when nobody listens to its signals
    MethodTiming m;
    m.wholeSeconds = whole.nsecsElapsed() / 1e9;
    // The walk, and after it the trigger swap and catch-up of rows updated meanwhile (PG 14+): the backfill
    // is done when all three are.
    bool done = false;
    for (const store::StepRecord& s : journal.steps(runId)) {
        const bool swap = s.stepId == QLatin1String("sync_swap") || s.stepId == QLatin1String("sync_catch_up");
        if (swap) {
            m.backfillSeconds += s.startedAt.msecsTo(s.endedAt) / 1000.0;
            done = done && s.state == store::StepState::Done;
        }
        if (s.stepId != QLatin1String("backfill"))
            continue;
        done = s.state == store::StepState::Done;
        m.backfillSeconds += s.startedAt.msecsTo(s.endedAt) / 1000.0;
        if (const auto cp = journal.checkpoint(runId, s.index)) {
            m.rows = cp->rowsDone;
            m.batches = cp->batches;
        }
    }
    if (!done)
        throw std::runtime_error("the runner did not finish its backfill");
    return m;
}

void expandStep(pg::Connection& conn, const QString& conninfo, const QString& journalPath, const QString& table)
{
    store::Journal journal(journalPath);
    const qint64 runId = run::createRun(journal, totalColumnPlan(conn, table), conninfo, Phase::Expand);
    run::Runner(conninfo, journalPath, runId, {}).start();
}

MethodTiming expandThenOneUpdate(pg::Connection& conn, const QString& conninfo, const QString& journalPath,
                                 const QString& table)
{
    return singleUpdate(conn, table, [&] { expandStep(conn, conninfo, journalPath, table); });
}

} // namespace lockstep::bench
