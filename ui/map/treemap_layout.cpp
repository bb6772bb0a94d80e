// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/map/treemap_layout.h"

#include <algorithm>
#include <numeric>

namespace lockstep::ui {

namespace {
// The worst aspect ratio of a row of areas laid along a side of length `side`.
double worstRatio(double sum, double minArea, double maxArea, double side)
{
    if (sum <= 0 || side <= 0 || minArea <= 0)
        return 1e300;
    const double s2 = side * side;
    const double sum2 = sum * sum;
    return std::max(s2 * maxArea / sum2, sum2 / (s2 * minArea));
}
} // namespace

QVector<QRectF> squarify(const QVector<double>& weights, const QRectF& bounds)
{
    QVector<QRectF> out(weights.size());
    QVector<int> order;
    order.reserve(weights.size());
    double total = 0;
    for (int i = 0; i < weights.size(); ++i) {
        if (weights[i] > 0) {
            order.push_back(i);
            total += weights[i];
        }
    }
    if (order.isEmpty() || bounds.width() <= 0 || bounds.height() <= 0)
        return out;
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return weights[a] > weights[b]; });

    // Areas in pixels, so ratios compare like with like.
    const double scale = bounds.width() * bounds.height() / total;
    QRectF free = bounds;
    int start = 0;
    while (start < order.size()) {
        const bool horizontalRow = free.width() >= free.height();   // the row runs along the shorter side
        const double side = horizontalRow ? free.height() : free.width();
        double sum = 0, minA = 0, maxA = 0;
        int end = start;
        double best = 1e300;
        while (end < order.size()) {
            const double a = weights[order[end]] * scale;
            const double nsum = sum + a;
            const double nmin = end == start ? a : std::min(minA, a);
            const double nmax = end == start ? a : std::max(maxA, a);
            const double ratio = worstRatio(nsum, nmin, nmax, side);
            if (end > start && ratio > best)
                break;
            best = ratio;
            sum = nsum;
            minA = nmin;
            maxA = nmax;
            ++end;
        }
        // Place [start, end) as one strip along `side`; the strip's thickness is sum / side.
        const double thickness = side > 0 ? sum / side : 0;
        double offset = 0;
        for (int k = start; k < end; ++k) {
            const double a = weights[order[k]] * scale;
            const double len = thickness > 0 ? a / thickness : 0;
            if (horizontalRow)
                out[order[k]] = QRectF(free.left(), free.top() + offset, thickness, len);
            else
                out[order[k]] = QRectF(free.left() + offset, free.top(), len, thickness);
            offset += len;
        }
        if (horizontalRow)
            free.setLeft(std::min(free.right(), free.left() + thickness));
        else
            free.setTop(std::min(free.bottom(), free.top() + thickness));
        start = end;
    }
    return out;
}

} // namespace lockstep::ui
