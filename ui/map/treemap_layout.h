// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QRectF>
#include <QVector>

namespace lockstep::ui {

// Squarified treemap (Bruls, Huizing, van Wijk): lays `weights` out in `bounds` so each rectangle's area is
// proportional to its weight and rectangles stay close to square. Returns one rectangle per weight, in the
// order given (the layout itself works largest first). Zero or negative weights get an empty rectangle.
QVector<QRectF> squarify(const QVector<double>& weights, const QRectF& bounds);

} // namespace lockstep::ui
