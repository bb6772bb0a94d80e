// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Whether a connection reaches PostgreSQL through a connection pooler (PgBouncer) and in which pool mode.
// A run relies on its session -- lock_timeout set per attempt, the claim on its table (a session advisory
// lock), the backfill's session settings -- which transaction (or statement) pooling does not keep: such
// runs are refused with the advice to connect directly; session pooling keeps one server session per
// client, so a run works through it. Read-only work (plan, inspect) works through any mode.
#include "core/pg/connection.h"

namespace lockstep::pg {

struct PoolerCheck {
    bool detected = false;
    QString mode;          // "session", "transaction", "statement", or empty when it could not be learnt
    QString evidence;      // "connected to port 6432, the server listens on 5432"

    // Whether a run may work through it: no pooler, or session pooling.
    bool keepsSessions() const { return !detected || mode == QLatin1String("session"); }
    // "a connection pooler (pool_mode=transaction): connected to port 6432, the server listens on 5432"
    QString describe() const;
};

// Compares the port the client reached with the server's own; when they differ, asks PgBouncer's admin
// console (dbname=pgbouncer, same conninfo otherwise) for the database's pool_mode, else watches whether
// two client connections share a server session (transaction pooling) -- which it also does when the ports
// agree (a pooler on another host's port 5432). Opens up to two more connections. Throws PgException only
// for `conn`'s own failure; the admin console may refuse (then mode stays empty).
PoolerCheck detectPooler(Connection& conn, const QString& conninfo);

} // namespace lockstep::pg
