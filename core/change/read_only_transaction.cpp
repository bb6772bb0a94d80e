// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/change/read_only_transaction.h"

namespace lockstep {

ReadOnlyTransaction::ReadOnlyTransaction(pg::Connection& conn) : m_conn(conn)
{
    if (m_conn.inTransaction())
        return;
    m_conn.exec(QStringLiteral("BEGIN READ ONLY ISOLATION LEVEL REPEATABLE READ"));
    m_own = true;
    m_conn.exec(QStringLiteral("SET LOCAL lock_timeout = '5s'"));
    m_conn.exec(QStringLiteral("SET LOCAL statement_timeout = '60s'"));
}

ReadOnlyTransaction::~ReadOnlyTransaction()
{
    if (!m_own)
        return;
    try {
        m_conn.exec(QStringLiteral("ROLLBACK"));
    } catch (...) {
    }
}

} // namespace lockstep
