// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "ui/server/catalog_types.h"
#include "ui/common/lock_badge.h"

#include <QString>
#include <QStringList>

namespace lockstep::ui {

// The plan's cost to the table's live traffic in words, for the top of the plan view: how many steps
// take ACCESS EXCLUSIVE (and the longest), what queued sessions wait at the table's current write rate,
// which steps block writes, rewrite or scan, how long the backfill runs, and where the point of no
// return is. `stats` may be null (the table is not in the catalog snapshot): the figures then say so.
struct PlanRiskSummary {
    LockSeverity impact = LockSeverity::None;   // red: rewrites; amber: brief blocking locks; green: none
    QString impactWord;                         // "no blocking", "brief locks", "blocks traffic"
    QString headline;
    QStringList lines;                          // plain text, one sentence or two each

    QString toHtml() const;
    QString headlineHtml() const;               // the impact chip and the headline
    QString linesHtml() const;                  // the lines, one bullet each
    QString toPlainText() const;
};

PlanRiskSummary summarizePlanRisk(const Plan& plan, const pg::TableStats* stats, int lockTimeoutMs);

} // namespace lockstep::ui
