// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/preview/step_replay.h"

#include "core/preview/preview_statements.h"
#include "core/run/statement_splitter.h"

#include <QVariant>

namespace lockstep::preview {

namespace {
const QString kSavepoint = QStringLiteral("SAVEPOINT lockstep_preview_replay");

QString failure(const Step& step, const pg::PgException& e)
{
    return QStringLiteral("replaying earlier step %1 failed and was rolled back: %2 (SQLSTATE %3)")
        .arg(step.id, e.error().message, e.error().sqlstate);
}
} // namespace

StepReplayer::StepReplayer(pg::Connection& conn, const Plan& plan, quint32 tableOid, const PreviewOptions& options)
    : m_conn(conn), m_plan(plan), m_tableOid(tableOid), m_options(options)
{
}

QString StepReplayer::replay(const Step& step)
{
    if (!step.transactional && step.backfill)
        return replayBackfill(step);
    QStringList statements;
    try {
        statements = run::stepStatements(step.statements, step.sql);
    } catch (const run::SplitError& e) {
        return QStringLiteral("earlier step %1 was not replayed: its SQL does not parse: %2").arg(step.id, QString::fromUtf8(e.what()));
    }
    if (statements.isEmpty())
        return {};   // a gate
    const PreviewStatements prepared = previewStatements(statements, /*plainConcurrently=*/!step.transactional);
    if (!prepared.unusableReason.isEmpty())
        return QStringLiteral("earlier step %1 was not replayed: it %2").arg(step.id, prepared.unusableReason);
    return runInSavepoint(step, prepared.statements);
}

QString StepReplayer::replayBackfill(const Step& step)
{
    const BackfillSpec& spec = *step.backfill;
    const qint64 rows = rowEstimate();
    if (rows > m_options.backfillReplayMaxRows)
        return QStringLiteral("earlier step %1 was skipped: the table has about %2 rows, more than the %3 the preview "
                              "fills in one UPDATE; a later check of the new column may fail because of that")
            .arg(step.id).arg(rows).arg(m_options.backfillReplayMaxRows);
    const pg::Result type = m_conn.exec(pg::sqlResource(QStringLiteral("preview_column_type")),
                                        {m_tableOid, spec.targetColumn});
    if (type.rows() == 0)
        return QStringLiteral("earlier step %1 was skipped: column %2 is not there (its ADD COLUMN did not replay)")
            .arg(step.id, m_conn.quoteIdent(spec.targetColumn));
    // The batches' own UPDATE without the key range: same target, value and filter.
    const QString update = QStringLiteral("UPDATE %1 SET %2 = (%3)::%4 WHERE %5")
                               .arg(m_plan.table, m_conn.quoteIdent(spec.targetColumn), spec.expression,
                                    type.value(0, "type"), spec.filter);
    return runInSavepoint(step, {update});
}

QString StepReplayer::runInSavepoint(const Step& step, const QStringList& statements)
{
    m_conn.exec(kSavepoint);
    try {
        for (const QString& s : statements)
            m_conn.exec(s);
    } catch (const pg::PgException& e) {
        if (e.error().isConnectionError() || !m_conn.isOk())
            throw;
        m_conn.exec(QStringLiteral("ROLLBACK TO SAVEPOINT lockstep_preview_replay"));
        m_conn.exec(QStringLiteral("RELEASE SAVEPOINT lockstep_preview_replay"));
        return failure(step, e);
    }
    m_conn.exec(QStringLiteral("RELEASE SAVEPOINT lockstep_preview_replay"));
    return {};
}

qint64 StepReplayer::rowEstimate()
{
    if (m_rows)
        return *m_rows;
    const pg::Result r = m_conn.exec(pg::sqlResource(QStringLiteral("preview_row_estimate")), {m_tableOid});
    qint64 rows = r.rows() > 0 ? r.value(0, "rows").toLongLong() : -1;
    if (rows < 0) {
        // Never analysed: count, but never further than one row past the limit.
        const pg::Result c = m_conn.exec(QStringLiteral("SELECT count(*) FROM (SELECT 1 FROM %1 LIMIT $1) AS lockstep_rows")
                                             .arg(m_plan.table),
                                         {m_options.backfillReplayMaxRows + 1});
        rows = c.value(0, 0).toLongLong();
    }
    m_rows = rows;
    return rows;
}

} // namespace lockstep::preview
