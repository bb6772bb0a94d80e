// SPDX-License-Identifier: GPL-3.0-or-later
// Honest numbers: while the window's own run backfills a table that the application also writes, the
// detail pane says the table's writes apart ("N writes/s, of which M by this run's backfill") and the lock
// risk counts the application's writes only (a private server, a real run, an independent writer).
#include "core/store/journal.h"
#include "tests/gui/gui_shots.h"
#include "tests/pg/test_runner_support.h"
#include "tests/support/pg_fixture.h"
#include "ui/change/change_composer.h"
#include "ui/window/main_window.h"
#include "ui/plan/plan_view.h"
#include "ui/run/run_flow.h"
#include "ui/run/run_view.h"
#include "ui/map/schema_map.h"
#include "ui/map/table_detail.h"
#include "ui/window/workspace.h"

#include <QFile>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTest>
#include <atomic>
#include <thread>

using namespace lockstep;

class TestRateSplit : public QObject {
    Q_OBJECT
private slots:
    void ownBackfillIsSaidApart();
};

void TestRateSplit::ownBackfillIsSaidApart()
{
    QStandardPaths::setTestModeEnabled(true);
    QFile::remove(store::Journal::defaultPath());
    const QString db = test::freshDatabase(QStringLiteral("rates"));
    auto conn = test::connect(db);
    conn->execScript(QStringLiteral("CREATE TABLE events (id bigint PRIMARY KEY, qty int NOT NULL);"
                                    "INSERT INTO events SELECT g, g % 97 FROM generate_series(1, 400000) g; ANALYZE events;"));
    const quint32 oid = conn->exec(QStringLiteral("SELECT 'events'::regclass::oid")).value(0, 0).toUInt();

    ui::MainWindow w;
    w.resize(1280, 720);
    w.show();
    w.setRatesInterval(300);
    w.connectTo(db, QStringLiteral("rates"));
    QTRY_VERIFY2_WITH_TIMEOUT(w.isCatalogLoaded(), qPrintable(w.catalogError()), 30000);
    ui::Workspace* ws = w.workspace();
    QTest::mouseClick(ws->map(), Qt::LeftButton, {}, ws->map()->tableRect(oid).center());
    QCOMPARE(ws->detail()->currentOid(), oid);

    NewColumnChange change;
    change.table = QStringLiteral("events");
    change.column = QStringLiteral("doubled");
    change.type = QStringLiteral("bigint");
    change.backfill = QStringLiteral("qty * 2");
    const Plan plan = test::planFor(db, change);

    // The application: ~200 single-row updates a second, on its own connection.
    std::atomic<bool> stop{false};
    std::thread app([&] {
        auto a = pg::Connection::open(db);
        for (int i = 1; !stop; ++i) {
            a->exec(QStringLiteral("UPDATE events SET qty = qty + 1 WHERE id = $1"), {(i * 7919) % 400000 + 1});
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    });
    // A capped backfill, so that it runs for a while (about 20 s at 20,000 rows/s).
    run::RunOptions options;
    options.maxRowsPerSecond = 20000;
    ws->runView()->setOptions(options);
    ws->composer()->blockSignals(true);   // its empty form would clear the plan handed to the plan view here
    ws->planView()->setPlan(plan);
    QVERIFY(w.runFlow()->startRun());

    static const QRegularExpression split(QStringLiteral("([\\d,]+) writes/s, about ([\\d,]+) rows/s of them by this run's backfill"));
    auto ownOf = [](const QString& text) {
        const auto m = split.match(text);
        return m.hasMatch() ? QString(m.captured(2)).remove(QLatin1Char(',')).toDouble() : 0.0;
    };
    QString summary;
    QTRY_VERIFY_WITH_TIMEOUT((summary = ws->detail()->summaryText(), ownOf(summary) > 2000), 30000);
    test::saveShots(&w, QStringLiteral("08_rates_said_apart"));
    const QString reasons = ws->detail()->reasonsText();
    stop = true;
    app.join();
    ws->runView()->abortNow(QStringLiteral("the test has seen the rates"));
    QTRY_VERIFY_WITH_TIMEOUT(!ws->runView()->isRunActive(), 30000);
    ws->composer()->blockSignals(false);
    qInfo("%s | %s", qPrintable(summary), qPrintable(reasons));
    const auto m = split.match(summary);
    const double total = QString(m.captured(1)).remove(QLatin1Char(',')).toDouble();
    const double own = QString(m.captured(2)).remove(QLatin1Char(',')).toDouble();
    QVERIFY2(own > 2000 && own <= total, qPrintable(summary));
    // The risk's write rate is the application's (a few hundred a second), not the table's total.
    static const QRegularExpression riskWrites(QStringLiteral("([\\d.]+) writes/s"));
    const auto r = riskWrites.match(reasons);
    if (r.hasMatch())
        QVERIFY2(r.captured(1).toDouble() < own, qPrintable(reasons));
}

QTEST_MAIN(TestRateSplit)
#include "test_rate_split.moc"
