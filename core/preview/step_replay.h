// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/pg/connection.h"
#include "core/plan/plan.h"
#include "core/preview/lock_preview.h"

#include <QString>
#include <optional>

namespace lockstep::preview {

// Replays an earlier step of the plan inside the preview transaction, so that the step under observation
// meets the state it expects: transactional steps as they are, a CONCURRENTLY build as the plain statement,
// the backfill as one UPDATE of the rows still to fill when the table is small enough. Each replay runs
// inside its own savepoint: one that fails is rolled back to it and noted, and the next ones still run.
class StepReplayer {
public:
    StepReplayer(pg::Connection& conn, const Plan& plan, quint32 tableOid, const PreviewOptions& options);

    // Empty when the step was replayed (or had nothing to replay); else a sentence for the notes.
    // Throws PgException only when the connection broke.
    QString replay(const Step& step);

private:
    QString replayBackfill(const Step& step);
    QString runInSavepoint(const Step& step, const QStringList& statements);
    qint64 rowEstimate();

    pg::Connection& m_conn;
    const Plan& m_plan;
    quint32 m_tableOid;
    PreviewOptions m_options;
    std::optional<qint64> m_rows;
};

} // namespace lockstep::preview
