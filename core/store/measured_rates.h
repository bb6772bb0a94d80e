// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/plan/planner.h"
#include "core/store/journal.h"

#include <QString>

namespace lockstep::store {

// What earlier runs on the same server measured, read from the journal: the backfill's real speed there
// instead of the planner's fixed default (50,000 rows/s). The first part of calibrated estimates.
struct MeasuredRates {
    double backfillRowsPerSecond = 0;   // 0: nothing measured on this server
    int walks = 0;                      // the finished backfill walks it comes from
    QString server;                     // "host:port" the runs were on
};

// The median rows/s of the last five finished backfill walks of runs on `conninfo`'s server (host and port;
// any database and role): each walk's rows (its checkpoint) over its own duration, counted only when it
// took at least 1 s and wrote at least 1,000 rows (shorter ones measure the start-up, not the speed).
MeasuredRates measuredRates(const Journal& journal, const QString& conninfo);

// The planner's options with the measured backfill speed in place of the default, and the source each
// estimate now says ("measured on this server: 31,400 rows/s over 3 earlier backfills" or "default model").
PlannerOptions calibrated(PlannerOptions options, const MeasuredRates& rates);

// calibrated() with what the journal at `journalPath` measured on `conninfo`'s server, when that journal exists
// (it is only read, never created); when it cannot be read, `problem` says why and the default model stays.
PlannerOptions calibratedFromJournal(PlannerOptions options, const QString& journalPath, const QString& conninfo,
                                     QString* problem = nullptr);

// "host:port" of a conninfo (pg::serverKey without the role and database).
QString serverAddress(const QString& conninfo);

} // namespace lockstep::store
