// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/plan/lint_panel_looks.h"

#include "ui/common/palette_tools.h"

namespace lockstep::ui::lint_widgets {

namespace {
const QColor kAmber(0xc7, 0x7c, 0x02);
const QColor kRed(0xd0, 0x1c, 0x1c);
const QColor kBlue(0x3b, 0x6e, 0xc5);
} // namespace

LintLooks lintLooksFor(const QPalette& palette)
{
    LintLooks l;
    const QColor base = palette.color(QPalette::Base);
    const QColor window = palette.color(QPalette::Window);
    if (!isDark(palette)) {
        l.card = {QColor(0xff, 0xff, 0xff), QColor(0xd5, 0xda, 0xe0), QColor()};
        l.hazardCard = {QColor(0xff, 0xff, 0xff), QColor(0xd5, 0xda, 0xe0), kAmber};
        l.quietCard = {QColor(0xf7, 0xf8, 0xfa), QColor(0xe3, 0xe6, 0xea), QColor(), 4};
        l.error = {QColor(0xfd, 0xf0, 0xf0), kRed, kRed};
        l.hazardBox = {QColor(0xff, 0xf8, 0xe6), QColor(), QColor(), 4};
        l.index = {QColor(0xff, 0xf8, 0xe6), QColor(0xec, 0xd9, 0xa8), kAmber};
    } else {
        const QColor text = palette.color(QPalette::Text);
        const QColor border = mixColors(base, text, 0.2);
        l.card = {base, border, QColor()};
        l.hazardCard = {base, border, kAmber};
        l.quietCard = {mixColors(base, window, 0.5), mixColors(base, text, 0.1), QColor(), 4};
        l.error = {washOn(kRed, base, 0.18), legibleOn(kRed, base, 3), legibleOn(kRed, base, 3)};
        l.hazardBox = {washOn(kAmber, base, 0.14), QColor(), QColor(), 4};
        l.index = {washOn(kAmber, window, 0.16), washOn(kAmber, window, 0.45), kAmber};
    }
    for (BoxLook* look : {&l.card, &l.hazardCard, &l.quietCard, &l.error, &l.hazardBox, &l.index})
        look->selection = legibleOn(kBlue, look->fill, 3);
    // The light palette's inks, lifted where a dark box needs it.
    l.indexText = legibleOn(QColor(0x4a, 0x33, 0x00), l.index.fill, 7);
    l.moreText = legibleOn(QColor(0x7a, 0x5a, 0x1a), l.index.fill);
    l.indexLink = legibleOn(palette.color(QPalette::Link), l.index.fill);
    l.emptyText = legibleOn(QColor(0x4f, 0x58, 0x61), window);
    l.summaryError = legibleOn(QColor(0xb7, 0x1c, 0x1c), window);
    l.summaryHazards = legibleOn(QColor(0x8a, 0x53, 0x00), window);
    l.summaryClean = legibleOn(QColor(0x1b, 0x5e, 0x20), window);
    l.lineNumber = legibleOn(QColor(0x5f, 0x69, 0x73), l.card.fill);
    l.effects = legibleOn(QColor(0x3d, 0x46, 0x50), l.card.fill, 7);
    l.quietSql = legibleOn(QColor(0x4f, 0x58, 0x61), l.quietCard.fill);
    l.hazardText = legibleOn(QColor(0x5c, 0x38, 0x00), l.hazardBox.fill, 7);
    l.errorHint = legibleOn(QColor(0x5a, 0x20, 0x20), l.error.fill);
    return l;
}

} // namespace lockstep::ui::lint_widgets
