// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The lint panel's colours for the current palette: the light palette's designed tints, or deep washes of
// the same hues under a dark palette; every ink is kept at 4.5:1 against the box it sits on.
#include "ui/plan/lint_panel_widgets.h"

#include <QPalette>

namespace lockstep::ui::lint_widgets {

struct LintLooks {
    BoxLook card, hazardCard, quietCard, error, hazardBox, index;
    QColor indexText, moreText, indexLink;   // on the index box
    QColor emptyText;                    // the empty state, on the window
    QColor summaryError, summaryHazards, summaryClean;   // the summary line, on the window
    QColor lineNumber, effects;          // on a card
    QColor quietSql;                     // on a quiet card
    QColor hazardText;                   // on a hazard box
    QColor errorHint;                    // on the error card
};

LintLooks lintLooksFor(const QPalette& palette);

} // namespace lockstep::ui::lint_widgets
