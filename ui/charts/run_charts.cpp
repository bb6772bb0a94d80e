// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/charts/run_charts.h"

#include "ui/charts/chart_panel.h"

#include <QGridLayout>
#include <QHash>
#include <QLineSeries>
#include <QTimer>

#include <algorithm>
#include <deque>

namespace lockstep::ui {

namespace {

constexpr qint64 kMinimumSpanMs = 60'000;   // a young live run still gets a minute-wide axis
constexpr qint64 kMinimumReplaySpanMs = 2'000;   // a replay fits its run, however short
// The live time axis moves in steps of this much, not on every tick: each move makes every line rebuild its
// whole path, so the newest point creeps toward the right edge and the view jumps 10 s at a time.
constexpr qint64 kScrollStepMs = 10'000;

// Colours told apart by colour-blind readers too (Okabe-Ito), and every line also has a legend entry.
// ChartPanel lifts the dark ones under a dark palette.
const QColor kPalette[] = {QColor(0x00, 0x72, 0xB2), QColor(0xD5, 0x5E, 0x00), QColor(0x00, 0x9E, 0x73),
                           QColor(0xCC, 0x79, 0xA7), QColor(0xE6, 0x9F, 0x00), QColor(0x56, 0xB4, 0xE9),
                           QColor(0x00, 0x00, 0x00)};

// Dashes only on lines that stay flat (their flat runs are drawn as two points): a dashed, antialiased line
// of 1,200 points costs about five times a solid one to paint.
// Time axis labels on round times: the smallest interval giving at most `maxIntervals` across the range.
qint64 tickInterval(qint64 span, int maxIntervals)
{
    static const qint64 steps[] = {1'000, 2'000, 5'000, 10'000, 15'000, 30'000, 60'000, 120'000, 300'000, 600'000, 900'000,
                                   1'800'000, 3'600'000, 7'200'000, 10'800'000, 21'600'000, 43'200'000, 86'400'000};
    for (qint64 s : steps)
        if (span <= maxIntervals * s)
            return s;
    return (span / maxIntervals / 86'400'000 + 1) * 86'400'000;
}

QPen linePen(const QColor& colour, Qt::PenStyle style = Qt::SolidLine, qreal width = 2)
{
    QPen pen(colour, width);
    pen.setStyle(style);
    pen.setCapStyle(Qt::FlatCap);
    return pen;
}

qint64 msecsOf(const QDateTime& at)
{
    return at.isValid() ? at.toMSecsSinceEpoch() : QDateTime::currentMSecsSinceEpoch();
}

} // namespace

struct RunCharts::Impl {
    ChartPanel* lag = nullptr;
    ChartPanel* locks = nullptr;
    ChartPanel* backfill = nullptr;
    ChartPanel* throughput = nullptr;

    QStringList replicas;
    QHash<QString, QLineSeries*> lagSeconds;
    QHash<QString, QLineSeries*> lagBytes;
    QLineSeries* waiting = nullptr;
    QLineSeries* blockedByUs = nullptr;
    QLineSeries* longestWait = nullptr;
    QLineSeries* rowsPerSecond = nullptr;
    QLineSeries* batchMs = nullptr;
    QLineSeries* targetMs = nullptr;
    QLineSeries* tps = nullptr;
    QLineSeries* tableWrites = nullptr;

    std::deque<qint64> sampleTimes;     // what the charts hold, for the counts and the window
    std::deque<qint64> progressTimes;
    qint64 first = 0;                   // earliest input held (0: none)
    qint64 newest = 0;
    qint64 lastBatchAt = 0;             // where the target line last got a point
    bool live = true;
    bool idle = false;                  // live, and no run going on yet: nothing is sampled
    qint64 windowMs = 600'000;
    int target = 300;
    bool dirty = false;
    bool undrawn = false;               // trimmed while hidden, not yet drawn
    QTimer commitTimer;
    QWidget* owner = nullptr;

    int lastWidthClass = -1;

    void commit() { commit(owner->isVisible()); }
    void touchLayout()
    {
        dirty = true;
        if (!commitTimer.isActive())
            commitTimer.start();
    }

    QList<ChartPanel*> panels() const { return {lag, locks, backfill, throughput}; }
    ChartPanel* panel(Chart chart) const
    {
        switch (chart) {
        case Chart::Lag: return lag;
        case Chart::Locks: return locks;
        case Chart::Backfill: return backfill;
        case Chart::Throughput: return throughput;
        }
        return lag;
    }

    void touch(qint64 msecs)
    {
        first = first == 0 ? msecs : std::min(first, msecs);
        newest = std::max(newest, msecs);
        dirty = true;
        if (!commitTimer.isActive())
            commitTimer.start();
    }

    void replicaSeries(const QString& name)
    {
        if (lagSeconds.contains(name))
            return;
        const QColor colour = kPalette[replicas.size() % std::size(kPalette)];
        replicas.append(name);
        lagSeconds.insert(name, lag->addSeries(QStringLiteral("%1 lag (s)").arg(name), ChartPanel::Side::Left,
                                               linePen(colour)));
        // The same colour, faint (washed into the chart's background) and thinner: bytes beside seconds
        // without a costly dash pattern.
        lagBytes.insert(name, lag->addSeries(QStringLiteral("%1 lag (bytes)").arg(name), ChartPanel::Side::Right,
                                             linePen(colour, Qt::SolidLine, 1.5), true));
    }

    // Applies everything buffered since the last commit: one series update per chart however many inputs.
    // While the charts are hidden (another tab) only the window is trimmed; they draw once when shown.
    void commit(bool drawn)
    {
        commitTimer.stop();
        if (!dirty && !(drawn && undrawn))
            return;
        dirty = false;
        undrawn = !drawn;
        qint64 from = first;
        qint64 to = newest;
        qint64 dropBefore = 0;
        if (first == 0) {
            to = QDateTime::currentMSecsSinceEpoch();
            from = to - kMinimumSpanMs;
        } else if (live) {
            dropBefore = newest - windowMs;
            const qint64 step = std::min(kScrollStepMs, windowMs / 10);
            to = (newest / step + 1) * step;
            from = std::max(first, to - windowMs);
            from = std::min(from, to - std::min(kMinimumSpanMs, windowMs));
        } else if (to - from < kMinimumReplaySpanMs) {
            to = from + kMinimumReplaySpanMs;
        }
        // Snap the ends to round times so the ticks fall on them. Live: the right end is already a multiple
        // of the scroll step and must stay near the newest point, so only the left end moves.
        // "HH:mm:ss" needs about 80 px a label: fewer ticks on a narrow chart.
        const int plotWidth = int(lag->chart()->plotArea().width());
        const int maxIntervals = std::clamp(plotWidth / 80, 2, 6);
        const qint64 interval = tickInterval(to - from, maxIntervals);
        if (live && first != 0) {
            from = to - ((to - from + interval - 1) / interval) * interval;
        } else {
            from = (from / interval) * interval;
            to = ((to + interval - 1) / interval) * interval;
        }
        const int ticks = int((to - from) / interval) + 1;
        if (dropBefore > 0) {
            while (!sampleTimes.empty() && sampleTimes.front() < dropBefore)
                sampleTimes.pop_front();
            while (!progressTimes.empty() && progressTimes.front() < dropBefore)
                progressTimes.pop_front();
            first = std::max(first, dropBefore);
        }
        for (ChartPanel* p : panels()) {
            if (dropBefore > 0)
                p->dropMarksBefore(dropBefore);
            p->setTimeTickCount(ticks);
            p->commit(from, to, dropBefore, drawn);
        }
        updateEmptyTexts();
    }

    void updateEmptyTexts()
    {
        const QString noSamples = live && idle ? QStringLiteral("The graphs start with the run")
                                  : live    ? QStringLiteral("Waiting for the first sample (every 500 ms)")
                                       : QStringLiteral("No monitor samples were recorded for this run");
        const bool haveSamples = !sampleTimes.empty();
        lag->setEmptyText(!haveSamples ? noSamples
                          : replicas.isEmpty() ? QStringLiteral("No replicas: nothing to lag")
                                               : QString());
        // Lines lying on the axis are easy to miss: say that nothing waited.
        const bool quiet = locks->maxValue(waiting) == 0 && locks->maxValue(blockedByUs) == 0;
        locks->setEmptyText(!haveSamples ? noSamples
                            : !quiet     ? QString()
                            : live       ? QStringLiteral("No lock waits in the last %1 min").arg(windowMs / 60'000)
                                         : QStringLiteral("No lock waits during this run"));
        throughput->setEmptyText(haveSamples ? QString() : noSamples);
        backfill->setEmptyText(!progressTimes.empty() ? QString()
                               : live ? QStringLiteral("No backfill in this run yet")
                                      : QStringLiteral("No backfill in this run"));
    }
};

RunCharts::RunCharts(QWidget* parent) : QWidget(parent), d(new Impl)
{
    d->owner = this;
    d->commitTimer.setSingleShot(true);
    d->commitTimer.setInterval(0);
    connect(&d->commitTimer, &QTimer::timeout, this, [this] { d->commit(); });

    using Side = ChartPanel::Side;
    using Scale = ChartPanel::Scale;
    d->lag = new ChartPanel(QStringLiteral("Replication lag per replica"), this);
    d->lag->setAxis(Side::Left, QStringLiteral("lag in s (bold lines)"), Scale::Plain, 1);
    d->lag->setAxis(Side::Right, QStringLiteral("lag in %1 (faint lines)"), Scale::Bytes, 1);

    d->locks = new ChartPanel(QStringLiteral("Lock waits on the server"), this);
    d->locks->setAxis(Side::Left, QStringLiteral("sessions"), Scale::Integer, 4);
    d->locks->setAxis(Side::Right, QStringLiteral("longest wait (s)"), Scale::Plain, 1);
    d->waiting = d->locks->addSeries(QStringLiteral("waiting for a lock"), Side::Left, linePen(kPalette[0]));
    d->blockedByUs = d->locks->addSeries(QStringLiteral("blocked by this run"), Side::Left, linePen(kPalette[1], Qt::SolidLine, 2.5));
    d->longestWait = d->locks->addSeries(QStringLiteral("longest wait (s)"), Side::Right, linePen(QColor(0x44, 0x44, 0x44), Qt::SolidLine, 1.2));

    d->backfill = new ChartPanel(QStringLiteral("Backfill"), this);
    d->backfill->setAxis(Side::Left, QStringLiteral("rows/s"), Scale::Plain, 100);
    d->backfill->setAxis(Side::Right, QStringLiteral("batch time (ms)"), Scale::Plain, 100);
    d->rowsPerSecond = d->backfill->addSeries(QStringLiteral("rows/s"), Side::Left, linePen(kPalette[2]));
    d->batchMs = d->backfill->addSeries(QStringLiteral("batch time (ms)"), Side::Right, linePen(kPalette[4], Qt::SolidLine, 1.5));
    d->targetMs = d->backfill->addSeries(QStringLiteral("target batch time (ms)"), Side::Right, linePen(kPalette[1], Qt::DashLine, 1.5));

    d->throughput = new ChartPanel(QStringLiteral("Server throughput"), this);
    d->throughput->setAxis(Side::Left, QStringLiteral("per second"), Scale::Plain, 10);
    d->tps = d->throughput->addSeries(QStringLiteral("transactions/s"), Side::Left, linePen(kPalette[0]));
    d->tableWrites = d->throughput->addSeries(QStringLiteral("table writes/s"), Side::Left, linePen(kPalette[3], Qt::SolidLine, 1.5));

    // The number of time labels follows the plot's width: count again when it changes.
    connect(d->lag->chart(), &QChart::plotAreaChanged, this, [this](const QRectF& area) {
        if (int(area.width()) / 80 != d->lastWidthClass) {
            d->lastWidthClass = int(area.width()) / 80;
            d->touchLayout();
        }
    });

    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(6);
    grid->addWidget(d->lag, 0, 0);
    grid->addWidget(d->locks, 0, 1);
    grid->addWidget(d->backfill, 1, 0);
    grid->addWidget(d->throughput, 1, 1);
    d->dirty = true;
    d->commit(true);
}

void RunCharts::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    d->commit(true);
}

RunCharts::~RunCharts()
{
    delete d;
}

void RunCharts::setIdle(bool idle)
{
    if (d->idle == idle)
        return;
    d->idle = idle;
    d->updateEmptyTexts();
}

void RunCharts::setLive(bool live)
{
    if (d->live == live)
        return;
    d->live = live;
    d->dirty = true;
    d->commit();
}

void RunCharts::setWindowSeconds(int seconds)
{
    d->windowMs = qint64(std::max(10, seconds)) * 1000;
    d->dirty = true;
    d->commit();
}

void RunCharts::setTargetBatchMs(int ms)
{
    if (ms == d->target)
        return;
    d->target = ms;
    // A step in the dashed line where the target changed, so the history of the target stays readable.
    if (d->lastBatchAt > 0 && ms > 0) {
        d->backfill->appendPoint(d->targetMs, d->lastBatchAt, ms);
        d->touch(d->lastBatchAt);
    }
}

void RunCharts::addSample(const lockstep::pg::MonitorSample& sample)
{
    const qint64 t = msecsOf(sample.at);
    for (const pg::ReplicaLag& r : sample.replicas) {
        d->replicaSeries(r.name);
        d->lag->appendPoint(d->lagSeconds.value(r.name), t, r.replayLagSeconds);
        d->lag->appendPoint(d->lagBytes.value(r.name), t, double(r.replayLagBytes));
    }
    d->locks->appendPoint(d->waiting, t, sample.waitingLocks);
    d->locks->appendPoint(d->blockedByUs, t, sample.blockedByRunner);
    d->locks->appendPoint(d->longestWait, t, sample.longestLockWaitSeconds);
    // The first sample after a (re)connect has no interval to measure a rate over: its 0 is not a dip.
    if (sample.intervalSeconds > 0) {
        d->throughput->appendPoint(d->tps, t, sample.transactionsPerSecond);
        d->throughput->appendPoint(d->tableWrites, t, sample.tableWritesPerSecond);
    }
    d->sampleTimes.push_back(t);
    d->touch(t);
}

void RunCharts::addProgress(const QDateTime& at, const lockstep::run::Progress& progress)
{
    const qint64 t = msecsOf(at);
    d->backfill->appendPoint(d->rowsPerSecond, t, progress.rowsPerSecond);
    if (progress.lastBatchMs > 0) {   // 0: not measured (a replay that only knows the average rate)
        d->backfill->appendPoint(d->batchMs, t, progress.lastBatchMs);
        if (d->target > 0)
            d->backfill->appendPoint(d->targetMs, t, d->target);
        d->lastBatchAt = t;
    }
    d->progressTimes.push_back(t);
    d->touch(t);
}

void RunCharts::markStep(const QDateTime& at, const QString& label)
{
    const qint64 t = msecsOf(at);
    for (ChartPanel* p : d->panels())
        p->addMark(t, label);
    d->touch(t);
}

void RunCharts::clear()
{
    d->commitTimer.stop();
    for (ChartPanel* p : d->panels())
        p->clearData();
    d->sampleTimes.clear();
    d->progressTimes.clear();
    d->first = 0;
    d->newest = 0;
    d->lastBatchAt = 0;
    d->dirty = true;
    d->commit(true);
}

int RunCharts::sampleCount() const
{
    d->commit();
    return int(d->sampleTimes.size());
}

int RunCharts::progressCount() const
{
    d->commit();
    return int(d->progressTimes.size());
}

int RunCharts::stepMarkCount() const
{
    d->commit();
    return d->lag->markCount();
}

QStringList RunCharts::replicaNames() const
{
    return d->replicas;
}

QString RunCharts::emptyText(Chart chart) const
{
    d->commit();
    return d->panel(chart)->emptyText();
}

int RunCharts::pointCount(const QString& seriesName) const
{
    d->commit();
    for (ChartPanel* p : d->panels())
        if (QLineSeries* s = p->series(seriesName))
            return p->pointCount(s);
    return -1;
}

QStringList RunCharts::seriesNames(Chart chart) const
{
    QStringList names;
    for (QLineSeries* s : d->panel(chart)->allSeries())
        names << s->name();
    return names;
}

void RunCharts::setNote(Chart chart, const QString& note)
{
    d->panel(chart)->setNote(note);
}

QString RunCharts::stepLabel(int index, const QString& stepId)
{
    QString name = stepId;
    name.replace(QLatin1Char('_'), QLatin1Char(' '));
    return QStringLiteral("%1 %2").arg(index + 1).arg(name);
}

bool RunCharts::isLive() const
{
    return d->live;
}

int RunCharts::windowSeconds() const
{
    return int(d->windowMs / 1000);
}

} // namespace lockstep::ui
