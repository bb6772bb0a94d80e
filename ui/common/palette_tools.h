// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Colours that follow the application palette. The window takes the platform's palette as it is (light or
// dark, switched while running): everything painted in a colour of our own is chosen against the palette's
// background with these helpers, so it stays readable on both. "Dark" is read from the palette itself,
// never from a setting.
#include <QColor>
#include <QPalette>

#include <functional>

class QWidget;

namespace lockstep::ui {

// A dark palette: light text on a dark window (the window colour's lightness below 128).
bool isDark(const QPalette& palette);

// WCAG 2: relative luminance (0 black .. 1 white) and the contrast ratio of two colours (1 .. 21).
// Text wants 4.5:1 against its background, lines and marks 3:1.
double relativeLuminance(const QColor& color);
double contrastRatio(const QColor& a, const QColor& b);

// Near-black or white, whichever reads better on `background`; pure black where near-black falls short of
// 4.5:1 and white is worse still.
QColor readableTextOn(const QColor& background);

// `color` with its hue kept, made lighter (on a dark background) or darker (on a light one) just enough to
// reach `minRatio` against `background`; unchanged when it already does.
QColor legibleOn(const QColor& color, const QColor& background, double minRatio = 4.5);

// `a` moved towards `b` by `t` (0: a, 1: b), opaque.
QColor mixColors(const QColor& a, const QColor& b, double t);

// A faint wash of `accent` over `background`, for a highlighted box: a pale tint on a light palette, a
// deep one on a dark palette.
QColor washOn(const QColor& accent, const QColor& background, double strength = 0.16);

// Secondary text ("why", notes): between the window's text and its background, still 4.5:1 against it.
// Unlike QPalette::PlaceholderText it is derived from colours every palette sets.
QColor quietText(const QPalette& palette);

// The palette around `widget`: its parent's (the application's for a window). A widget with a style sheet
// has the sheet's colours in its own palette (its background as Window and Base), not the platform's.
QPalette surroundingPalette(const QWidget* widget);

// Calls `apply` now and again whenever `widget`'s palette changes (an application palette switch reaches
// every widget as QEvent::PaletteChange). For widgets that bake palette-derived colours into style sheets or
// painted looks. `apply` may set a style sheet on `widget`: the palette change that causes is not re-entered.
// Widgets with style sheets, which Qt leaves out of an application palette switch, are brought along too.
void followPalette(QWidget* widget, std::function<void()> apply);

// A label's text in `accent` (an error's red) made legible on its parent's window colour, bold or not; an
// invalid colour gives the label back the palette's own text colour. Kept right after palette changes.
void setAccentText(QWidget* label, const QColor& accent, bool bold = false);
// A label's text in quietText() of its parent's palette, kept right after palette changes.
void setQuietText(QWidget* label);

} // namespace lockstep::ui
