// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/change/new_column_change.h"

namespace lockstep::test {

// A new column `column` of `type` on `table`, every other field unset: what the resolver's tests start from.
inline NewColumnChange addColumnChange(const QString& table, const QString& column, const QString& type)
{
    NewColumnChange c;
    c.table = table;
    c.column = column;
    c.type = type;
    return c;
}

} // namespace lockstep::test
