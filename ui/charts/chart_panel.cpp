// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/charts/chart_panel.h"

#include <QDateTime>
#include <QDateTimeAxis>
#include <QFontMetrics>
#include <QGraphicsLineItem>
#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QValueAxis>

#include <algorithm>
#include <limits>
#include <cmath>

namespace lockstep::ui {

namespace {

constexpr int kTicks = 5;   // 4 intervals: labels stay readable in a 180 px high chart

struct NiceTop {
    double max = 1;
    int decimals = 0;
};

// The smallest "round" axis top (4 equal steps of 1, 2, 2.5 or 5 x 10^k) at or above the value, with the
// decimals its labels need. Integer axes step by whole numbers.
NiceTop niceTop(double value, double floor, bool integer)
{
    const double top = std::max(value * 1.08, floor);
    const double rawStep = top / (kTicks - 1);
    const double magnitude = std::pow(10.0, std::floor(std::log10(rawStep)));
    double step = 10 * magnitude;
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        if (integer && m == 2.5)
            continue;
        if (m * magnitude >= rawStep * (1 - 1e-9)) {
            step = m * magnitude;
            break;
        }
    }
    if (integer)
        step = std::max(1.0, std::round(step));
    int decimals = 0;
    while (decimals < 4 && std::abs(step * std::pow(10.0, decimals) - std::round(step * std::pow(10.0, decimals))) > 1e-6)
        ++decimals;
    return {step * (kTicks - 1), decimals};
}

QString byteUnit(double divisor)
{
    if (divisor >= 1024.0 * 1024 * 1024)
        return QStringLiteral("GB");
    if (divisor >= 1024.0 * 1024)
        return QStringLiteral("MB");
    if (divisor >= 1024.0)
        return QStringLiteral("kB");
    return QStringLiteral("bytes");
}

double byteDivisor(double rawMax)
{
    double divisor = 1;
    while (divisor < 1024.0 * 1024 * 1024 && rawMax >= divisor * 1024)
        divisor *= 1024;
    return divisor;
}

// The first index whose x is at or after `x` (points are in time order).
int firstAtOrAfter(const QList<QPointF>& points, double x)
{
    const auto it = std::lower_bound(points.cbegin(), points.cend(), x,
                                     [](const QPointF& p, double v) { return p.x() < v; });
    return int(it - points.cbegin());
}

// A replay of a long run (3 hours: 21,600 samples) would make every repaint stroke 21,600 segments: beyond
// kMaxDrawn points, each bucket of consecutive points keeps its lowest and highest, in time order, so peaks
// survive and the line looks the same at screen resolution.
constexpr int kMaxDrawn = 2400;

QList<QPointF> decimated(const QList<QPointF>& points)
{
    if (points.size() <= kMaxDrawn)
        return points;
    const int buckets = kMaxDrawn / 2;
    QList<QPointF> out;
    out.reserve(kMaxDrawn + 2);
    for (int b = 0; b < buckets; ++b) {
        const int begin = int(qint64(points.size()) * b / buckets);
        const int end = int(qint64(points.size()) * (b + 1) / buckets);
        int low = begin, high = begin;
        for (int i = begin; i < end; ++i) {
            if (points[i].y() < points[low].y())
                low = i;
            if (points[i].y() > points[high].y())
                high = i;
        }
        out.append(points[std::min(low, high)]);
        if (low != high)
            out.append(points[std::max(low, high)]);
    }
    if (out.last() != points.last())
        out.append(points.last());
    return out;
}

} // namespace

ChartPanel::ChartPanel(const QString& title, QWidget* parent) : QChartView(parent)
{
    auto* c = new QChart;
    c->setTitle(title);
    QFont titleFont = font();
    titleFont.setBold(true);
    c->setTitleFont(titleFont);
    c->setMargins(QMargins(2, 2, 2, 2));
    c->setBackgroundRoundness(0);
    c->setAnimationOptions(QChart::NoAnimation);
    c->legend()->setAlignment(Qt::AlignBottom);
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    c->legend()->setFont(small);
    setChart(c);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(190);

    m_time = new QDateTimeAxis;
    m_time->setFormat(QStringLiteral("HH:mm:ss"));
    m_time->setTitleText(QStringLiteral("time (local)"));
    m_time->setTickCount(6);
    m_time->setLabelsFont(small);
    m_time->setTitleFont(small);
    c->addAxis(m_time, Qt::AlignBottom);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_from = now - 60'000;
    m_to = now;
    m_time->setRange(QDateTime::fromMSecsSinceEpoch(m_from), QDateTime::fromMSecsSinceEpoch(m_to));

    m_empty = new QGraphicsSimpleTextItem(c);
    QFont emptyFont = font();
    emptyFont.setPointSizeF(emptyFont.pointSizeF() * 1.1);
    m_empty->setFont(emptyFont);
    m_empty->setZValue(20);
    m_empty->hide();

    m_note = new QGraphicsSimpleTextItem(c);
    QFont noteFont = small;
    noteFont.setItalic(true);
    m_note->setFont(noteFont);
    m_note->setZValue(20);
    m_note->hide();

    connect(c, &QChart::plotAreaChanged, this, [this] { placeOverlays(); });
    applyPalette();
}

ChartPanel::~ChartPanel() = default;

void ChartPanel::setAxis(Side side, const QString& title, Scale scale, double floor)
{
    AxisInfo& info = axisInfo(side);
    if (!info.axis) {
        info.axis = new QValueAxis;
        QFont small = font();
        small.setPointSizeF(small.pointSizeF() * 0.9);
        info.axis->setLabelsFont(small);
        info.axis->setTitleFont(small);
        info.axis->setTickCount(kTicks);
        chart()->addAxis(info.axis, side == Side::Left ? Qt::AlignLeft : Qt::AlignRight);
        colourAxis(info.axis);   // after addAxis: adding applies the chart theme's colours
    }
    info.title = title;
    info.scale = scale;
    info.floor = floor;
    info.shownMax = -1;
    rescale(info, side);
}

QLineSeries* ChartPanel::addSeries(const QString& name, Side side, const QPen& designed, bool faint)
{
    SeriesInfo info;
    info.side = side;
    info.pen = designed;
    info.faint = faint;
    const QPen pen = drawnPen(info);
    auto* s = new QLineSeries;
    s->setName(name);
    s->setPen(pen);
    chart()->addSeries(s);
    s->attachAxis(m_time);
    if (QValueAxis* axis = axisInfo(side).axis)
        s->attachAxis(axis);
    // The newest points go to a short companion series, so a tick rebuilds a path of a few points instead
    // of the whole 10 minutes; the history absorbs them whenever the time axis moves (every 10 s).
    auto* head = new QLineSeries;
    head->setName(name);
    head->setPen(pen);
    chart()->addSeries(head);
    head->attachAxis(m_time);
    if (QValueAxis* axis = axisInfo(side).axis)
        head->attachAxis(axis);
    for (QLegendMarker* marker : chart()->legend()->markers(head))
        marker->setVisible(false);
    m_order.append(s);
    info.head = head;
    m_series.insert(s, info);
    return s;
}

void ChartPanel::appendPoint(QLineSeries* series, qint64 msecs, double value)
{
    auto it = m_series.find(series);
    if (it == m_series.end())
        return;
    it->data.append(QPointF(double(msecs), value));
    it->dirty = true;
}

void ChartPanel::commit(qint64 from, qint64 to, qint64 dropBefore, bool draw)
{
    for (auto it = m_series.begin(); it != m_series.end(); ++it) {
        if (dropBefore <= 0)
            continue;
        const int drop = firstAtOrAfter(it->data, double(dropBefore));
        if (drop > 0) {
            // The dropped points are left of the visible range: the drawn history keeps them until its next
            // full draw.
            it->data.remove(0, drop);
            it->historyCount -= drop;
            if (it->historyCount < 1)
                it->needFull = true;
            it->dirty = true;
        }
    }
    if (!draw)
        return;
    to = std::max(to, from + 1000);
    const bool moved = from != m_from || to != m_to;
    m_from = from;
    m_to = to;
    if (m_left.axis)
        rescale(m_left, Side::Left);
    if (m_right.axis)
        rescale(m_right, Side::Right);
    // Qt Charts rebuilds a line's whole path (and its stroked shape, the main cost) on every change it hears
    // of: one replace per changed series, and the time axis set only when it moves.
    for (QLineSeries* s : std::as_const(m_order)) {
        SeriesInfo& info = m_series[s];
        if (info.dirty || (moved && info.historyCount < info.data.size()))
            redraw(s, info, moved || info.needFull);
    }
    if (moved)
        m_time->setRange(QDateTime::fromMSecsSinceEpoch(m_from), QDateTime::fromMSecsSinceEpoch(m_to));
    placeOverlays();
}

void ChartPanel::redraw(QLineSeries* series, SeriesInfo& info, bool full)
{
    constexpr int kHeadMax = 64;   // more new points than this (a replay, a hidden tab shown): draw all anew
    const double divisor = axisInfo(info.side).divisor;
    const QList<QPointF>& data = info.data;
    // A flat run draws the same with only its two ends: quiet lines (no lock waits, no lag) cost 2 points,
    // not 1,200, in every path rebuild.
    const auto drawable = [&](int begin) {
        QList<QPointF> drawn;
        drawn.reserve(data.size() - begin);
        for (int i = begin; i < data.size(); ++i) {
            const double y = data[i].y();
            if (i > begin && i + 1 < data.size() && data[i - 1].y() == y && data[i + 1].y() == y)
                continue;
            drawn.append(QPointF(data[i].x(), y / divisor));
        }
        return decimated(drawn);
    };
    if (full || info.needFull || data.size() - info.historyCount > kHeadMax) {
        series->replace(drawable(0));
        if (info.head->count() > 0)
            info.head->clear();
        info.historyCount = int(data.size());
        info.needFull = false;
    } else {
        // From the last point of the history on, so the line stays joined.
        info.head->replace(drawable(std::max(0, info.historyCount - 1)));
    }
    info.dirty = false;
}

double ChartPanel::visibleMax(Side side) const
{
    double highest = 0;
    for (auto it = m_series.cbegin(); it != m_series.cend(); ++it) {
        if (it->side != side || !it.key()->isVisible())
            continue;
        for (int i = firstAtOrAfter(it->data, double(m_from)); i < it->data.size(); ++i)
            highest = std::max(highest, it->data[i].y());
    }
    return highest;
}

void ChartPanel::rescale(AxisInfo& info, Side side)
{
    // The top of the axis follows the highest visible value (scanning 1,200 points per series costs
    // microseconds, less than keeping a sliding maximum right).
    double highest = visibleMax(side);
    QString title = info.title;
    if (info.scale == Scale::Bytes) {
        const double divisor = byteDivisor(highest);
        if (divisor != info.divisor) {
            info.divisor = divisor;
            info.shownMax = -1;
            for (auto it = m_series.begin(); it != m_series.end(); ++it)
                if (it->side == side)
                    it->dirty = it->needFull = true;
        }
        highest /= info.divisor;
        title = info.title.contains(QLatin1String("%1")) ? info.title.arg(byteUnit(info.divisor))
                                                          : QStringLiteral("%1 (%2)").arg(info.title, byteUnit(info.divisor));
    }
    const bool integer = info.scale == Scale::Integer || (info.scale == Scale::Bytes && info.divisor == 1);
    const NiceTop top = niceTop(highest, info.floor, integer);
    if (top.max != info.shownMax) {
        info.shownMax = top.max;
        info.axis->setRange(0, top.max);
        info.axis->setLabelFormat(QStringLiteral("%.%1f").arg(top.decimals));
    }
    if (info.axis->titleText() != title)
        info.axis->setTitleText(title);
}

void ChartPanel::setTimeTickCount(int count)
{
    if (m_time->tickCount() != count)
        m_time->setTickCount(count);
}

void ChartPanel::clearData()
{
    for (QLineSeries* s : std::as_const(m_order)) {
        SeriesInfo& info = m_series[s];
        info.data.clear();
        info.dirty = false;
        info.needFull = true;
        info.historyCount = 0;
        s->clear();
        info.head->clear();
    }
    dropMarksBefore(std::numeric_limits<qint64>::max());
}

int ChartPanel::pointCount(const QLineSeries* series) const
{
    const auto it = m_series.constFind(series);
    return it == m_series.cend() ? 0 : int(it->data.size());
}

int ChartPanel::drawnPointCount(const QLineSeries* series) const
{
    const auto it = m_series.constFind(series);
    return it == m_series.cend() ? 0 : int(series->count() + it->head->count());
}

double ChartPanel::maxValue(const QLineSeries* series) const
{
    const auto it = m_series.constFind(series);
    double highest = 0;
    if (it != m_series.cend())
        for (const QPointF& p : it->data)
            highest = std::max(highest, p.y());
    return highest;
}

QLineSeries* ChartPanel::series(const QString& name) const
{
    for (QLineSeries* s : m_order)
        if (s->name() == name)
            return s;
    return nullptr;
}

void ChartPanel::resizeEvent(QResizeEvent* event)
{
    QChartView::resizeEvent(event);
    placeOverlays();
}

} // namespace lockstep::ui
