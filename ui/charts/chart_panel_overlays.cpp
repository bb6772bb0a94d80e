// SPDX-License-Identifier: GPL-3.0-or-later
// ChartPanel's drawings over the plot: step marks with their labels, the empty-chart sentence and the note.
#include "ui/charts/chart_panel.h"

#include <QFontMetrics>
#include <QGraphicsLineItem>
#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>

#include <algorithm>

namespace lockstep::ui {

void ChartPanel::addMark(qint64 msecs, const QString& label)
{
    Mark m;
    m.msecs = msecs;
    m.label = label;
    m.line = new QGraphicsLineItem(chart());
    m.line->setZValue(10);
    m.back = new QGraphicsRectItem(chart());
    m.back->setPen(Qt::NoPen);
    m.back->setZValue(11);
    m.text = new QGraphicsSimpleTextItem(label, chart());
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    m.text->setFont(small);
    m.text->setZValue(12);
    colourMark(m);   // the palette's colours (chart_panel_palette.cpp)
    m.text->setToolTip(label);
    const auto at = std::upper_bound(m_marks.begin(), m_marks.end(), msecs,
                                     [](qint64 v, const Mark& x) { return v < x.msecs; });
    m_marks.insert(at, m);
    placeOverlays();
}

void ChartPanel::dropMarksBefore(qint64 msecs)
{
    while (!m_marks.isEmpty() && m_marks.first().msecs < msecs) {
        const Mark m = m_marks.takeFirst();
        delete m.line;
        delete m.text;
        delete m.back;
    }
}

void ChartPanel::setEmptyText(const QString& text)
{
    if (text == m_emptyText)
        return;
    m_emptyText = text;
    m_empty->setText(text);
    m_empty->setVisible(!text.isEmpty());
    placeOverlays();
}

void ChartPanel::setNote(const QString& text)
{
    m_noteText = text;
    m_note->setText(text);
    m_note->setToolTip(text);
    m_note->setVisible(!text.isEmpty());
    placeOverlays();
}

void ChartPanel::placeOverlays()
{
    const QRectF plot = chart()->plotArea();
    if (plot.width() <= 0)
        return;
    if (m_empty->isVisible()) {
        const QRectF r = m_empty->boundingRect();
        m_empty->setPos(plot.center().x() - r.width() / 2, plot.center().y() - r.height() / 2);
    }
    if (m_note->isVisible()) {
        m_note->setText(QFontMetrics(m_note->font()).elidedText(m_noteText, Qt::ElideRight, int(plot.width()) - 8));
        m_note->setPos(plot.left() + 4, plot.top() + 2);
    }

    // Step labels hang from the top of the plot beside their line. Steps closer than a few pixels (the
    // constrain steps often take milliseconds) share one label, "4 check not null +3", whose tooltip names
    // them all; a label that would run into the previous one drops a row (three rows, then it overlaps).
    constexpr double kSamePlacePx = 8;
    const double span = double(std::max<qint64>(1, m_to - m_from));
    const double top = plot.top() + (m_note->isVisible() ? m_note->boundingRect().height() + 2 : 0);
    const auto xOf = [&](const Mark& m) { return plot.left() + (double(m.msecs - m_from) / span) * plot.width(); };
    const auto visible = [&](const Mark& m) { return m.msecs >= m_from && m.msecs <= m_to; };
    QVector<double> rowEnds(3, -1e9);
    for (int i = 0; i < m_marks.size();) {
        Mark& lead = m_marks[i];
        if (!visible(lead)) {
            lead.line->hide();
            lead.text->hide();
            lead.back->hide();
            ++i;
            continue;
        }
        const double x = xOf(lead);
        QStringList names{lead.label};
        int j = i + 1;
        for (; j < m_marks.size() && visible(m_marks[j]) && xOf(m_marks[j]) - x < kSamePlacePx; ++j) {
            Mark& m = m_marks[j];
            m.line->setLine(xOf(m), plot.top(), xOf(m), plot.bottom());
            m.line->show();
            m.text->hide();
            m.back->hide();
            names << m.label;
        }
        lead.line->setLine(x, plot.top(), x, plot.bottom());
        lead.line->show();
        lead.text->setText(names.size() > 1 ? QStringLiteral("%1 +%2").arg(lead.label).arg(names.size() - 1) : lead.label);
        lead.text->setToolTip(names.join(QLatin1Char('\n')));
        lead.text->show();
        lead.back->show();
        const QRectF r = lead.text->boundingRect();
        double tx = x + 3;
        if (tx + r.width() > plot.right())
            tx = std::max(plot.left(), x - 3 - r.width());   // near the right edge: hang on the left side
        int row = 0;
        while (row < rowEnds.size() && rowEnds[row] > tx)
            ++row;
        if (row == rowEnds.size())
            row = 0;
        const double ty = top + 1 + row * (r.height() + 1);
        lead.text->setPos(tx, ty);
        lead.back->setRect(tx - 1, ty, r.width() + 2, r.height());
        rowEnds[row] = tx + r.width() + 4;
        i = j;
    }
}

} // namespace lockstep::ui
