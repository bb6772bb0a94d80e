// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>
#include <QStringList>

namespace lockstep::preview {

// A step's statements made fit for a preview transaction, or why they cannot be.
struct PreviewStatements {
    QStringList statements;
    QString unusableReason;     // empty when `statements` can run inside BEGIN ... ROLLBACK
};

// Reads each statement's parse tree (libpg_query) and:
//  - drops SET lock_timeout / statement_timeout / idle_in_transaction_session_timeout: the preview's own
//    SET LOCAL values must hold (a plan's "SET lock_timeout = 0" would let a blocked step wait forever);
//  - refuses transaction control (COMMIT, ROLLBACK, SAVEPOINT, PREPARE TRANSACTION ...): the preview must
//    stay one transaction that it rolls back;
//  - CREATE INDEX CONCURRENTLY / DROP INDEX CONCURRENTLY: made plain when `plainConcurrently` (replaying a
//    concurrent build as the equivalent statement inside the transaction), refused otherwise;
//  - refuses text that does not parse.
PreviewStatements previewStatements(const QStringList& statements, bool plainConcurrently);

} // namespace lockstep::preview
