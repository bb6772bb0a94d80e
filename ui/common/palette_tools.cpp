// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/common/palette_tools.h"

#include <QApplication>
#include <QEvent>
#include <QPointer>
#include <QWidget>

#include <algorithm>
#include <cmath>

namespace lockstep::ui {

namespace {
double linear(double channel)
{
    return channel <= 0.04045 ? channel / 12.92 : std::pow((channel + 0.055) / 1.055, 2.4);
}

const QColor kNearBlack(0x1a, 0x1a, 0x1a);

// Re-applies a widget's palette-derived colours when its palette changes; not re-entered by the palette
// change its own style sheet causes.
class PaletteFollower : public QObject {
public:
    PaletteFollower(QWidget* widget, std::function<void()> apply) : QObject(widget), m_apply(std::move(apply)) {}

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (event->type() == QEvent::PaletteChange && !m_applying) {
            m_applying = true;
            m_apply();
            m_applying = false;
        }
        return QObject::eventFilter(watched, event);
    }

private:
    std::function<void()> m_apply;
    bool m_applying = false;
};

// Qt (6.4) leaves a widget with a style sheet, and everything inside it, out of an application palette
// switch: they keep the old palette and hear no PaletteChange. Setting each such widget's sheet again,
// once the windows have their new palette, makes Qt derive their palettes anew (and tell them). The windows
// hear of the switch through posted events: the refresh is posted behind them.
class StyleSheetRefresher : public QObject {
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (event->type() == QEvent::ApplicationPaletteChange && !m_pending && watched->isWidgetType()
            && static_cast<QWidget*>(watched)->isWindow()) {
            m_pending = true;
            QMetaObject::invokeMethod(this, [this] {
                m_pending = false;
                refresh();
            }, Qt::QueuedConnection);
        }
        return QObject::eventFilter(watched, event);
    }

private:
    static void refresh()
    {
        for (QWidget* w : QApplication::allWidgets()) {
            if (w->styleSheet().isEmpty())
                continue;
            bool outermost = true;   // an inner sheet is set again with its outer one
            for (QWidget* up = w->parentWidget(); up && outermost; up = up->parentWidget())
                outermost = up->styleSheet().isEmpty();
            if (outermost)
                w->setStyleSheet(w->styleSheet());
        }
    }

    bool m_pending = false;
};

void refreshStyleSheetsOnPaletteSwitches()
{
    static QPointer<StyleSheetRefresher> refresher;
    if (!refresher && QCoreApplication::instance()) {
        refresher = new StyleSheetRefresher(QCoreApplication::instance());
        QCoreApplication::instance()->installEventFilter(refresher);
    }
}
} // namespace

bool isDark(const QPalette& palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

double relativeLuminance(const QColor& color)
{
    const QColor c = color.toRgb();
    return 0.2126 * linear(c.redF()) + 0.7152 * linear(c.greenF()) + 0.0722 * linear(c.blueF());
}

double contrastRatio(const QColor& a, const QColor& b)
{
    const double la = relativeLuminance(a), lb = relativeLuminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor readableTextOn(const QColor& background)
{
    const double onWhite = contrastRatio(Qt::white, background);
    const double onDark = contrastRatio(kNearBlack, background);
    if (std::max(onWhite, onDark) >= 4.5)
        return onWhite >= onDark ? QColor(Qt::white) : kNearBlack;
    // A mid-tone (an orange-red) where neither reaches 4.5:1: pure black always does (4.58:1 at worst).
    return contrastRatio(Qt::black, background) > onWhite ? QColor(Qt::black) : QColor(Qt::white);
}

QColor legibleOn(const QColor& color, const QColor& background, double minRatio)
{
    if (contrastRatio(color, background) >= minRatio)
        return color;
    // Lighten on a background darker than mid-grey (where white contrasts more), darken otherwise, in HSL
    // so the hue and saturation that carry the meaning stay.
    const bool lighten = contrastRatio(Qt::white, background) > contrastRatio(Qt::black, background);
    float h, s, l, a;
    color.toHsl().getHslF(&h, &s, &l, &a);
    for (int i = 1; i <= 50; ++i) {
        const float step = float(i) / 50;
        const float lightness = lighten ? l + (1 - l) * step : l * (1 - step);
        const QColor candidate = QColor::fromHslF(h, s, lightness);
        if (contrastRatio(candidate, background) >= minRatio)
            return candidate;
    }
    return lighten ? QColor(Qt::white) : QColor(Qt::black);
}

QColor mixColors(const QColor& a, const QColor& b, double t)
{
    const QColor x = a.toRgb(), y = b.toRgb();
    return QColor::fromRgbF(float(x.redF() + (y.redF() - x.redF()) * t), float(x.greenF() + (y.greenF() - x.greenF()) * t),
                            float(x.blueF() + (y.blueF() - x.blueF()) * t));
}

QColor washOn(const QColor& accent, const QColor& background, double strength)
{
    return mixColors(background, accent, strength);
}

QColor quietText(const QPalette& palette)
{
    const QColor window = palette.color(QPalette::Window);
    return legibleOn(mixColors(palette.color(QPalette::WindowText), window, 0.35), window);
}

QPalette surroundingPalette(const QWidget* widget)
{
    return widget->parentWidget() ? widget->parentWidget()->palette() : QApplication::palette(widget);
}

void followPalette(QWidget* widget, std::function<void()> apply)
{
    refreshStyleSheetsOnPaletteSwitches();
    apply();
    widget->installEventFilter(new PaletteFollower(widget, std::move(apply)));
}

namespace {
const char* const kInk = "lockstepInk";          // QColor: the accent asked for (invalid: none)
const char* const kQuiet = "lockstepQuietInk";   // bool
const char* const kFollowing = "lockstepInkFollows";

void applyInk(QWidget* label)
{
    const QPalette around = surroundingPalette(label);
    const QColor accent = label->property(kInk).value<QColor>();
    QPalette own = label->palette();
    if (label->property(kQuiet).toBool())
        own.setColor(QPalette::WindowText, quietText(around));
    else if (accent.isValid())
        own.setColor(QPalette::WindowText, legibleOn(accent, around.color(QPalette::Window)));
    else
        own.setColor(QPalette::WindowText, around.color(QPalette::WindowText));
    label->setPalette(own);
}

void inkLabel(QWidget* label, const QColor& accent, bool quiet)
{
    label->setProperty(kInk, accent);
    label->setProperty(kQuiet, quiet);
    if (label->property(kFollowing).toBool()) {
        applyInk(label);
        return;
    }
    label->setProperty(kFollowing, true);
    followPalette(label, [label] { applyInk(label); });
}
} // namespace

void setAccentText(QWidget* label, const QColor& accent, bool bold)
{
    QFont font = label->font();
    if (font.bold() != bold) {
        font.setBold(bold);
        label->setFont(font);
    }
    inkLabel(label, accent, false);
}

void setQuietText(QWidget* label) { inkLabel(label, QColor(), true); }

} // namespace lockstep::ui
