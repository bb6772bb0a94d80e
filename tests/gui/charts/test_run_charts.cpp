// SPDX-License-Identifier: GPL-3.0-or-later
// The run charts without a server: samples become points one for one, the live window drops what is older
// than 10 minutes (a replay keeps everything), replicas become series by name, step marks are counted and
// dropped with the window, every empty chart says why, the byte axis follows the size of the lag; and what
// appending one sample costs (time, memory of a full window), printed as figures.
#include "tests/gui/gui_shots.h"
#include "ui/charts/chart_panel.h"
#include "ui/charts/run_charts.h"

#include <QElapsedTimer>
#include <QLineSeries>
#include <QMainWindow>
#include <QValueAxis>
#include <QtTest>

#include <cmath>
#include <malloc.h>

using namespace lockstep;
using Chart = ui::RunCharts::Chart;

namespace {

const QDateTime kStart = QDateTime(QDate(2026, 11, 23), QTime(14, 0), Qt::UTC);

// A monitor tick at `seconds` into the run, with the given replicas lagging a little, more as it goes.
pg::MonitorSample tick(double seconds, const QStringList& replicas, bool firstAfterConnect = false)
{
    pg::MonitorSample s;
    s.at = kStart.addMSecs(qint64(seconds * 1000));
    s.intervalSeconds = firstAfterConnect ? 0 : 0.5;
    int n = 0;
    for (const QString& name : replicas) {
        pg::ReplicaLag r;
        r.name = name;
        const double wave = 0.5 + 0.5 * std::sin(seconds / 20.0 + n);
        r.replayLagSeconds = 0.05 + wave * (n + 1) * 0.4;
        r.replayLagBytes = qint64(wave * (n + 1) * 3.5 * 1024 * 1024);
        s.replicas.append(r);
        ++n;
    }
    // A burst of lock waits every 45 s lasting 4 s, every third one caused by the run's own batches.
    const double phase = std::fmod(seconds, 45.0);
    if (phase >= 20 && phase < 24) {
        s.waitingLocks = 1 + (phase >= 21) + (phase >= 22.5);
        s.longestLockWaitSeconds = phase - 19.8;
        s.blockedByRunner = int(seconds / 45) % 3 == 0 ? std::min(s.waitingLocks, 2) : 0;
    }
    s.transactionsPerSecond = firstAfterConnect ? 0 : 850 + 120 * std::sin(seconds / 15.0);
    s.tableWritesPerSecond = firstAfterConnect ? 0 : 410 + 60 * std::cos(seconds / 11.0);
    return s;
}

run::Progress progressAt(double seconds)
{
    run::Progress p;
    p.stepIndex = 2;
    p.rowsPerSecond = 21000 + 4000 * std::sin(seconds / 30.0);
    p.lastBatchMs = int(260 + 60 * std::sin(seconds / 7.0));
    p.batchRows = 6000;
    p.rowsDone = qint64(seconds * 21000);
    p.rowsTotal = 14'000'000;
    return p;
}

// Bytes of heap in use (glibc): steadier than the resident size, which the allocator rounds to its arenas.
qint64 heapInUse()
{
    return qint64(mallinfo2().uordblks);
}

// A realistic 12-minute run: expand steps, a backfill with replica lag and some lock waits, a target change.
void feedRealisticRun(ui::RunCharts& charts, double seconds)
{
    const QStringList replicas{QStringLiteral("replica-eu"), QStringLiteral("replica-us")};
    charts.markStep(kStart, QStringLiteral("1 add column"));
    charts.markStep(kStart.addMSecs(1200), QStringLiteral("2 sync trigger"));
    charts.markStep(kStart.addMSecs(2500), QStringLiteral("3 backfill"));
    for (int i = 0; i * 0.5 < seconds; ++i) {
        const double t = i * 0.5;
        charts.addSample(tick(t, replicas, i == 0));
        if (t >= 2.5 && i % 2 == 0)
            charts.addProgress(kStart.addMSecs(qint64(t * 1000)), progressAt(t));
        if (i == 400)
            charts.setTargetBatchMs(200);
    }
    charts.markStep(kStart.addMSecs(qint64((seconds - 40) * 1000)), QStringLiteral("4 check not null"));
    charts.markStep(kStart.addMSecs(qint64((seconds - 39) * 1000)), QStringLiteral("5 validate"));
}

QString axisTitle(ui::RunCharts& charts, Qt::Alignment side, int chartIndex)
{
    const auto panels = charts.findChildren<ui::ChartPanel*>();
    const auto axes = panels.at(chartIndex)->chart()->axes(Qt::Vertical);
    for (QAbstractAxis* a : axes)
        if (a->alignment() == side)
            return a->titleText();
    return {};
}

} // namespace

class TestRunCharts : public QObject {
    Q_OBJECT
private slots:
    void samplesBecomePointsOneForOne()
    {
        ui::RunCharts charts;
        const QStringList replicas{QStringLiteral("r1"), QStringLiteral("r2")};
        for (int i = 0; i < 100; ++i)
            charts.addSample(tick(i * 0.5, replicas, i == 0));
        QCOMPARE(charts.sampleCount(), 100);
        QCOMPARE(charts.pointCount(QStringLiteral("waiting for a lock")), 100);
        QCOMPARE(charts.pointCount(QStringLiteral("blocked by this run")), 100);
        QCOMPARE(charts.pointCount(QStringLiteral("longest wait (s)")), 100);
        QCOMPARE(charts.pointCount(QStringLiteral("r1 lag (s)")), 100);
        QCOMPARE(charts.pointCount(QStringLiteral("r2 lag (bytes)")), 100);
        // The first tick after a connect has no interval to measure a rate over: no point, not a dip to 0.
        QCOMPARE(charts.pointCount(QStringLiteral("transactions/s")), 99);
        QCOMPARE(charts.pointCount(QStringLiteral("no such series")), -1);
        for (int i = 0; i < 10; ++i)
            charts.addProgress(kStart.addSecs(i), progressAt(i));
        QCOMPARE(charts.progressCount(), 10);
        QCOMPARE(charts.pointCount(QStringLiteral("rows/s")), 10);
        QCOMPARE(charts.pointCount(QStringLiteral("batch time (ms)")), 10);
        QCOMPARE(charts.pointCount(QStringLiteral("target batch time (ms)")), 10);
        charts.clear();
        QCOMPARE(charts.sampleCount(), 0);
        QCOMPARE(charts.pointCount(QStringLiteral("waiting for a lock")), 0);
    }

    void liveWindowDropsOlderPoints()
    {
        ui::RunCharts charts;
        QCOMPARE(charts.windowSeconds(), 600);
        charts.markStep(kStart, QStringLiteral("1 add column"));
        charts.markStep(kStart.addSecs(400), QStringLiteral("3 backfill"));
        // 1,500 ticks = 750 s: the window [149.5 s, 749.5 s] holds 1,201 of them.
        for (int i = 0; i < 1500; ++i) {
            charts.addSample(tick(i * 0.5, {QStringLiteral("r1")}));
            if (i % 4 == 0)
                charts.addProgress(kStart.addMSecs(i * 500), progressAt(i * 0.5));
        }
        QCOMPARE(charts.sampleCount(), 1201);
        QCOMPARE(charts.pointCount(QStringLiteral("waiting for a lock")), 1201);
        QCOMPARE(charts.pointCount(QStringLiteral("r1 lag (s)")), 1201);
        QCOMPARE(charts.progressCount(), 300);   // every 4th tick from 150 s on
        QCOMPARE(charts.stepMarkCount(), 1);     // the mark at 0 s scrolled out
        // The same samples replayed keep everything.
        ui::RunCharts replay;
        replay.setLive(false);
        for (int i = 0; i < 1500; ++i)
            replay.addSample(tick(i * 0.5, {QStringLiteral("r1")}));
        QCOMPARE(replay.sampleCount(), 1500);
        QCOMPARE(replay.pointCount(QStringLiteral("r1 lag (bytes)")), 1500);
        // A shorter window.
        charts.setWindowSeconds(60);
        QCOMPARE(charts.sampleCount(), 121);
    }

    void replicasBecomeSeriesByName()
    {
        ui::RunCharts charts;
        charts.show();   // a hidden chart leaves its axes alone until it shows
        for (int i = 0; i < 10; ++i)
            charts.addSample(tick(i * 0.5, {QStringLiteral("standby-b"), QStringLiteral("standby-a")}));
        for (int i = 10; i < 20; ++i)
            charts.addSample(tick(i * 0.5, {QStringLiteral("standby-b"), QStringLiteral("standby-a"), QStringLiteral("late")}));
        QCOMPARE(charts.replicaNames(), (QStringList{"standby-b", "standby-a", "late"}));
        const QStringList series = charts.seriesNames(Chart::Lag);
        QCOMPARE(series.size(), 6);
        QVERIFY(series.contains(QStringLiteral("late lag (s)")));
        QVERIFY(series.contains(QStringLiteral("standby-a lag (bytes)")));
        QCOMPARE(charts.pointCount(QStringLiteral("late lag (s)")), 10);
        QCOMPARE(charts.pointCount(QStringLiteral("standby-b lag (s)")), 20);
        // Lags of a few MB: the byte axis says MB, not a wall of digits.
        QVERIFY2(axisTitle(charts, Qt::AlignRight, 0).contains(QLatin1String("MB")), qPrintable(axisTitle(charts, Qt::AlignRight, 0)));
        QVERIFY(axisTitle(charts, Qt::AlignLeft, 0).contains(QLatin1String("(s")) || axisTitle(charts, Qt::AlignLeft, 0).contains(QLatin1String(" s ")));
    }

    void flatRunsAreDrawnWithTheirEndsOnly()
    {
        QMainWindow window;
        auto* charts = new ui::RunCharts;
        window.setCentralWidget(charts);
        window.resize(1280, 720);
        window.show();
        for (int i = 0; i < 400; ++i) {
            pg::MonitorSample s = tick(i * 0.5, {});
            s.blockedByRunner = i >= 200 && i < 210 ? 2 : 0;   // one burst in a quiet run
            charts->addSample(s);
        }
        QCOMPARE(charts->pointCount(QStringLiteral("blocked by this run")), 400);
        const auto panels = charts->findChildren<ui::ChartPanel*>();
        ui::ChartPanel* locks = nullptr;
        for (ui::ChartPanel* p : panels)
            if (p->series(QStringLiteral("blocked by this run")))
                locks = p;
        QVERIFY(locks);
        // 0 ... 0 2 ... 2 0 ... 0: the ends of three flat runs.
        QCOMPARE(locks->drawnPointCount(locks->series(QStringLiteral("blocked by this run"))), 6);
        QCOMPARE(locks->series(QStringLiteral("blocked by this run"))->at(2), QPointF(double(kStart.addSecs(100).toMSecsSinceEpoch()), 2));
    }

    void longReplayIsDrawnAtScreenResolution()
    {
        QMainWindow window;
        auto* charts = new ui::RunCharts;
        charts->setLive(false);
        window.setCentralWidget(charts);
        window.resize(1600, 1000);
        window.show();
        QElapsedTimer clock;
        clock.start();
        for (int i = 0; i < 21600; ++i)   // three hours
            charts->addSample(tick(i * 0.5, {QStringLiteral("r1")}));
        QCOMPARE(charts->sampleCount(), 21600);
        QCOMPARE(charts->pointCount(QStringLiteral("transactions/s")), 21600);
        const double loadMs = clock.nsecsElapsed() / 1e6;
        clock.restart();
        charts->grab();
        qInfo("a 3-hour replay (21,600 samples): loaded in %.0f ms, rendered in %.0f ms", loadMs, clock.nsecsElapsed() / 1e6);
        ui::ChartPanel* throughput = nullptr;
        for (ui::ChartPanel* p : charts->findChildren<ui::ChartPanel*>())
            if (p->series(QStringLiteral("transactions/s")))
                throughput = p;
        QVERIFY(throughput);
        const int drawn = throughput->drawnPointCount(throughput->series(QStringLiteral("transactions/s")));
        QVERIFY2(drawn <= 2401 && drawn >= 1200, qPrintable(QString::number(drawn)));
        // Peaks survive: the highest drawn value is the highest fed.
        double fedMax = 0, drawnMax = 0;
        for (int i = 0; i < 21600; ++i)
            fedMax = std::max(fedMax, tick(i * 0.5, {}).transactionsPerSecond);
        for (const QPointF& p : throughput->series(QStringLiteral("transactions/s"))->points())
            drawnMax = std::max(drawnMax, p.y());
        QCOMPARE(drawnMax, fedMax);
    }

    void stepMarksAreCounted()
    {
        ui::RunCharts charts;
        QCOMPARE(charts.stepMarkCount(), 0);
        charts.markStep(kStart, QStringLiteral("1 add column"));
        charts.markStep(kStart.addMSecs(300), QStringLiteral("2 sync trigger"));
        charts.markStep(kStart.addSecs(5), QStringLiteral("3 backfill"));
        QCOMPARE(charts.stepMarkCount(), 3);
        charts.clear();
        QCOMPARE(charts.stepMarkCount(), 0);
    }

    void emptyChartsSayWhy()
    {
        ui::RunCharts charts;
        // Before any run nothing is sampled: the graphs say they start with it, not that a sample is coming.
        charts.setIdle(true);
        QCOMPARE(charts.emptyText(Chart::Lag), QStringLiteral("The graphs start with the run"));
        QCOMPARE(charts.emptyText(Chart::Throughput), QStringLiteral("The graphs start with the run"));
        charts.setIdle(false);
        QVERIFY(charts.emptyText(Chart::Lag).contains(QLatin1String("first sample")));
        QVERIFY(charts.emptyText(Chart::Locks).contains(QLatin1String("first sample")));
        QCOMPARE(charts.emptyText(Chart::Backfill), QStringLiteral("No backfill in this run yet"));
        for (int i = 0; i < 4; ++i)
            charts.addSample(tick(i * 0.5, {}));
        QCOMPARE(charts.emptyText(Chart::Lag), QStringLiteral("No replicas: nothing to lag"));
        QCOMPARE(charts.emptyText(Chart::Locks), QStringLiteral("No lock waits in the last 10 min"));
        QVERIFY(charts.emptyText(Chart::Throughput).isEmpty());
        QCOMPARE(charts.emptyText(Chart::Backfill), QStringLiteral("No backfill in this run yet"));
        charts.addProgress(kStart.addSecs(2), progressAt(2));
        QVERIFY(charts.emptyText(Chart::Backfill).isEmpty());
        charts.addSample(tick(3, {QStringLiteral("r1")}));
        QVERIFY(charts.emptyText(Chart::Lag).isEmpty());
        charts.addSample(tick(21, {QStringLiteral("r1")}));   // in a lock-wait burst
        QVERIFY(charts.emptyText(Chart::Locks).isEmpty());

        ui::RunCharts replay;
        replay.setLive(false);
        QVERIFY(replay.emptyText(Chart::Locks).contains(QLatin1String("No monitor samples")));
        QCOMPARE(replay.emptyText(Chart::Backfill), QStringLiteral("No backfill in this run"));

        ui::RunCharts::Chart all[] = {Chart::Lag, Chart::Locks, Chart::Backfill, Chart::Throughput};
        QMainWindow window;
        auto* fresh = new ui::RunCharts;
        window.setCentralWidget(fresh);
        window.resize(1280, 720);
        window.show();
        for (Chart c : all)
            QVERIFY(!fresh->emptyText(c).isEmpty());
        test::saveShots(&window, QStringLiteral("run_charts_empty"));
    }

    void appendCostAndMemory()
    {
        QMainWindow window;
        auto* charts = new ui::RunCharts;
        window.setCentralWidget(charts);
        window.resize(1600, 1000);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const QStringList replicas{QStringLiteral("r1"), QStringLiteral("r2"), QStringLiteral("r3")};
        QApplication::processEvents();
        const qint64 before = heapInUse();
        for (int i = 0; i < 1200; ++i) {
            charts->addSample(tick(i * 0.5, replicas));
            charts->addProgress(kStart.addMSecs(i * 500), progressAt(i * 0.5));
        }
        QCOMPARE(charts->sampleCount(), 1200);
        QApplication::processEvents();
        const qint64 grown = heapInUse() - before;

        // Steady state: the window is full, each tick appends one point per series and drops one; every 20th
        // tick the time axis moves 10 s and every line is drawn anew.
        constexpr int kTicks = 200;
        QElapsedTimer clock;
        double totalMs = 0, worstMs = 0;
        for (int i = 1200; i < 1200 + kTicks; ++i) {
            clock.start();
            charts->addSample(tick(i * 0.5, replicas));
            charts->addProgress(kStart.addMSecs(i * 500), progressAt(i * 0.5));
            QCOMPARE(charts->sampleCount(), 1200 + 1);   // commits: [newest - 600 s, newest] holds 1,201
            const double ms = clock.nsecsElapsed() / 1e6;
            totalMs += ms;
            worstMs = std::max(worstMs, ms);
        }
        const double appendMs = totalMs / kTicks;
        double paintTotal = 0, paintWorst = 0;
        for (int i = 0; i < 40; ++i) {
            clock.start();
            charts->addSample(tick((1200 + kTicks + i) * 0.5, replicas));
            charts->sampleCount();
            charts->grab();   // renders all four charts
            const double ms = clock.nsecsElapsed() / 1e6;
            paintTotal += ms;
            paintWorst = std::max(paintWorst, ms);
        }
        qInfo("one tick, append + commit (14 lines of 1,201 points): mean %.2f ms, worst %.1f ms (the 10 s axis step)",
              appendMs, worstMs);
        qInfo("one tick with a full render of the four charts at 1600x1000: mean %.1f ms, worst %.1f ms",
              paintTotal / 40, paintWorst);
        qInfo("heap held by 10 minutes of charts (1,200 ticks, 3 replicas, 14 lines, drawn): %.2f MB", grown / 1048576.0);
        QVERIFY(appendMs < 50);   // a sanity bound far above the figure, not a benchmark
    }

    void realisticRunShots()
    {
        QMainWindow window;
        auto* charts = new ui::RunCharts;
        window.setCentralWidget(charts);
        window.resize(1600, 1000);
        window.show();
        feedRealisticRun(*charts, 720);
        QCOMPARE(charts->sampleCount(), 1201);
        QCOMPARE(charts->stepMarkCount(), 2);   // the first three scrolled out of the 10 minutes
        QCOMPARE(charts->replicaNames().size(), 2);
        test::saveShots(&window, QStringLiteral("run_charts_live"));

        auto* replay = new ui::RunCharts;
        replay->setLive(false);
        window.setCentralWidget(replay);
        feedRealisticRun(*replay, 180);
        QCOMPARE(replay->stepMarkCount(), 5);
        test::saveShots(&window, QStringLiteral("run_charts_replay"));
    }
};

QTEST_MAIN(TestRunCharts)
#include "test_run_charts.moc"
