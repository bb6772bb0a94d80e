// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// One time chart of the run view: a date-time x axis, a value axis on the left and optionally one on the
// right (each titled with its unit), line series appended point by point, vertical step marks with labels,
// and a sentence across the plot when there is nothing to draw. Appends are buffered and committed together
// (commit()), so replaying a long run from the journal costs one series update, not one per point.
#include <QChartView>
#include <QHash>
#include <QList>
#include <QPen>
#include <QPointF>
#include <QString>
#include <QVector>

class QAbstractAxis;
class QDateTimeAxis;
class QGraphicsLineItem;
class QGraphicsSimpleTextItem;
class QGraphicsRectItem;
class QLineSeries;
class QValueAxis;

namespace lockstep::ui {

class ChartPanel : public QChartView {
    Q_OBJECT
public:
    enum class Side { Left, Right };
    enum class Scale { Plain, Integer, Bytes };   // Bytes: the axis title's unit follows the values (B, kB, MB, GB)

    explicit ChartPanel(const QString& title, QWidget* parent = nullptr);
    ~ChartPanel() override;

    // `title` names the quantity and its unit, e.g. "lag (s)"; for Scale::Bytes "%1" stands for the unit ("lag (%1)"),
    // else the unit is appended.
    // `floor` is the smallest top the axis shows, so a quiet line at 0 does not fill the chart.
    void setAxis(Side side, const QString& title, Scale scale, double floor);
    // The pen's colour is the line's hue: it is kept at 3:1 against the chart's background whatever the
    // palette. A `faint` line is that colour washed half-way into the background (a companion line).
    QLineSeries* addSeries(const QString& name, Side side, const QPen& pen, bool faint = false);

    // Buffered until commit(); `msecs` is milliseconds since the epoch (UTC), points in time order.
    void appendPoint(QLineSeries* series, qint64 msecs, double value);
    // Drops the points before `dropBefore` (0: none); with `draw`, also hands the new points to Qt Charts,
    // shows [from, to] on the time axis and rescales the value axes to what is visible (a hidden chart
    // skips that: it is done once when it shows).
    void commit(qint64 from, qint64 to, qint64 dropBefore, bool draw = true);

    void setTimeTickCount(int count);   // labels on round times: the caller picks the range to match

    void addMark(qint64 msecs, const QString& label);
    void dropMarksBefore(qint64 msecs);
    int markCount() const { return m_marks.size(); }

    // Shown across the plot while non-empty (why the chart has nothing to draw).
    void setEmptyText(const QString& text);
    QString emptyText() const { return m_emptyText; }
    // One quieter line under the title (e.g. where replayed figures come from); empty hides it.
    void setNote(const QString& text);

    void clearData();
    int pointCount(const QLineSeries* series) const;   // points held (drawn or buffered)
    int drawnPointCount(const QLineSeries* series) const;   // what Qt Charts draws: flat runs need only their ends
    QLineSeries* series(const QString& name) const;
    double maxValue(const QLineSeries* series) const;   // over the points held, 0 when none
    QList<QLineSeries*> allSeries() const { return m_order; }

    // The colours in use (tests): the chart's background, and the pen a series is drawn with.
    QColor backgroundColor() const;
    QPen seriesPen(const QLineSeries* series) const;

protected:
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;   // a palette change recolours the chart

private:
    struct AxisInfo {
        QValueAxis* axis = nullptr;
        QString title;
        Scale scale = Scale::Plain;
        double floor = 1;
        double divisor = 1;      // Bytes: values are stored divided by this (1, 1024, 1024^2, ...)
        double shownMax = -1;
    };
    struct Mark {
        qint64 msecs = 0;
        QString label;
        QGraphicsLineItem* line = nullptr;
        QGraphicsSimpleTextItem* text = nullptr;
        QGraphicsRectItem* back = nullptr;
    };
    struct SeriesInfo {
        Side side = Side::Left;
        QList<QPointF> data;     // every point held, raw values (bytes unscaled), in time order
        bool dirty = false;      // data changed since the last draw
        bool needFull = true;    // the drawn history no longer matches the data's start (trim, rescale)
        int historyCount = 0;    // leading points of `data` drawn by the series itself, the rest by `head`
        QLineSeries* head = nullptr;   // same pen, no legend entry: the newest points since the last full draw
        QPen pen;                // as designed; drawn in the palette's colours (applyPalette)
        bool faint = false;
    };

    AxisInfo& axisInfo(Side side) { return side == Side::Left ? m_left : m_right; }
    double visibleMax(Side side) const;
    void rescale(AxisInfo& info, Side side);
    void redraw(QLineSeries* series, SeriesInfo& info, bool full);
    void placeOverlays();
    // The chart in the palette's colours: background, titles, axes, grid, legend, marks, series.
    void applyPalette();
    void colourAxis(QAbstractAxis* axis);
    void colourMark(Mark& mark);
    QPen drawnPen(const SeriesInfo& info) const;

    QDateTimeAxis* m_time = nullptr;
    AxisInfo m_left;
    AxisInfo m_right;
    QList<QLineSeries*> m_order;
    QHash<const QLineSeries*, SeriesInfo> m_series;
    QVector<Mark> m_marks;
    QString m_emptyText;
    QString m_noteText;
    QGraphicsSimpleTextItem* m_empty = nullptr;
    QGraphicsSimpleTextItem* m_note = nullptr;
    qint64 m_from = 0;
    qint64 m_to = 0;
    bool m_applyingPalette = false;
};

} // namespace lockstep::ui
