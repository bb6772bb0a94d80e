// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/plan/lock_mode.h"

#include <array>

namespace lockstep {

namespace {
constexpr int kModes = 8;

struct ModeNames {
    const char* sql;      // as in LOCK TABLE ... IN <sql> MODE
    const char* catalog;  // as pg_locks.mode shows it
};

constexpr std::array<ModeNames, kModes> kNames{{
    {"ACCESS SHARE", "AccessShareLock"},
    {"ROW SHARE", "RowShareLock"},
    {"ROW EXCLUSIVE", "RowExclusiveLock"},
    {"SHARE UPDATE EXCLUSIVE", "ShareUpdateExclusiveLock"},
    {"SHARE", "ShareLock"},
    {"SHARE ROW EXCLUSIVE", "ShareRowExclusiveLock"},
    {"EXCLUSIVE", "ExclusiveLock"},
    {"ACCESS EXCLUSIVE", "AccessExclusiveLock"},
}};

// PostgreSQL's table-level lock conflict matrix (documentation, "Table-Level Locks"), one bit per mode
// in the order of LockMode: bit i set in row m means m conflicts with mode i.
constexpr std::array<unsigned, kModes> kConflicts{{
    0b10000000u, // ACCESS SHARE: ACCESS EXCLUSIVE
    0b11000000u, // ROW SHARE: EXCLUSIVE, ACCESS EXCLUSIVE
    0b11110000u, // ROW EXCLUSIVE: SHARE and up
    0b11111000u, // SHARE UPDATE EXCLUSIVE: itself and up
    0b11101100u, // SHARE: ROW EXCLUSIVE, SHARE UPDATE EXCLUSIVE, SHARE ROW EXCLUSIVE and up (not itself)
    0b11111100u, // SHARE ROW EXCLUSIVE: ROW EXCLUSIVE and up
    0b11111110u, // EXCLUSIVE: ROW SHARE and up
    0b11111111u, // ACCESS EXCLUSIVE: everything
}};

QString squeezed(const QString& name)
{
    QString s = name.toUpper();
    s.remove(QLatin1Char(' '));
    s.remove(QLatin1Char('_'));
    if (s.endsWith(QLatin1String("LOCK")))
        s.chop(4);
    if (s.endsWith(QLatin1String("MODE")))
        s.chop(4);
    return s;
}
} // namespace

QString lockModeName(LockMode mode)
{
    return QString::fromLatin1(kNames[static_cast<int>(mode)].sql);
}

std::optional<LockMode> lockModeFromName(const QString& name)
{
    const QString wanted = squeezed(name);
    if (wanted.isEmpty())
        return std::nullopt;
    for (int i = 0; i < kModes; ++i) {
        if (squeezed(QString::fromLatin1(kNames[i].sql)) == wanted)
            return static_cast<LockMode>(i);
    }
    return std::nullopt;
}

bool lockModesConflict(LockMode a, LockMode b)
{
    return (kConflicts[static_cast<int>(a)] >> static_cast<int>(b)) & 1u;
}

QStringList lockBlocks(LockMode mode)
{
    QStringList out;
    if (lockModesConflict(mode, LockMode::AccessShare))
        out << QStringLiteral("reads");
    if (lockModesConflict(mode, LockMode::RowExclusive))
        out << QStringLiteral("writes");
    return out;
}

} // namespace lockstep
