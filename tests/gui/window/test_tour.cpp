// SPDX-License-Identifier: GPL-3.0-or-later
// `lockstep --demo --tour`: the guided example, on a private server with a demo-like orders table (the demo
// itself takes 20 s to load two million rows; the tour only needs the table's shape). The tour must compose
// the change through the form, show the plan, run it and stop at the switch gate, with a caption each time;
// the server then has the column filled, NOT NULL and indexed, and nothing past the gate has run.
#include "core/store/journal.h"
#include "tests/gui/gui_shots.h"
#include "tests/support/pg_fixture.h"
#include "ui/change/change_composer.h"
#include "ui/window/main_window.h"
#include "ui/run/run_view.h"
#include "ui/window/tour_guide.h"
#include "ui/window/workspace.h"

#include <QFile>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QTimer>

using namespace lockstep;
using Stage = ui::TourGuide::Stage;

class TestTour : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void playsUpToTheSwitchGate();
    void skipHandsTheWindowBack();

private:
    QString m_conninfo;
};

void TestTour::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QFile::remove(store::Journal::defaultPath());
    m_conninfo = test::freshDatabase(QStringLiteral("tour"));
    auto conn = test::connect(m_conninfo);
    conn->execScript(QStringLiteral(R"sql(
        CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, status text NOT NULL,
                             total numeric(12,2) NOT NULL, placed_at timestamptz NOT NULL);
        INSERT INTO orders SELECT g, 1 + g % 600, 'paid', (g % 20000) / 10.0, now() FROM generate_series(1, 60000) g;
        CREATE TABLE customers (id bigint PRIMARY KEY, name text);
        ANALYZE;
    )sql"));
}

void TestTour::playsUpToTheSwitchGate()
{
    ui::MainWindow w;
    w.resize(1600, 1000);
    w.show();
    auto* tour = new ui::TourGuide(&w, QStringLiteral("orders"), 0.05);
    QSignalSpy stages(tour, &ui::TourGuide::stageChanged);
    QVERIFY(tour->caption().contains(QLatin1String("Welcome")));
    w.connectTo(m_conninfo, QStringLiteral("tour"));

    QStringList captions;
    connect(tour, &ui::TourGuide::stageChanged, this, [&] {
        captions << tour->caption();
        // Not inside the tour's own signal: saving shots resizes the window and spins the event loop.
        QTimer::singleShot(0, this, [&w, n = captions.size()] { test::saveShots(&w, QStringLiteral("tour_%1").arg(n)); });
    });
    QTRY_VERIFY_WITH_TIMEOUT(tour->stage() == Stage::AtGate || tour->stage() == Stage::Failed, 180000);
    QVERIFY2(tour->stage() == Stage::AtGate, qPrintable(tour->caption() + QLatin1Char(' ') +
                                                        w.workspace()->runView()->bannerText()));

    QList<Stage> seen;
    for (const QList<QVariant>& args : stages)
        seen << args.at(0).value<Stage>();
    QCOMPARE(seen, (QList<Stage>{Stage::ShowingMap, Stage::Composing, Stage::ShowingPlan, Stage::Running, Stage::AtGate}));
    for (const QString& caption : captions)
        QVERIFY2(caption.size() > 60, qPrintable(caption));   // a sentence for a newcomer, not a label
    QCOMPARE(w.workspace()->runView()->runState(), QStringLiteral("at-switch-gate"));

    // What the run did on the server: the column is filled, NOT NULL, indexed; the sync trigger is still
    // there (contract has not run).
    QCOMPARE(test::psqlScalar(m_conninfo, QStringLiteral("SELECT count(*) FROM orders WHERE total_cents IS DISTINCT FROM (total * 100)::bigint")),
             QStringLiteral("0"));
    QCOMPARE(test::psqlScalar(m_conninfo, QStringLiteral("SELECT attnotnull FROM pg_attribute WHERE attrelid = 'orders'::regclass AND attname = 'total_cents'")),
             QStringLiteral("t"));
    QCOMPARE(test::psqlScalar(m_conninfo, QStringLiteral("SELECT count(*) FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey) "
                                                         "WHERE i.indrelid = 'orders'::regclass AND a.attname = 'total_cents' AND i.indisvalid")),
             QStringLiteral("1"));
    QVERIFY(test::psqlScalar(m_conninfo, QStringLiteral("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'orders'::regclass AND NOT tgisinternal")) != QLatin1String("0"));
}

void TestTour::skipHandsTheWindowBack()
{
    ui::MainWindow w;
    w.resize(1280, 720);
    w.show();
    auto* tour = new ui::TourGuide(&w, QStringLiteral("orders"), 0.05);
    auto* box = w.findChild<QWidget*>(QStringLiteral("tourCaption"));
    QVERIFY(box && box->isVisible());
    test::saveShots(&w, QStringLiteral("tour_0_welcome"));
    const QList<QPushButton*> buttons = box->findChildren<QPushButton*>();
    QCOMPARE(buttons.size(), 1);
    buttons.first()->click();
    QVERIFY(!box->isVisible());
    QCOMPARE(tour->stage(), Stage::Skipped);
    // Connecting afterwards starts nothing: the tour composes no change.
    w.connectTo(m_conninfo, QStringLiteral("no tour"));
    QTRY_VERIFY_WITH_TIMEOUT(w.isCatalogLoaded(), 30000);
    QTest::qWait(1000);
    QCOMPARE(tour->stage(), Stage::Skipped);
    QVERIFY(w.workspace()->composer()->nameEdit()->text().isEmpty());
}

QTEST_MAIN(TestTour)
#include "test_tour.moc"
