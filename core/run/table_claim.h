// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Mutual exclusion on the server: a run holds a claim on its table while it works (a session-level
// advisory lock keyed on the table, resources/sql/run_claim_*.sql), so two operators -- two machines, two
// journals -- can never run on one table at once; the one refused is told who holds it, since when and
// doing what (the holder's application_name, which a run keeps up to date: RunIdentity::applicationName).
#include "core/pg/connection.h"

#include <QString>
#include <optional>

namespace lockstep::run {

struct ClaimHolder {
    int pid = 0;
    QString role;
    QString applicationName;   // "lockstep 1f3c5a7e alice@db-admin-1 step 3/10: backfill"
    QString clientAddress;     // "10.0.0.7", or "local" for a Unix socket
    double connectedSeconds = 0;   // -1: hidden from this role (no pg_monitor)

    // "lockstep 1f3c5a7e alice@db-admin-1 step 3/10: backfill (pid 4711, role app, from 10.0.0.7,
    // connected 42 min ago)"
    QString describe() const;
};

// Takes the claim for this session; false when another session holds it. Throws pg::PgException.
bool tryClaimTable(pg::Connection& conn, const QString& table);
// Gives it back (a closed session gives it back too).
void releaseTable(pg::Connection& conn, const QString& table);
// Who holds the claim on `table`, if anyone.
std::optional<ClaimHolder> tableClaimHolder(pg::Connection& conn, const QString& table);

} // namespace lockstep::run
