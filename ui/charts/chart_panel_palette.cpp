// SPDX-License-Identifier: GPL-3.0-or-later
// ChartPanel in the palette's colours. Qt Charts paints with its own theme (white, dark grey text) whatever
// the palette: every colour is set here from the palette instead, and again when it changes.
#include "ui/charts/chart_panel.h"

#include "ui/common/palette_tools.h"

#include <QDateTimeAxis>
#include <QEvent>
#include <QGraphicsLineItem>
#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>
#include <QLegend>
#include <QLineSeries>
#include <QValueAxis>

namespace lockstep::ui {

namespace {
QColor inkOn(const QPalette& pal, double quietness)
{
    const QColor bg = pal.color(QPalette::Base);
    return legibleOn(mixColors(pal.color(QPalette::Text), bg, quietness), bg);
}
} // namespace

QColor ChartPanel::backgroundColor() const
{
    return chart()->backgroundBrush().color();
}

QPen ChartPanel::seriesPen(const QLineSeries* series) const
{
    return series->pen();
}

QPen ChartPanel::drawnPen(const SeriesInfo& info) const
{
    const QColor bg = palette().color(QPalette::Base);
    QPen pen = info.pen;
    // The designed hues (Okabe-Ito) are for a white chart; on a dark one, dark hues are lifted to 3:1.
    QColor colour = isDark(palette()) ? legibleOn(pen.color(), bg, 3) : pen.color();
    if (info.faint)
        colour = mixColors(colour, bg, 0.55);
    pen.setColor(colour);
    return pen;
}

void ChartPanel::colourAxis(QAbstractAxis* axis)
{
    const QPalette pal = palette();
    const QColor bg = pal.color(QPalette::Base);
    const QColor text = pal.color(QPalette::Text);
    axis->setLabelsBrush(inkOn(pal, 0.2));
    axis->setTitleBrush(inkOn(pal, 0.2));
    axis->setLinePenColor(mixColors(text, bg, 0.55));
    axis->setGridLineColor(mixColors(text, bg, 0.85));
    axis->setMinorGridLineColor(mixColors(text, bg, 0.92));
    axis->setShadesVisible(false);
}

void ChartPanel::colourMark(Mark& mark)
{
    const QPalette pal = palette();
    QColor back = pal.color(QPalette::Base);
    back.setAlpha(215);
    QPen pen(mixColors(pal.color(QPalette::Text), pal.color(QPalette::Base), 0.45));
    pen.setStyle(Qt::DashLine);
    mark.line->setPen(pen);
    mark.back->setBrush(back);
    mark.text->setBrush(inkOn(pal, 0.1));
}

void ChartPanel::applyPalette()
{
    if (m_applyingPalette)
        return;
    m_applyingPalette = true;
    const QPalette pal = palette();
    const QColor bg = pal.color(QPalette::Base);
    QChart* c = chart();
    setBackgroundBrush(bg);   // the view around the chart
    c->setBackgroundBrush(bg);
    c->setBackgroundPen(Qt::NoPen);
    c->setPlotAreaBackgroundVisible(false);
    c->setTitleBrush(pal.color(QPalette::Text));
    c->legend()->setLabelColor(inkOn(pal, 0.1));
    c->legend()->setBrush(Qt::NoBrush);
    c->legend()->setPen(Qt::NoPen);
    for (QAbstractAxis* axis : c->axes())
        colourAxis(axis);
    for (auto it = m_series.begin(); it != m_series.end(); ++it) {
        const QPen pen = drawnPen(*it);
        const_cast<QLineSeries*>(it.key())->setPen(pen);
        it->head->setPen(pen);
    }
    m_empty->setBrush(inkOn(pal, 0.3));
    m_note->setBrush(inkOn(pal, 0.3));
    for (Mark& m : m_marks)
        colourMark(m);
    m_applyingPalette = false;
}

void ChartPanel::changeEvent(QEvent* event)
{
    QChartView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
}

} // namespace lockstep::ui
