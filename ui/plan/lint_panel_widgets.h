// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/plan/lock_mode.h"
#include "ui/common/lock_badge.h"
#include "ui/common/risk_palette.h"

#include <QEvent>
#include <QFrame>
#include <QHash>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QResizeEvent>
#include <QTextLayout>
#include <QVector>

#include <cmath>
#include <functional>
#include <optional>

// The lint panel's building blocks. They paint themselves instead of using style sheets: a style sheet per
// widget costs milliseconds each, and a pasted script has thousands of statements.
namespace lockstep::ui::lint_widgets {

struct BoxLook {
    QColor fill, border, accent;   // accent: the bar down the left edge (invalid: none)
    int radius = 6;
    QColor selection = QColor(0x3b, 0x6e, 0xc5);   // the border of a selected card
};

// The box's fill as its palette's Window, so what sits on it (and a check of its contrast) knows its ground.
inline void setBoxGround(QWidget* w, const BoxLook& look)
{
    QPalette p = w->palette();
    p.setColor(QPalette::Window, look.fill);
    w->setPalette(p);
}

inline void paintBox(QWidget* w, const BoxLook& look, bool selected)
{
    QPainter p(w);
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF r = QRectF(w->rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    QPainterPath path;
    path.addRoundedRect(r, look.radius, look.radius);
    p.fillPath(path, look.fill);
    if (look.accent.isValid()) {
        p.save();
        p.setClipPath(path);
        p.fillRect(QRectF(r.left(), r.top(), 4, r.height()), look.accent);
        p.restore();
    }
    if (look.border.isValid() || selected) {
        p.setPen(QPen(selected ? look.selection : look.border, selected ? 2 : 1));
        p.drawPath(selected ? [&] {
            QPainterPath inner;
            inner.addRoundedRect(r.adjusted(0.5, 0.5, -0.5, -0.5), look.radius, look.radius);
            return inner;
        }()
                            : path);
    }
}

class PaintedBox : public QFrame {
public:
    PaintedBox(const BoxLook& look, QWidget* parent) : QFrame(parent), m_look(look) { setBoxGround(this, look); }
    void setLook(const BoxLook& look)
    {
        m_look = look;
        setBoxGround(this, look);
        update();
    }

protected:
    void paintEvent(QPaintEvent*) override { paintBox(this, m_look, false); }

private:
    BoxLook m_look;
};

// A card that reports clicks anywhere on it (its labels let mouse presses through).
class ClickableCard : public QFrame {
public:
    ClickableCard(const BoxLook& look, std::function<void()> onClick, QWidget* parent)
        : QFrame(parent), m_look(look), m_onClick(std::move(onClick))
    {
        setBoxGround(this, look);
        setCursor(Qt::PointingHandCursor);
    }
    void setSelected(bool selected)
    {
        setProperty("selected", selected);
        update();
    }

protected:
    void paintEvent(QPaintEvent*) override { paintBox(this, m_look, property("selected").toBool()); }
    void mousePressEvent(QMouseEvent* event) override
    {
        if (event->button() == Qt::LeftButton && m_onClick)
            m_onClick();
        QFrame::mousePressEvent(event);
    }

private:
    BoxLook m_look;
    std::function<void()> m_onClick;
};

// The lock badge (ui/lock_badge.h's colours and words), painted.
class BadgeLabel : public QLabel {
public:
    BadgeLabel(std::optional<LockMode> mode, QWidget* parent) : QLabel(lockBadgeText(mode), parent)
    {
        m_fill = ui::lockColor(lockSeverity(mode));
        setProperty("fill", m_fill);
        QFont f = font();
        f.setBold(true);
        setFont(f);
        setContentsMargins(6, 1, 6, 1);
        setAlignment(Qt::AlignCenter);
        setAttribute(Qt::WA_TransparentForMouseEvents);
        QPalette pal = palette();
        pal.setColor(QPalette::WindowText, textColorOn(m_fill));
        setPalette(pal);
    }

protected:
    void paintEvent(QPaintEvent* event) override
    {
        {
            QPainter p(this);
            p.setRenderHint(QPainter::Antialiasing);
            p.setPen(Qt::NoPen);
            p.setBrush(m_fill);
            p.drawRoundedRect(QRectF(rect()), 4, 4);
        }
        QLabel::paintEvent(event);
    }

private:
    QColor m_fill;
};

inline void setTextColor(QWidget* w, const QColor& color)
{
    QPalette pal = w->palette();
    pal.setColor(QPalette::WindowText, color);
    pal.setColor(QPalette::Text, color);
    w->setPalette(pal);
}

// Word-wrapped text with bold and coloured spans, laid out once per width. A word-wrapped QLabel lays its
// text out again on every heightForWidth call the nested layouts make (milliseconds per hazard).
class WrappedText : public QWidget {
public:
    struct Span {
        QString text;
        bool bold = false;
        QColor color;   // invalid: the widget's text colour
    };
    WrappedText(const QVector<Span>& spans, QWidget* parent, bool wrap = true) : QWidget(parent), m_wrap(wrap)
    {
        for (const Span& span : spans) {
            QTextLayout::FormatRange range;
            range.start = int(m_text.size());
            range.length = int(span.text.size());
            if (span.bold)
                range.format.setFontWeight(QFont::Bold);
            if (span.color.isValid())
                range.format.setForeground(span.color);
            if (span.bold || span.color.isValid())
                m_formats << range;
            m_text += span.text;
        }
        QSizePolicy policy(wrap ? QSizePolicy::Preferred : QSizePolicy::Fixed, QSizePolicy::Preferred);
        policy.setHeightForWidth(wrap);
        setSizePolicy(policy);
        setAttribute(Qt::WA_TransparentForMouseEvents);
    }
    QString text() const { return m_text; }

    bool hasHeightForWidth() const override { return m_wrap; }
    int heightForWidth(int width) const override
    {
        auto it = m_heights.constFind(width);
        if (it == m_heights.cend()) {
            QTextLayout layout;
            it = m_heights.insert(width, lay(layout, width));
        }
        return *it;
    }
    QSize sizeHint() const override
    {
        const int natural = naturalWidth();
        const int width = m_wrap ? qMin(natural, 360) : natural;
        return {width, m_wrap ? heightForWidth(width) : fontMetrics().height()};
    }
    QSize minimumSizeHint() const override
    {
        return m_wrap ? QSize(40, fontMetrics().height()) : sizeHint();
    }

protected:
    void changeEvent(QEvent* event) override
    {
        if (event->type() == QEvent::FontChange) {
            m_heights.clear();
            m_natural = -1;
        }
        QWidget::changeEvent(event);
    }
    void paintEvent(QPaintEvent*) override
    {
        QPainter p(this);
        p.setPen(palette().color(QPalette::WindowText));
        QTextLayout layout;
        lay(layout, m_wrap ? width() : 1 << 20);
        layout.draw(&p, QPointF(0, 0));
    }

private:
    int lay(QTextLayout& layout, int width) const
    {
        layout.setText(m_text);
        layout.setFont(font());
        layout.setFormats(m_formats);
        QTextOption option;
        option.setWrapMode(m_wrap ? QTextOption::WrapAtWordBoundaryOrAnywhere : QTextOption::NoWrap);
        layout.setTextOption(option);
        layout.setCacheEnabled(true);
        qreal y = 0;
        layout.beginLayout();
        for (QTextLine line = layout.createLine(); line.isValid(); line = layout.createLine()) {
            line.setLineWidth(qMax(1, width));
            line.setPosition(QPointF(0, y));
            y += line.height();
        }
        layout.endLayout();
        return int(std::ceil(y));
    }
    int naturalWidth() const
    {
        if (m_natural < 0) {
            QTextLayout layout;
            lay(layout, 1 << 20);
            m_natural = int(std::ceil(layout.lineCount() ? layout.lineAt(0).naturalTextWidth() : 0)) + 1;
        }
        return m_natural;
    }

    QString m_text;
    QVector<QTextLayout::FormatRange> m_formats;
    bool m_wrap;
    mutable QHash<int, int> m_heights;
    mutable int m_natural = -1;
};

// One line of text that ends in "…" when it does not fit, instead of being cut mid-letter.
class ElidedLabel : public QLabel {
public:
    ElidedLabel(const QString& text, QWidget* parent) : QLabel(parent), m_full(text)
    {
        setToolTip(QString());
        setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
        setMinimumWidth(40);
        setAttribute(Qt::WA_TransparentForMouseEvents);
        setTextFormat(Qt::PlainText);
        QLabel::setText(text);
    }
    QString fullText() const { return m_full; }

protected:
    void resizeEvent(QResizeEvent* event) override
    {
        QLabel::resizeEvent(event);
        QLabel::setText(fontMetrics().elidedText(m_full, Qt::ElideRight, qMax(0, event->size().width())));
    }

private:
    QString m_full;
};

} // namespace lockstep::ui::lint_widgets
