// SPDX-License-Identifier: GPL-3.0-or-later
// The schema map with 10,000 tables: how long it takes to take a snapshot, lay out and paint, and how much
// memory it holds. Prints figures; never passes or fails on time. Needs lockstep_ui (Qt Widgets), runs
// offscreen: QT_QPA_PLATFORM defaults to offscreen here.
#include "ui/map/schema_map.h"
#include "ui/map/table_list.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QPainter>
#include <QRandomGenerator>
#include <algorithm>
#include <cstdio>
#include <sys/resource.h>

using namespace lockstep;

namespace {
long peakRssKb()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

QVector<pg::TableStats> syntheticTables(int count)
{
    // Sizes spread over six orders of magnitude, as in real databases; a few schemas; risk all over.
    QRandomGenerator rng(42);
    QVector<pg::TableStats> tables;
    tables.reserve(count);
    for (int i = 0; i < count; ++i) {
        pg::TableStats t;
        t.oid = quint32(16384 + i);
        t.schema = QStringLiteral("schema_%1").arg(i % 7);
        t.name = QStringLiteral("table_%1").arg(i);
        t.totalBytes = qint64(8192 * std::pow(10.0, rng.generateDouble() * 6));
        t.heapBytes = t.totalBytes * 3 / 4;
        t.indexBytes = t.totalBytes / 4;
        t.rows = double(t.totalBytes) / 120;
        t.risk = rng.bounded(101);
        t.riskReasons << QStringLiteral("%1 writes/s").arg(t.risk * 7);
        tables.push_back(t);
    }
    std::sort(tables.begin(), tables.end(), [](const pg::TableStats& a, const pg::TableStats& b) {
        return a.schema == b.schema ? a.name < b.name : a.schema < b.schema;
    });
    return tables;
}

double median(QVector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.isEmpty() ? 0 : v[v.size() / 2];
}
} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int count = argc > 1 ? QByteArray(argv[1]).toInt() : 10000;
    const long rssStart = peakRssKb();
    const QVector<pg::TableStats> tables = syntheticTables(count);
    const long rssData = peakRssKb();

    for (const QSize size : {QSize(900, 700), QSize(1600, 1000)}) {
        ui::SchemaMap map;
        map.resize(size);
        QElapsedTimer t;
        t.start();
        map.setTables(tables);
        const double setMs = t.nsecsElapsed() / 1e6;
        QImage image(size, QImage::Format_ARGB32_Premultiplied);
        QVector<double> firstPaint, paints, zoomed;
        {
            t.restart();
            QPainter p(&image);
            map.render(&p);
            firstPaint << t.nsecsElapsed() / 1e6;   // includes the layout
        }
        const double layoutMs = map.lastLayoutMicros() / 1e3;
        for (int i = 0; i < 20; ++i) {
            t.restart();
            QPainter p(&image);
            map.render(&p);
            paints << t.nsecsElapsed() / 1e6;
        }
        map.zoomToSchema(QStringLiteral("schema_3"));
        for (int i = 0; i < 10; ++i) {
            t.restart();
            QPainter p(&image);
            map.render(&p);
            zoomed << t.nsecsElapsed() / 1e6;
        }
        std::printf("map %dx%d, %d tables: setTables %.2f ms, layout %.2f ms, first paint %.2f ms, "
                    "paint median %.2f ms, zoomed-in paint median %.2f ms\n",
                    size.width(), size.height(), count, setMs, layoutMs, firstPaint.first(), median(paints),
                    median(zoomed));
    }
    {
        ui::TableList list;
        list.resize(400, 900);
        QElapsedTimer t;
        t.start();
        list.setTables(tables);
        const double setMs = t.nsecsElapsed() / 1e6;
        t.restart();
        list.show();
        QImage image(list.size(), QImage::Format_ARGB32_Premultiplied);
        QPainter p(&image);
        list.render(&p);
        std::printf("table list, %d tables: setTables (sorted by size) %.2f ms, first paint %.2f ms\n", count, setMs,
                    t.nsecsElapsed() / 1e6);
    }
    std::printf("peak RSS: %ld kB at start, %ld kB with the synthetic snapshot, %ld kB after map and list "
                "(%ld kB for the views)\n",
                rssStart, rssData, peakRssKb(), peakRssKb() - rssData);
    return 0;
}
