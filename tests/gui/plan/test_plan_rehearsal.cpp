// SPDX-License-Identifier: GPL-3.0-or-later
// "Rehearse on a copy" in the Plan view of a connected window against a private server: the button runs
// the rehearsal off the GUI thread (the window never waits), the line says what it is doing, and when it
// is done the line gives the rehearsed total beside the estimate and each step card shows its rehearsed
// time beside its estimate; Cancel stops one under way; the server's table is unchanged.
#include "core/store/journal.h"
#include "tests/gui/gui_shots.h"
#include "tests/gui/stall_probe.h"
#include "tests/pg/test_runner_support.h"
#include "tests/support/pg_fixture.h"
#include "ui/plan/plan_view.h"
#include "ui/plan/rehearsal_bar.h"
#include "ui/plan/step_card.h"
#include "ui/window/main_window.h"
#include "ui/window/workspace.h"

#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QStandardPaths>
#include <QTest>

using namespace lockstep;

namespace {
Plan planOnServer(const QString& conninfo)
{
    NewColumnChange change;
    change.table = QStringLiteral("public.orders");
    change.column = QStringLiteral("total_cents");
    change.type = QStringLiteral("bigint");
    change.backfill = QStringLiteral("(total * 100)::bigint");
    change.notNull = true;
    change.index = true;
    return test::planFor(conninfo, change);
}

QString tableState(const QString& conninfo)
{
    return test::connect(conninfo)->exec(QStringLiteral("SELECT md5(string_agg(o::text, ',' ORDER BY id)) || count(*) FROM orders o")).value(0, 0);
}
} // namespace

class TestPlanRehearsal : public QObject {
    Q_OBJECT
    QString m_conninfo;
    std::unique_ptr<ui::MainWindow> m_window;
    ui::PlanView* planView() const { return m_window->workspace()->planView(); }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QFile::remove(store::Journal::defaultPath());
        m_conninfo = test::freshDatabase(QStringLiteral("planrehearsal"));
        test::connect(m_conninfo)->execScript(QStringLiteral(
            "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id int NOT NULL, total numeric(12,2) NOT NULL, note text);"
            "INSERT INTO orders SELECT g, 1 + g % 300, (g % 5000) * 1.25, CASE WHEN g % 9 = 0 THEN NULL ELSE 'n' || (g % 700) END "
            "FROM generate_series(1, 30000) g; ANALYZE orders;"));
    }

    void init()
    {
        m_window = std::make_unique<ui::MainWindow>();
        m_window->resize(1600, 1000);
        m_window->setRatesInterval(0);
        m_window->show();
        m_window->connectTo(m_conninfo, QStringLiteral("rehearsal test db"));
        QTRY_VERIFY2_WITH_TIMEOUT(m_window->isCatalogLoaded(), qPrintable(m_window->catalogError()), 30000);
        m_window->workspace()->showPlan();
        planView()->setPlan(planOnServer(m_conninfo));
    }

    void cleanup() { m_window.reset(); }

    void rehearsesAndShowsTheTimesOnTheCards()
    {
        const QString before = tableState(m_conninfo);
        ui::RehearsalBar* bar = planView()->rehearsalBar();
        QVERIFY(bar->button()->isVisible());
        QCOMPARE(bar->button()->text(), QStringLiteral("Rehearse on a copy"));
        test::StallProbe probe;   // the window keeps painting while the copy is made and the plan runs
        probe.start();
        QTest::mouseClick(bar->button(), Qt::LeftButton);
        QCOMPARE(bar->button()->text(), QStringLiteral("Cancel the rehearsal"));
        QTRY_VERIFY_WITH_TIMEOUT(bar->statusText().startsWith(QStringLiteral("Rehearsing: ")), 20000);
        probe.suspend();   // the screenshots are the test's own cost, not the window's
        test::saveShots(m_window.get(), QStringLiteral("plan_07_rehearsing"));
        probe.resume();
        QTRY_VERIFY_WITH_TIMEOUT(!bar->isRunning(), 180000);
        probe.suspend();
        qInfo("%s; the window's longest stall %.0f ms", qPrintable(bar->statusText()), probe.worstOwn());
        QVERIFY2(bar->statusText().startsWith(QStringLiteral("Rehearsed on a copy of 30,000 synthetic rows: every step ran")),
                 qPrintable(bar->statusText()));
        QVERIFY2(bar->statusText().contains(QStringLiteral("(estimated ")), qPrintable(bar->statusText()));
        // The rehearsal never holds the window up; the longest the window's own work took is laying the
        // cards out again with their rehearsed times (one pass, tens of ms on a busy CI machine).
        QVERIFY2(probe.worstOwn() <= 100, qPrintable(QString::number(probe.worstOwn())));
        for (const QString& id : {QStringLiteral("add_column"), QStringLiteral("backfill"), QStringLiteral("index")}) {
            const QString shown = planView()->card(id)->shownEstimate();
            QVERIFY2(shown.startsWith(QStringLiteral("≈ ")) && shown.contains(QStringLiteral(" · rehearsed ")), qPrintable(id + shown));
        }
        // Steps after constrain are not rehearsed: their cards show the estimate alone.
        QVERIFY(!planView()->card(QStringLiteral("switch"))->shownEstimate().contains(QStringLiteral("rehearsed")));
        QCOMPARE(bar->button()->text(), QStringLiteral("Rehearse on a copy"));
        test::saveShots(m_window.get(), QStringLiteral("plan_08_rehearsed"));
        QCOMPARE(tableState(m_conninfo), before);
        // A new plan forgets it.
        planView()->setPlan(planOnServer(m_conninfo).until(Phase::Backfill));
        QVERIFY(bar->statusText().isEmpty());
        QVERIFY(!planView()->card(QStringLiteral("backfill"))->shownEstimate().contains(QStringLiteral("rehearsed")));
    }

    void cancelStopsIt()
    {
        ui::RehearsalBar* bar = planView()->rehearsalBar();
        QTest::mouseClick(bar->button(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(bar->statusText().startsWith(QStringLiteral("Rehearsing: ")), 20000);
        QTest::mouseClick(bar->button(), Qt::LeftButton);   // Cancel
        QTRY_VERIFY_WITH_TIMEOUT(!bar->isRunning(), 60000);
        qInfo("%s", qPrintable(bar->statusText()));
        QVERIFY2(bar->statusText().contains(QStringLiteral("cancelled")), qPrintable(bar->statusText()));
    }
};

QTEST_MAIN(TestPlanRehearsal)
#include "test_plan_rehearsal.moc"
