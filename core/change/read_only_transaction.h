// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/pg/connection.h"

namespace lockstep {

// Everything the resolver asks the server happens inside BEGIN READ ONLY ... ROLLBACK, so that nothing it
// sends can change anything, even by mistake. REPEATABLE READ gives one consistent picture of the
// catalog. Brief timeouts keep a table locked by someone else from hanging the resolver.
// When the connection is already inside a transaction, that transaction is used as it is.
class ReadOnlyTransaction {
public:
    explicit ReadOnlyTransaction(pg::Connection& conn);
    ~ReadOnlyTransaction();   // ROLLBACK (errors ignored: the connection may be gone)
    ReadOnlyTransaction(const ReadOnlyTransaction&) = delete;
    ReadOnlyTransaction& operator=(const ReadOnlyTransaction&) = delete;

private:
    pg::Connection& m_conn;
    bool m_own = false;
};

} // namespace lockstep
