// SPDX-License-Identifier: GPL-3.0-or-later
// The widgets with hand-made snapshots (no server): the treemap's geometry, the map's hit testing, zoom and
// selection, the list's sorting and filtering, the detail pane, the connection dialog's conninfo.
#include "tests/gui/gui_shots.h"
#include "ui/connect/connection_dialog.h"
#include "ui/connect/conninfo_tools.h"
#include "ui/common/risk_palette.h"
#include "ui/map/schema_map.h"
#include "ui/map/table_detail.h"
#include "ui/map/table_list.h"
#include "ui/map/treemap_layout.h"

#include <QComboBox>
#include <QLineEdit>
#include <QLabel>
#include <QSignalSpy>
#include <QTest>
#include <QTreeView>
#include <QTreeWidget>

using namespace lockstep;

namespace {
pg::TableStats table(quint32 oid, const QString& schema, const QString& name, qint64 bytes, int risk)
{
    pg::TableStats t;
    t.oid = oid;
    t.schema = schema;
    t.name = name;
    t.totalBytes = bytes;
    t.heapBytes = bytes * 3 / 4;
    t.indexBytes = bytes / 4;
    t.rows = double(bytes) / 100;
    t.risk = risk;
    t.writesPerSecond = risk * 10;
    if (risk > 0)
        t.riskReasons << QStringLiteral("%1 writes/s").arg(risk * 10);
    return t;
}

QVector<pg::TableStats> sample()
{
    return {table(1, "public", "orders", 800'000'000, 72), table(2, "public", "items", 300'000'000, 40),
            table(3, "public", "customers", 50'000'000, 5), table(4, "audit", "events", 200'000'000, 15),
            table(5, "audit", "logins", 1'000'000, 0), table(6, "shop", "stock", 90'000'000, 90)};
}
} // namespace

class TestSchemaMap : public QObject {
    Q_OBJECT
private slots:
    void squarifyKeepsAreasAndBounds();
    void mapHitTestsEveryTable();
    void mapZoomsIntoASchemaAndOut();
    void aSmallSchemaCanBeSeenAndClicked();
    void partitionsAreNotCountedTwice();
    void listSortsFiltersAndSelectsQuietly();
    void detailShowsRiskInWords();
    void riskScaleRunsCalmToHot();
    void dialogPassesOnlyWhatWasTyped();
    void conninfoForConnectAddsPasswordInMemory();
};

void TestSchemaMap::squarifyKeepsAreasAndBounds()
{
    const QVector<double> weights{6, 6, 4, 3, 2, 2, 1, 0};
    const QRectF bounds(0, 0, 600, 400);
    const QVector<QRectF> rects = ui::squarify(weights, bounds);
    QCOMPARE(rects.size(), weights.size());
    const double total = 24;
    double area = 0;
    for (int i = 0; i < weights.size(); ++i) {
        const double expected = bounds.width() * bounds.height() * weights[i] / total;
        const double got = rects[i].width() * rects[i].height();
        QVERIFY2(std::abs(got - expected) < 0.5, qPrintable(QStringLiteral("rect %1: %2 vs %3").arg(i).arg(got).arg(expected)));
        QVERIFY(bounds.adjusted(-0.01, -0.01, 0.01, 0.01).contains(rects[i]) || rects[i].isEmpty());
        if (weights[i] > 0) {
            const double ratio = std::max(rects[i].width() / rects[i].height(), rects[i].height() / rects[i].width());
            QVERIFY2(ratio < 4, qPrintable(QStringLiteral("rect %1 aspect %2").arg(i).arg(ratio)));
        }
        area += got;
        for (int j = 0; j < i; ++j)
            QVERIFY(rects[i].intersected(rects[j]).width() * rects[i].intersected(rects[j]).height() < 0.01);
    }
    QVERIFY(std::abs(area - 600 * 400) < 1);
    QVERIFY(rects.last().isEmpty());
}

void TestSchemaMap::mapHitTestsEveryTable()
{
    ui::SchemaMap map;
    map.resize(900, 600);
    map.show();
    QVERIFY(QTest::qWaitForWindowExposed(&map));
    map.setTables(sample());
    QCOMPARE(map.tableCount(), 6);
    QSignalSpy clicked(&map, &ui::SchemaMap::tableClicked);
    for (const auto& t : sample()) {
        const QRect r = map.tableRect(t.oid);
        QVERIFY2(!r.isEmpty(), qPrintable(t.name));
        QCOMPARE(map.tableAt(r.center()), t.oid);
    }
    // Bigger tables get bigger blocks.
    const QRect orders = map.tableRect(1), items = map.tableRect(2);
    QVERIFY(orders.width() * orders.height() > 2 * items.width() * items.height());
    QTest::mouseClick(&map, Qt::LeftButton, {}, map.tableRect(6).center());
    QCOMPARE(clicked.count(), 1);
    QCOMPARE(clicked.first().first().toUInt(), 6u);
    QCOMPARE(map.selectedOid(), 6u);
    // Selecting from outside emits nothing.
    map.selectTable(2);
    QCOMPARE(clicked.count(), 1);
    QCOMPARE(map.selectedOid(), 2u);
    map.setTables({});
    QCOMPARE(map.tableCount(), 0);
    QCOMPARE(map.tableAt(QPoint(100, 100)), 0u);
}

void TestSchemaMap::mapZoomsIntoASchemaAndOut()
{
    ui::SchemaMap map;
    map.resize(900, 600);
    map.show();
    QVERIFY(QTest::qWaitForWindowExposed(&map));
    map.setTables(sample());
    QSignalSpy zoomed(&map, &ui::SchemaMap::zoomChanged);
    // Double-clicking a table zooms into its schema: only that schema's tables are on the map.
    QTest::mouseDClick(&map, Qt::LeftButton, {}, map.tableRect(4).center());
    QCOMPARE(map.zoomedSchema(), QStringLiteral("audit"));
    QCOMPARE(zoomed.count(), 1);
    QVERIFY(map.tableRect(1).isEmpty());
    const QRect events = map.tableRect(4);
    QVERIFY(events.width() * events.height() > 900 * 600 / 2);   // the schema fills the map
    test::saveShots(&map, QStringLiteral("10_map_widget_zoomed"));
    map.setFocus();
    QTest::keyClick(&map, Qt::Key_Backspace);
    QCOMPARE(map.zoomedSchema(), QString());
    QVERIFY(!map.tableRect(1).isEmpty());
    // Selecting a table elsewhere while zoomed follows it to its schema.
    map.zoomToSchema(QStringLiteral("audit"));
    map.selectTable(6);
    QCOMPARE(map.zoomedSchema(), QStringLiteral("shop"));
}

// A schema of 1.8 MB beside one of 333 MB (the demo's marketing) was a sliver nobody could see or click: each
// schema gets a block big enough to click into, and a click on it zooms in.
void TestSchemaMap::aSmallSchemaCanBeSeenAndClicked()
{
    ui::SchemaMap map;
    map.resize(480, 420);
    map.show();
    QVERIFY(QTest::qWaitForWindowExposed(&map));
    map.setTables({table(1, "public", "orders", 333'000'000, 34), table(2, "marketing", "signups", 1'800'000, 0),
                   table(3, "marketing", "Campaigns", 40'000, 0)});
    const QRect signups = map.tableRect(2);
    QVERIFY2(signups.width() >= 20 && signups.height() >= 20,
             qPrintable(QStringLiteral("%1x%2").arg(signups.width()).arg(signups.height())));
    QVERIFY(!map.tableRect(3).isEmpty());
    QTest::mouseDClick(&map, Qt::LeftButton, {}, signups.center());
    QCOMPARE(map.zoomedSchema(), QStringLiteral("marketing"));
}

void TestSchemaMap::partitionsAreNotCountedTwice()
{
    auto parent = table(10, "public", "measurements", 400'000'000, 20);
    parent.relkind = 'p';
    parent.partitionChildren = QStringList{"public.m1", "public.m2"};
    auto m1 = table(11, "public", "m1", 200'000'000, 20);
    auto m2 = table(12, "public", "m2", 200'000'000, 20);
    m1.partitionParent = m2.partitionParent = QStringLiteral("public.measurements");
    auto other = table(13, "public", "other", 400'000'000, 20);
    ui::SchemaMap map;
    map.resize(800, 600);
    map.show();
    QVERIFY(QTest::qWaitForWindowExposed(&map));
    map.setTables({parent, m1, m2, other});
    QCOMPARE(map.tableCount(), 4);
    const QRect p = map.tableRect(10), o = map.tableRect(13);
    // The parent (sum of its partitions) and a table of the same size get the same area.
    const double ratio = double(p.width() * p.height()) / double(o.width() * o.height());
    QVERIFY2(ratio > 0.95 && ratio < 1.05, qPrintable(QString::number(ratio)));
}

void TestSchemaMap::listSortsFiltersAndSelectsQuietly()
{
    ui::TableList list;
    list.resize(400, 500);
    list.show();
    list.setTables(sample());
    QCOMPARE(list.tableCount(), 6);
    auto* model = list.view()->model();
    QCOMPARE(model->index(0, 0).data().toString(), QStringLiteral("orders"));    // largest first
    list.view()->sortByColumn(4, Qt::DescendingOrder);                            // by risk
    QCOMPARE(model->index(0, 0).data().toString(), QStringLiteral("shop.stock"));
    QCOMPARE(model->index(0, 4).data().toString(), QStringLiteral("90"));
    QTest::keyClicks(list.filterEdit(), QStringLiteral("audit"));
    QCOMPARE(list.visibleCount(), 2);
    QSignalSpy selected(&list, &ui::TableList::tableSelected);
    list.selectTable(1);                                 // hidden by the filter: the filter clears
    QCOMPARE(list.visibleCount(), 6);
    QCOMPARE(list.view()->currentIndex().data().toString(), QStringLiteral("orders"));
    QCOMPARE(selected.count(), 0);
    list.view()->setCurrentIndex(model->index(2, 0));
    QCOMPARE(selected.count(), 1);
    // A rates refresh of the same tables keeps the selection.
    const QString current = list.view()->currentIndex().data().toString();
    auto refreshed = sample();
    refreshed[0].writesPerSecond = 12400;
    list.setTables(refreshed);
    QCOMPARE(list.view()->currentIndex().data().toString(), current);
    test::saveShots(&list, QStringLiteral("11_table_list_widget"));
}

void TestSchemaMap::detailShowsRiskInWords()
{
    ui::TableDetail detail;
    detail.resize(420, 600);
    detail.show();
    QCOMPARE(detail.currentOid(), 0u);
    auto t = sample().first();
    t.riskReasons = QStringList{QStringLiteral("a transaction open 14 min holds a lock on it (pid 812)"),
                                QStringLiteral("763 MB"), QStringLiteral("720 writes/s")};
    detail.showTable(t);
    QCOMPARE(detail.currentOid(), 1u);
    QCOMPARE(detail.titleText(), QStringLiteral("public.orders"));
    const QList<QLabel*> labels = detail.findChildren<QLabel*>();
    auto anyLabelHas = [&](const QString& text) {
        return std::any_of(labels.begin(), labels.end(), [&](QLabel* l) { return l->text().contains(text); });
    };
    QVERIFY(anyLabelHas(QStringLiteral("Lock risk 72 — high")));
    QVERIFY(anyLabelHas(QStringLiteral("a transaction open 14 min holds a lock on it (pid 812)")));
    QVERIFY(anyLabelHas(QStringLiteral("720 writes/s")));
    QVERIFY(anyLabelHas(QStringLiteral("Loading columns")));
    TableSnapshot structure;
    structure.oid = 1;
    structure.columns = {{QStringLiteral("id"), QStringLiteral("bigint"), true, {}, 1},
                         {QStringLiteral("note"), QStringLiteral("text"), false, {}, 2}};
    structure.indexes = {{QStringLiteral("orders_pkey"), QStringLiteral("CREATE UNIQUE INDEX ..."), true, true, true, {"id"}}};
    detail.setStructure(structure);
    QCOMPARE(detail.columnsView()->topLevelItemCount(), 2);
    QCOMPARE(detail.indexesView()->topLevelItemCount(), 1);
    // A late answer for another table is ignored.
    structure.oid = 2;
    detail.setStructure(structure);
    QCOMPARE(detail.indexesView()->topLevelItemCount(), 1);
    test::saveShots(&detail, QStringLiteral("12_detail_widget"));
}

void TestSchemaMap::riskScaleRunsCalmToHot()
{
    // Hotter is redder and less green, step by step, so the scale reads one way.
    for (int s = 50; s < 100; s += 10)
        QVERIFY(ui::riskColor(s + 10).green() <= ui::riskColor(s).green());
    QVERIFY(ui::riskColor(100).red() > ui::riskColor(0).red());
    QCOMPARE(ui::riskColor(150), ui::riskColor(100));
    QCOMPARE(ui::riskWord(10), QStringLiteral("calm"));
    QCOMPARE(ui::riskWord(80), QStringLiteral("hot"));
}

void TestSchemaMap::dialogPassesOnlyWhatWasTyped()
{
    ui::ConnectionDialog dialog;
    QCOMPARE(dialog.conninfo(), QString());          // all left to libpq (PG* variables, pgpass, services)
    dialog.hostEdit()->setText(QStringLiteral("db.example.com"));
    QCOMPARE(dialog.conninfo(), QStringLiteral("host='db.example.com'"));
    dialog.setProfile(QStringLiteral("prod"), QStringLiteral("host=h port=6543 dbname='my db' user=o\\'brien sslmode=require"));
    QCOMPARE(dialog.conninfo(), QStringLiteral("host='h' port='6543' dbname='my db' user='o\\'brien' sslmode='require'"));
    QCOMPARE(dialog.profileName(), QStringLiteral("prod"));
    // A string with options the fields lack stays a string, and wins over the fields.
    dialog.setProfile(QString(), QStringLiteral("postgresql://app@db:5433/orders?application_name=x"));
    QCOMPARE(dialog.conninfo(), QStringLiteral("postgresql://app@db:5433/orders?application_name=x"));
    QCOMPARE(dialog.profileName(), QStringLiteral("orders@db"));
    QVERIFY(!dialog.hostEdit()->isEnabled());
    dialog.show();
    test::saveShots(&dialog, QStringLiteral("13_connection_dialog"));
}

void TestSchemaMap::conninfoForConnectAddsPasswordInMemory()
{
    qunsetenv("PGCONNECT_TIMEOUT");
    const QString full = ui::conninfoForConnect(QStringLiteral("postgresql://bob@h/db"), QStringLiteral("it's"));
    QVERIFY2(full.contains(QStringLiteral("password='it\\'s'")), qPrintable(full));
    QVERIFY(full.contains(QStringLiteral("connect_timeout='10'")));
    QVERIFY(full.contains(QStringLiteral("user='bob'")));
    QVERIFY(!ui::conninfoForConnect(QStringLiteral("connect_timeout=3"), {}).contains(QStringLiteral("'10'")));
    QString error;
    QVERIFY(ui::conninfoForConnect(QStringLiteral("host='unterminated"), {}, &error).isEmpty());
    QVERIFY(!error.isEmpty());
}

QTEST_MAIN(TestSchemaMap)
#include "test_schema_map.moc"
