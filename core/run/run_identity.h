// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Who a run is, on the server: its uid (unique across journals and machines), the journal's run id, the
// operator (login@host) and when it started. Written as a COMMENT on every object the run creates
// (owner_marks.h) and shown to whoever else meets the table (table_claim.h).
#include <QDateTime>
#include <QString>
#include <optional>

namespace lockstep::run {

struct RunIdentity {
    QString uid;              // 32 hex digits (store::RunRecord::uid)
    qint64 journalRunId = 0;  // the id `lockstep resume` takes, in the journal of `operatorName`'s machine
    QString operatorName;     // "alice@db-admin-1"
    QDateTime startedAt;

    // The identity of run `runId` (uid `uid`, started `startedAt`) as this process's user on this host.
    static RunIdentity local(const QString& uid, qint64 runId, const QDateTime& startedAt);

    // "lockstep run 1f3c...: journal run 7 by alice@db-admin-1, started 2026-12-07T15:12:00Z"
    QString mark() const;
    // The identity a mark() names; nullopt for any other text (a comment someone else wrote).
    static std::optional<RunIdentity> fromMark(const QString& text);
    // "run 7 by alice@db-admin-1 (started 2026-12-07 15:12 UTC)"
    QString describe() const;
    // The session's application_name while the run works: "lockstep 1f3c5a7e alice@db-admin-1 <what>",
    // cut to PostgreSQL's 63 bytes.
    QString applicationName(const QString& what) const;
};

// "alice@db-admin-1": the login of this process and the machine's host name.
QString localOperator();

} // namespace lockstep::run
