// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>
#include <QStringList>
#include <optional>

namespace lockstep {

// PostgreSQL's table-level lock modes, weakest first.
enum class LockMode {
    AccessShare,
    RowShare,
    RowExclusive,
    ShareUpdateExclusive,
    Share,
    ShareRowExclusive,
    Exclusive,
    AccessExclusive,
};

QString lockModeName(LockMode mode);                         // "ACCESS EXCLUSIVE"
std::optional<LockMode> lockModeFromName(const QString& name); // accepts "ACCESS EXCLUSIVE" and "AccessExclusiveLock"
bool lockModesConflict(LockMode a, LockMode b);              // PostgreSQL's conflict matrix
// What ordinary traffic the mode blocks: "reads" (conflicts with ACCESS SHARE), "writes" (with ROW EXCLUSIVE).
QStringList lockBlocks(LockMode mode);

} // namespace lockstep
