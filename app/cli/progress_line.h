// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/run/run_types.h"

#include <QString>

namespace lockstep::cli {

// "backfill  412,000 / 1,000,000 rows  41.2 %  12,400 rows/s  ETA 47 s  batch 3,000  [throttled: paused]",
// with a bar when `bar` (a terminal).
QString progressLine(const run::Progress& p, bool bar);
// 12400 -> "12,400"
QString groupedNumber(qint64 n);

} // namespace lockstep::cli
