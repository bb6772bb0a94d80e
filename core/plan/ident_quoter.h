// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>
#include <functional>

namespace lockstep {

// Quotes one identifier for generated SQL. In production this is libpq's PQescapeIdentifier through the
// live Connection (pg::Connection::quoteIdent); the planner never quotes by itself.
using IdentQuoter = std::function<QString(const QString&)>;

// The same rule as PQescapeIdentifier for a UTF-8 client encoding (wrap in double quotes, double any
// double quote). Only for planning from a hand-built snapshot (unit tests); a pg test checks it agrees
// with libpq on hostile names.
IdentQuoter offlineIdentQuoter();

} // namespace lockstep
