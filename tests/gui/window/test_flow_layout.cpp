// SPDX-License-Identifier: GPL-3.0-or-later
// Flow-first layout: browsing, the map takes the window; composing, planning and running, the flow does and
// the map folds to a one-line navigator that still names the table, back with Ctrl+M; each stage keeps its
// own choice (also across a restart). During a real run in a 1280x720 window, the progress bar, the steps
// and the four live graphs are all in view together (not clipped, not scrolled away), and at 1600x1000.
#include "core/store/journal.h"
#include "tests/gui/gui_shots.h"
#include "tests/pg/test_runner_support.h"
#include "tests/support/pg_fixture.h"
#include "ui/change/change_composer.h"
#include "ui/charts/chart_panel.h"
#include "ui/map/schema_map.h"
#include "ui/plan/plan_view.h"
#include "ui/map/table_detail.h"
#include "ui/run/rollback_dialog.h"
#include "ui/run/run_flow.h"
#include "ui/run/run_step_list.h"
#include "ui/run/run_view.h"
#include "ui/window/main_window.h"
#include "ui/window/stage_layout.h"
#include "ui/window/table_navigator.h"
#include "ui/window/workspace.h"

#include <QFile>
#include <QComboBox>
#include <QProgressBar>
#include <QTreeWidget>
#include <QStandardPaths>
#include <QTabBar>
#include <QTabWidget>
#include <QTest>
#include <QToolButton>

using namespace lockstep;
using Stage = ui::StageLayout::Stage;

namespace {
// Whole and on screen: inside every ancestor up to the window (a scroll area's viewport clips what it
// scrolled away, a splitter what it squeezed out).
QString notFullyVisible(QWidget* w)
{
    if (!w->isVisible() || w->width() < 20 || w->height() < 20)
        return QStringLiteral("%1 is hidden or squeezed (%2x%3)").arg(w->metaObject()->className()).arg(w->width()).arg(w->height());
    for (QWidget* ancestor = w->parentWidget(); ancestor; ancestor = ancestor->parentWidget()) {
        const QRect mapped(w->mapTo(ancestor, QPoint(0, 0)), w->size());
        if (!ancestor->rect().contains(mapped))
            return QStringLiteral("%1 at (%2,%3 %4x%5) is cut off by %6 (%7x%8)")
                .arg(w->metaObject()->className()).arg(mapped.x()).arg(mapped.y()).arg(mapped.width()).arg(mapped.height())
                .arg(ancestor->metaObject()->className()).arg(ancestor->width()).arg(ancestor->height());
        if (ancestor->isWindow())
            break;
    }
    return {};
}

void clickTab(ui::Workspace* ws, int index)
{
    QTabBar* bar = ws->flowTabs()->tabBar();
    QTest::mouseClick(bar, Qt::LeftButton, {}, bar->tabRect(index).center());
}
} // namespace

class TestFlowLayout : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void eachStageGetsTheRoom();
    void aRunShowsItsGraphsWithoutScrolling();

private:
    QString m_db;
    quint32 m_oid = 0;
};

void TestFlowLayout::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QFile::remove(store::Journal::defaultPath());
    m_db = test::freshDatabase(QStringLiteral("flow"));
    auto conn = test::connect(m_db);
    conn->execScript(QStringLiteral("CREATE TABLE events (id bigint PRIMARY KEY, qty int NOT NULL);"
                                    "INSERT INTO events SELECT g, g % 97 FROM generate_series(1, 300000) g; ANALYZE events;"));
    m_oid = conn->exec(QStringLiteral("SELECT 'events'::regclass::oid")).value(0, 0).toUInt();
}

void TestFlowLayout::eachStageGetsTheRoom()
{
    QByteArray saved;
    {
        ui::MainWindow w;
        w.resize(1280, 720);
        w.show();
        w.connectTo(m_db, QStringLiteral("flow"));
        QTRY_VERIFY2_WITH_TIMEOUT(w.isCatalogLoaded(), qPrintable(w.catalogError()), 30000);
        ui::Workspace* ws = w.workspace();
        ui::StageLayout* stages = ws->stages();
        QCOMPARE(stages->stage(), Stage::Browse);
        QVERIFY(ws->map()->isVisible());
        QVERIFY(!ws->navigator()->isVisible());
        QVERIFY2(ws->map()->height() > ws->flowTabs()->height(), "browsing: the map has the larger part");

        // Add a column: the flow takes the window, the navigator names the table.
        ws->startChange(m_oid);
        QCOMPARE(stages->stage(), Stage::Change);
        QVERIFY(!ws->map()->isVisible());
        QVERIFY(ws->navigator()->isVisible());
        QVERIFY2(ws->navigator()->text().contains(QStringLiteral("public.events")), qPrintable(ws->navigator()->text()));
        QVERIFY2(ws->navigator()->height() < 60, qPrintable(QString::number(ws->navigator()->height())));
        QVERIFY(ws->flowTabs()->height() > 720 / 2);
        test::saveShots(&w, QStringLiteral("stage_change_map_folded"));

        // Ctrl+M brings the map back in this stage; the Plan stage keeps its own (folded) choice; back on
        // Change the map is there again.
        QTest::keyClick(&w, Qt::Key_M, Qt::ControlModifier);
        QVERIFY(ws->map()->isVisible());
        QVERIFY(stages->isMapShown());
        clickTab(ws, 1);
        QCOMPARE(stages->stage(), Stage::Plan);
        QVERIFY(!ws->map()->isVisible());
        clickTab(ws, 0);
        QCOMPARE(stages->stage(), Stage::Change);
        QVERIFY(ws->map()->isVisible());
        // The navigator's button does the same as Ctrl+M.
        clickTab(ws, 4);
        QCOMPARE(stages->stage(), Stage::History);
        QVERIFY(ws->navigator()->isVisible());
        ws->navigator()->showMapButton()->click();
        QVERIFY(ws->map()->isVisible());
        saved = ws->saveLayout();
    }
    // A new window (a restart) finds each stage's choice again, and opens browsing.
    ui::MainWindow again;
    again.resize(1280, 720);
    again.show();
    again.workspace()->restoreLayout(saved);
    ui::StageLayout* stages = again.workspace()->stages();
    QCOMPARE(stages->stage(), Stage::Browse);
    QVERIFY(stages->isMapShown());
    stages->enter(Stage::Change);
    QVERIFY(stages->isMapShown());
    stages->enter(Stage::Plan);
    QVERIFY(!stages->isMapShown());
    stages->enter(Stage::History);
    QVERIFY(stages->isMapShown());
}

void TestFlowLayout::aRunShowsItsGraphsWithoutScrolling()
{
    ui::MainWindow w;
    w.resize(1280, 720);
    w.show();
    w.connectTo(m_db, QStringLiteral("flow-run"));
    QTRY_VERIFY2_WITH_TIMEOUT(w.isCatalogLoaded(), qPrintable(w.catalogError()), 30000);
    ui::Workspace* ws = w.workspace();
    QTest::mouseClick(ws->map(), Qt::LeftButton, {}, ws->map()->tableRect(m_oid).center());

    NewColumnChange change;
    change.table = QStringLiteral("events");
    change.column = QStringLiteral("doubled");
    change.type = QStringLiteral("bigint");
    change.backfill = QStringLiteral("qty * 2");
    change.notNull = true;
    const Plan plan = test::planFor(m_db, change);
    run::RunOptions options;
    options.maxRowsPerSecond = 15000;   // about 20 s of backfill: long enough to look at it
    ui::RunView* run = ws->runView();
    run->setOptions(options);
    ws->composer()->blockSignals(true);   // its empty form would clear the plan handed to the plan view here
    ws->planView()->setPlan(plan);
    QVERIFY(w.runFlow()->startRun());
    QCOMPARE(ws->stages()->stage(), Stage::Run);
    auto* bar = run->findChild<QProgressBar*>(QStringLiteral("progressBar"));
    QVERIFY(bar);
    QTRY_VERIFY_WITH_TIMEOUT(bar->value() > 0, 30000);

    const QList<ui::ChartPanel*> charts = run->findChildren<ui::ChartPanel*>();
    QCOMPARE(charts.size(), 4);
    for (const QSize size : {QSize(1280, 720), QSize(1600, 1000)}) {
        w.resize(size);
        QTest::qWait(100);
        QVERIFY2(notFullyVisible(bar).isEmpty(), qPrintable(notFullyVisible(bar)));
        QVERIFY2(notFullyVisible(run->stepList()).isEmpty(), qPrintable(notFullyVisible(run->stepList())));
        for (ui::ChartPanel* chart : charts) {
            QVERIFY2(notFullyVisible(chart).isEmpty(), qPrintable(notFullyVisible(chart)));
            QVERIFY2(chart->height() >= 150, qPrintable(QString::number(chart->height())));
        }
    }
    QTest::qWait(2000);   // a few samples on the graphs
    test::saveShots(&w, QStringLiteral("stage_run_with_graphs"));
    run->abortNow(QStringLiteral("the test has seen the layout"));
    QTRY_VERIFY_WITH_TIMEOUT(!run->isRunActive(), 30000);
    // After the run the details and the composer show the column it added; after its rollback, no longer.
    QTRY_COMPARE_WITH_TIMEOUT(ws->detail()->columnsView()->topLevelItemCount(), 3, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(ws->composer()->oldColumnBox()->count(), 3, 10000);
    run->requestRollback();
    QTRY_VERIFY_WITH_TIMEOUT(w.findChild<ui::RollbackDialog*>() && w.findChild<ui::RollbackDialog*>()->isVisible(), 5000);
    w.findChild<ui::RollbackDialog*>()->accept();
    QTRY_VERIFY_WITH_TIMEOUT(run->runState() == QLatin1String("rolled-back"), 30000);
    QTRY_COMPARE_WITH_TIMEOUT(ws->detail()->columnsView()->topLevelItemCount(), 2, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(ws->composer()->oldColumnBox()->count(), 2, 10000);
    ws->composer()->blockSignals(false);
}

QTEST_MAIN(TestFlowLayout)
#include "test_flow_layout.moc"
