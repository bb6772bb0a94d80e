// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A dark palette as a desktop's dark theme hands it to Qt (every role set, Breeze Dark's colours), a check
// that walks a window's labels and measures what they show against what they sit on, and readers of grabs.
#include "ui/common/palette_tools.h"

#include <QApplication>
#include <QImage>
#include <QLabel>
#include <QPalette>
#include <QRegularExpression>
#include <QStringList>
#include <QWidget>

#include <map>
#include <utility>

namespace lockstep::test {

inline QPalette darkPalette()
{
    QPalette p(QColor(0xfc, 0xfc, 0xfc) /*windowText*/, QColor(0x29, 0x2c, 0x30) /*button*/, QColor(0x40, 0x46, 0x4c) /*light*/,
               QColor(0x10, 0x11, 0x12) /*dark*/, QColor(0x1e, 0x21, 0x24) /*mid*/, QColor(0xfc, 0xfc, 0xfc) /*text*/,
               QColor(0xff, 0xff, 0xff) /*brightText*/, QColor(0x14, 0x16, 0x18) /*base*/, QColor(0x20, 0x23, 0x26) /*window*/);
    p.setColor(QPalette::AlternateBase, QColor(0x1d, 0x1f, 0x22));
    p.setColor(QPalette::Midlight, QColor(0x33, 0x37, 0x3b));
    p.setColor(QPalette::Shadow, Qt::black);
    p.setColor(QPalette::Highlight, QColor(0x3d, 0xae, 0xe9));
    p.setColor(QPalette::HighlightedText, QColor(0xfc, 0xfc, 0xfc));
    p.setColor(QPalette::ToolTipBase, QColor(0x29, 0x2c, 0x30));
    p.setColor(QPalette::ToolTipText, QColor(0xfc, 0xfc, 0xfc));
    p.setColor(QPalette::Link, QColor(0x1d, 0x99, 0xf3));
    p.setColor(QPalette::LinkVisited, QColor(0x9b, 0x59, 0xb6));
    p.setColor(QPalette::PlaceholderText, QColor(0xa1, 0xa9, 0xb1));
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, QColor(0x6e, 0x71, 0x75));
    return p;
}

// Problems of the visible labels under `root`: a plain label's text against its own palette's window (a
// style sheet's colour and background land there too), and each coloured span of a rich-text label against
// the span's own background or else the label's window. Labels inside a box with a light background of
// its own (a banner whose style sheet sets it) are checked by that box's author, not here.
inline QStringList unreadableLabels(QWidget* root, double minRatio = 4.5)
{
    static const QRegularExpression span(QStringLiteral("style=\"([^\"]*)\"|style='([^']*)'"));
    static const QRegularExpression colour(QStringLiteral("(?:^|;|\\s)color\\s*:\\s*(#[0-9a-fA-F]{6}|white|black)"));
    static const QRegularExpression back(QStringLiteral("background(?:-color)?\\s*:\\s*(#[0-9a-fA-F]{6})"));
    QStringList problems;
    for (QLabel* label : root->findChildren<QLabel*>()) {
        if (!label->isVisibleTo(root) || !label->isEnabled() || label->text().isEmpty())
            continue;
        bool ownBox = false;
        for (QWidget* w = label->parentWidget(); w && w != root->window(); w = w->parentWidget())
            ownBox |= w->styleSheet().contains(QLatin1String("background"));
        if (ownBox)
            continue;
        // A label that paints its own fill (the lint panel's lock badges) says so in a "fill" property.
        const QColor fill = label->property("fill").value<QColor>();
        const QColor window = fill.isValid() ? fill : label->palette().color(QPalette::Window);
        const QColor text = label->palette().color(QPalette::WindowText);
        const QString name = label->objectName().isEmpty() ? label->text().left(40) : label->objectName();
        if (!label->pixmap().isNull())
            continue;
        if (ui::contrastRatio(text, window) < minRatio)
            problems << QStringLiteral("%1: text %2 on %3 (%4:1)").arg(name, text.name(), window.name())
                            .arg(ui::contrastRatio(text, window), 0, 'f', 2);
        for (auto it = span.globalMatch(label->text()); it.hasNext();) {
            const auto m = it.next();
            const QString style = m.captured(1) + m.captured(2);
            const auto c = colour.match(style);
            if (!c.hasMatch())
                continue;
            const auto b = back.match(style);
            const QColor ink(c.captured(1));
            const QColor ground = b.hasMatch() ? QColor(b.captured(1)) : window;
            if (ui::contrastRatio(ink, ground) < minRatio)
                problems << QStringLiteral("%1: span %2 on %3 (%4:1)").arg(name, ink.name(), ground.name())
                                .arg(ui::contrastRatio(ink, ground), 0, 'f', 2);
        }
    }
    return problems;
}

// Grabs are in device pixels (twice the widget's under QT_SCALE_FACTOR=2): these take widget coordinates.
inline QColor pixelAt(const QImage& image, QPointF at)
{
    at *= image.devicePixelRatio();
    return QColor(image.pixel(int(at.x()), int(at.y())));
}

// The ink painted in `logical` of `image`: the pixel farthest (in contrast) from the area's commonest colour.
inline std::pair<QColor, QColor> fillAndInk(const QImage& image, const QRect& logical)
{
    const qreal ratio = image.devicePixelRatio();
    const QRect area(QPoint(int(logical.left() * ratio), int(logical.top() * ratio)), logical.size() * ratio);
    std::map<QRgb, int> counts;
    for (int y = area.top(); y <= area.bottom(); ++y)
        for (int x = area.left(); x <= area.right(); ++x)
            ++counts[image.pixel(x, y)];
    QRgb fill = 0;
    int most = -1;
    for (const auto& [rgb, n] : counts)
        if (n > most)
            most = n, fill = rgb;
    QColor ink(fill);
    for (const auto& [rgb, n] : counts)
        if (ui::contrastRatio(QColor(rgb), QColor(fill)) > ui::contrastRatio(ink, QColor(fill)))
            ink = QColor(rgb);
    return {QColor(fill), ink};
}

} // namespace lockstep::test
