// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <stdexcept>

namespace lockstep::store {

// Anything the journal could not do: open, migrate, read or write (SQLite's message, with context).
struct JournalError : std::runtime_error {
    explicit JournalError(const std::string& what, int sqliteCode = 0) : std::runtime_error(what), sqliteCode(sqliteCode) {}
    int sqliteCode;   // SQLite's primary result code when a statement failed (SQLITE_BUSY = 5), else 0
};

} // namespace lockstep::store
