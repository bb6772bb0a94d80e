// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/common/risk_palette.h"

#include "ui/common/palette_tools.h"

#include <QtGlobal>
#include <array>

namespace lockstep::ui {

namespace {
QColor mix(const QColor& a, const QColor& b, double t)
{
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t), float(a.greenF() + (b.greenF() - a.greenF()) * t),
                            float(a.blueF() + (b.blueF() - a.blueF()) * t));
}
} // namespace

namespace {
QColor computeRiskColor(int score)
{
    // Teal (calm) through amber to red (hot): distinguishable in lightness too, not only in hue.
    static const QColor calm(0x5f, 0xa8, 0x8f);
    static const QColor middle(0xe8, 0xb0, 0x3c);
    static const QColor hot(0xc8, 0x3a, 0x32);
    const double t = qBound(0, score, 100) / 100.0;
    return t < 0.5 ? mix(calm, middle, t * 2) : mix(middle, hot, (t - 0.5) * 2);
}
} // namespace

QColor riskColor(int score)
{
    // Computed once: the map asks for it 10,000 times per paint.
    static const auto table = [] {
        std::array<QColor, 101> colors;
        for (int s = 0; s <= 100; ++s)
            colors[size_t(s)] = computeRiskColor(s);
        return colors;
    }();
    return table[size_t(qBound(0, score, 100))];
}

QColor textColorOn(const QColor& background)
{
    return readableTextOn(background);   // the better contrast, at least 4.5:1 (WCAG)
}

QString riskWord(int score)
{
    if (score >= 75)
        return QStringLiteral("hot");
    if (score >= 50)
        return QStringLiteral("high");
    if (score >= 25)
        return QStringLiteral("moderate");
    return QStringLiteral("calm");
}

} // namespace lockstep::ui
