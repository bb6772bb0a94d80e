// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <stdexcept>

namespace lockstep::store {

// Anything the journal could not do: open, migrate, read or write (SQLite's message, with context).
struct JournalError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

} // namespace lockstep::store
