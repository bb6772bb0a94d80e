// SPDX-License-Identifier: GPL-3.0-or-later
// The main window against a real private server: connect, the map and the list show every table,
// selecting a table shows its details, a wrong password gives a clear error, and 10,000 tables load
// without the event loop stalling.
#include "core/local/local_cluster.h"
#include "core/store/journal.h"
#include "tests/gui/gui_shots.h"
#include "tests/pg/test_runner_support.h"
#include "tests/gui/stall_probe.h"
#include "tests/support/pg_fixture.h"
#include "ui/change/change_composer.h"
#include "ui/window/main_window.h"
#include "ui/connect/password_dialog.h"
#include "ui/plan/plan_view.h"
#include "ui/run/run_controller.h"
#include "ui/run/run_controls.h"
#include "ui/run/run_view.h"
#include "ui/map/schema_map.h"
#include "ui/window/start_page.h"
#include "ui/map/table_detail.h"
#include "ui/map/table_list.h"
#include "ui/window/workspace.h"

#include <QElapsedTimer>
#include <QFile>
#include <QLineEdit>
#include <QAbstractButton>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardPaths>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <QTest>
#include <QTimer>
#include <QTreeView>
#include <QTreeWidget>

using namespace lockstep;

namespace {
// The longest gap between ticks of a 10 ms timer: how long the GUI thread was busy at a stretch.
quint32 oidOf(pg::Connection& conn, const QString& table)
{
    return conn.exec(QStringLiteral("SELECT $1::regclass::oid"), {table}).value(0, 0).toUInt();
}
} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void startPageWithoutConnection();
    void connectsAndShowsEveryTable();
    void selectingATableShowsItsDetails();
    void runTabAndDetailsFollowTheDatabase();
    void aChangeStaysOnItsTable();
    void wrongPasswordShowsAClearError();
    void promptsForAPasswordOnlyWhenAsked();
    void cancelAbandonsAConnectAttempt();
    void tenThousandTablesNeverStallTheEventLoop();
    void remembersItsSizeAndSplitters();

private:
    QString m_conninfo;
};

void TestMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QFile::remove(store::Journal::defaultPath());
    qputenv("PGPASSFILE", "/nonexistent/lockstep-test-pgpass");
    qunsetenv("PGPASSWORD");
    m_conninfo = test::freshDatabase(QStringLiteral("gui"));
    auto conn = test::connect(m_conninfo);
    conn->execScript(QStringLiteral(R"sql(
        CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id int NOT NULL, total numeric(12,2), note text,
                             created_at timestamptz NOT NULL DEFAULT now());
        CREATE INDEX orders_customer ON orders (customer_id);
        INSERT INTO orders (customer_id, total, note) SELECT 1 + g % 500, g * 1.5, repeat('x', 40) FROM generate_series(1, 60000) g;
        CREATE TABLE customers (id int PRIMARY KEY, email text UNIQUE NOT NULL, name text);
        INSERT INTO customers SELECT g, 'c' || g || '@example.com', 'Customer ' || g FROM generate_series(1, 500) g;
        ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);
        ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0);
        CREATE TABLE items (order_id bigint NOT NULL, sku text NOT NULL, qty int NOT NULL DEFAULT 1);
        INSERT INTO items SELECT g, 'sku-' || (g % 97), 1 + g % 5 FROM generate_series(1, 30000) g;
        CREATE TABLE settings (key text PRIMARY KEY, value text);
        CREATE SCHEMA audit;
        CREATE TABLE audit.events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payload jsonb);
        INSERT INTO audit.events (payload) SELECT jsonb_build_object('n', g) FROM generate_series(1, 20000) g;
        CREATE TABLE audit.logins (at timestamptz, who text);
        CREATE TABLE measurements (id int, at date NOT NULL, v float8) PARTITION BY RANGE (at);
        CREATE TABLE measurements_2024 PARTITION OF measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
        CREATE TABLE measurements_2025 PARTITION OF measurements FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
        INSERT INTO measurements SELECT g, date '2024-01-01' + (g % 700), g FROM generate_series(1, 20000) g;
        ANALYZE;
    )sql"));
}

void TestMainWindow::startPageWithoutConnection()
{
    ui::MainWindow w;
    w.show();
    QVERIFY(w.windowTitle().contains(QLatin1String("Lockstep")));
    QVERIFY(!w.isConnected());
    QVERIFY(w.startPage()->isVisible());
    QVERIFY(!w.workspace()->isVisible());
    test::saveShots(&w, QStringLiteral("01_start_page_empty"));
}

void TestMainWindow::connectsAndShowsEveryTable()
{
    auto conn = test::connect(m_conninfo);
    const int expected = conn->exec(QStringLiteral(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r','p') AND n.nspname NOT IN ('pg_catalog','information_schema') "
        "AND n.nspname NOT LIKE 'pg_toast%'")).value(0, 0).toInt();
    QCOMPARE(expected, 9);

    ui::MainWindow w;
    w.resize(1600, 1000);
    w.show();
    w.connectWithProfile(QStringLiteral("gui test db"), m_conninfo);
    QVERIFY(w.startPage()->isConnecting());
    QTRY_VERIFY2_WITH_TIMEOUT(w.isCatalogLoaded(), qPrintable(w.catalogError()), 30000);
    QCOMPARE(w.workspace()->map()->tableCount(), expected);
    QCOMPARE(w.workspace()->list()->tableCount(), expected);
    QCOMPARE(w.workspace()->list()->view()->model()->rowCount(), expected);
    QVERIFY2(w.windowTitle().startsWith(QStringLiteral("gui test db (PostgreSQL 15")), qPrintable(w.windowTitle()));
    QVERIFY2(w.windowTitle().endsWith(QStringLiteral(", 0 replicas) — Lockstep")), qPrintable(w.windowTitle()));   // the name once, last
    QCOMPARE(w.windowTitle().count(QLatin1String("Lockstep")), 1);

    // Largest first: orders leads the list.
    QCOMPARE(w.workspace()->list()->view()->model()->index(0, 0).data().toString(), QStringLiteral("orders"));
    // The filter narrows the list, the map keeps the whole picture.
    QTest::keyClicks(w.workspace()->list()->filterEdit(), QStringLiteral("measure"));
    QCOMPARE(w.workspace()->list()->visibleCount(), 3);
    QCOMPARE(w.workspace()->map()->tableCount(), expected);
    w.workspace()->list()->filterEdit()->clear();

    // Two schemas: the top level groups them; zooming into audit shows only its tables.
    QCOMPARE(w.workspace()->map()->zoomedSchema(), QString());
    const quint32 events = oidOf(*conn, QStringLiteral("audit.events"));
    const quint32 orders = oidOf(*conn, QStringLiteral("public.orders"));
    QVERIFY(!w.workspace()->map()->tableRect(orders).isEmpty());
    w.workspace()->map()->zoomToSchema(QStringLiteral("audit"));
    QVERIFY(w.workspace()->map()->tableRect(orders).isEmpty());
    QVERIFY(!w.workspace()->map()->tableRect(events).isEmpty());
    test::saveShots(&w, QStringLiteral("03_map_zoomed_audit"));
    w.workspace()->map()->zoomOut();
    test::saveShots(&w, QStringLiteral("02_connected"));

    // The profile was remembered, without a password.
    store::Journal journal(store::Journal::defaultPath());
    const auto profiles = journal.profiles();
    QVERIFY(!profiles.isEmpty());
    QCOMPARE(profiles.first().first, QStringLiteral("gui test db"));
}

void TestMainWindow::selectingATableShowsItsDetails()
{
    auto conn = test::connect(m_conninfo);
    const quint32 orders = oidOf(*conn, QStringLiteral("public.orders"));
    const quint32 customers = oidOf(*conn, QStringLiteral("public.customers"));
    ui::MainWindow w;
    w.resize(1600, 1000);
    w.show();
    w.setRatesInterval(300);
    w.connectTo(m_conninfo, QStringLiteral("details"));
    QTRY_VERIFY2_WITH_TIMEOUT(w.isCatalogLoaded(), qPrintable(w.catalogError()), 30000);
    ui::Workspace* ws = w.workspace();
    QCOMPARE(ws->detail()->currentOid(), quint32(0));

    // A click on the map selects the table there, in the list too, and loads its structure.
    const QRect r = ws->map()->tableRect(orders);
    QVERIFY(!r.isEmpty());
    QTest::mouseClick(ws->map(), Qt::LeftButton, {}, r.center());
    QCOMPARE(ws->selectedOid(), orders);
    QCOMPARE(ws->detail()->currentOid(), orders);
    QCOMPARE(ws->list()->view()->currentIndex().data().toString(), QStringLiteral("orders"));
    QVERIFY(ws->detail()->titleText().startsWith(QLatin1String("public.orders")));
    QTRY_COMPARE_WITH_TIMEOUT(ws->detail()->columnsView()->topLevelItemCount(), 5, 10000);
    QCOMPARE(ws->detail()->columnsView()->topLevelItem(0)->text(0), QStringLiteral("id"));
    QCOMPARE(ws->detail()->columnsView()->topLevelItem(0)->text(1), QStringLiteral("bigint"));
    QCOMPARE(ws->detail()->indexesView()->topLevelItemCount(), 2);
    QCOMPARE(ws->detail()->constraintsView()->topLevelItemCount(), 3);   // pkey, fk, check
    test::saveShots(&w, QStringLiteral("04_table_selected"));

    // Selecting in the list moves the map's selection and the details.
    ws->list()->view()->setFocus();
    const QModelIndex start = ws->list()->view()->model()->index(0, 0);
    const QModelIndexList hits = ws->list()->view()->model()->match(start, Qt::DisplayRole, QStringLiteral("customers"), 1,
                                                                      Qt::MatchExactly);
    QCOMPARE(hits.size(), 1);
    ws->list()->view()->setCurrentIndex(hits.first());
    QCOMPARE(ws->selectedOid(), customers);
    QCOMPARE(ws->map()->selectedOid(), customers);
    QTRY_COMPARE_WITH_TIMEOUT(ws->detail()->columnsView()->topLevelItemCount(), 3, 10000);

    // Rates refresh by themselves: writes show up without pressing Refresh.
    const QDateTime firstRead = w.snapshot().at;
    conn->exec(QStringLiteral("UPDATE customers SET name = name || '!'"));
    QTRY_VERIFY_WITH_TIMEOUT(w.snapshot().at > firstRead, 10000);
    QCOMPARE(ws->selectedOid(), customers);          // the refresh keeps the selection
    QCOMPARE(ws->map()->tableCount(), 9);

    // Another operator's run claims customers (its claim on the server): the map frames it and the details
    // say who is working on it, on the next refresh.
    auto other = test::connect(m_conninfo);
    other->exec(QStringLiteral("SET application_name = 'lockstep 0badc0de bob@elsewhere step 3/11 backfill'"));
    other->exec(QStringLiteral("SELECT pg_advisory_lock((1280003924::bigint << 32) | 'customers'::regclass::oid::bigint)"));
    QTRY_VERIFY_WITH_TIMEOUT(ws->detail()->reasonsText().contains(
                                 QStringLiteral("a Lockstep run is working on it: run 0badc0de by bob@elsewhere, now: step 3/11 backfill (pid")),
                             10000);
    bool claimed = false;
    for (const pg::TableStats& t : w.snapshot().tables)
        claimed = claimed || (t.name == QLatin1String("customers") && t.runClaim.contains(QLatin1String("bob@elsewhere")));
    QVERIFY(claimed);
    test::saveShots(&w, QStringLiteral("05_table_claimed_by_another_run"));
    other.reset();   // the claim goes with the session
    QTRY_VERIFY_WITH_TIMEOUT(!ws->detail()->reasonsText().contains(QStringLiteral("Lockstep run is working")), 10000);
}


// The Run tab shows the plan Run ▶ would start (never "No plan to run" beside a ready plan), and a Refresh
// reads the selected table's structure again (a column added since shows in the detail pane).
void TestMainWindow::runTabAndDetailsFollowTheDatabase()
{
    auto conn = test::connect(m_conninfo);
    const quint32 orders = oidOf(*conn, QStringLiteral("public.orders"));
    ui::MainWindow w;
    w.resize(1280, 720);
    w.show();
    w.connectTo(m_conninfo, QStringLiteral("follows"));
    QTRY_VERIFY2_WITH_TIMEOUT(w.isCatalogLoaded(), qPrintable(w.catalogError()), 30000);
    ui::Workspace* ws = w.workspace();
    const QRect r = ws->map()->tableRect(orders);
    QTest::mouseClick(ws->map(), Qt::LeftButton, {}, r.center());
    QTRY_COMPARE_WITH_TIMEOUT(ws->detail()->columnsView()->topLevelItemCount(), 5, 10000);

    NewColumnChange change;
    change.table = QStringLiteral("public.orders");
    change.column = QStringLiteral("probe_gui");
    change.type = QStringLiteral("bigint");
    change.backfill = QStringLiteral("id");
    change.notNull = true;
    const Plan plan = test::planFor(m_conninfo, change);

    ui::RunView* run = ws->runView();
    QVERIFY(run->controller()->plan().steps.isEmpty());
    QVERIFY(!run->controls()->startButton()->isEnabled());
    ws->planView()->setPlan(plan);
    QCOMPARE(run->controller()->plan().steps.size(), plan.steps.size());
    QVERIFY(run->controls()->startButton()->isEnabled());
    QCOMPARE(run->runId(), qint64(0));
    ws->showRun();
    ws->composer()->blockSignals(true);   // the composer's form is empty: its next check would clear the plan
    test::saveShots(&w, QStringLiteral("06_run_tab_shows_the_plan"));
    ws->composer()->blockSignals(false);
    ws->planView()->setPlan(plan);
    // Its Start asks, as Run ▶ does (answered No here: nothing starts).
    QTimer::singleShot(300, [] {
        if (QWidget* box = QApplication::activeModalWidget())
            box->close();
    });
    QSignalSpy asked(run, &ui::RunView::newRunRequested);
    QVERIFY2(run->controls()->startButton()->isEnabled(), qPrintable(run->controls()->startButton()->toolTip()));
    run->controls()->startButton()->click();
    QCOMPARE(asked.size(), 1);
    QCOMPARE(run->runId(), qint64(0));
    ws->planView()->clearPlan(QStringLiteral("the change is incomplete"));
    QVERIFY(run->controller()->plan().steps.isEmpty());
    QVERIFY(!run->controls()->startButton()->isEnabled());

    conn->exec(QStringLiteral("ALTER TABLE public.orders ADD COLUMN refreshed_probe integer"));
    w.refresh();
    QTRY_COMPARE_WITH_TIMEOUT(ws->detail()->columnsView()->topLevelItemCount(), 6, 10000);
    conn->exec(QStringLiteral("ALTER TABLE public.orders DROP COLUMN refreshed_probe"));
    w.refresh();
    QTRY_COMPARE_WITH_TIMEOUT(ws->detail()->columnsView()->topLevelItemCount(), 5, 10000);
}

// Composing a change on orders, a click on customers shows customers but asks before moving the change;
// "Keep" leaves it on orders, "Move" takes it along.
void TestMainWindow::aChangeStaysOnItsTable()
{
    auto conn = test::connect(m_conninfo);
    const quint32 orders = oidOf(*conn, QStringLiteral("public.orders"));
    const quint32 customers = oidOf(*conn, QStringLiteral("public.customers"));
    ui::MainWindow w;
    w.resize(1280, 720);
    w.show();
    w.connectTo(m_conninfo, QStringLiteral("own table"));
    QTRY_VERIFY2_WITH_TIMEOUT(w.isCatalogLoaded(), qPrintable(w.catalogError()), 30000);
    ui::Workspace* ws = w.workspace();
    QTest::mouseClick(ws->map(), Qt::LeftButton, {}, ws->map()->tableRect(orders).center());
    QCOMPARE(ws->composer()->tableOid(), orders);
    QLineEdit* name = nullptr;
    for (QLineEdit* e : ws->composer()->findChildren<QLineEdit*>())
        if (e->placeholderText().startsWith(QLatin1String("e.g. total_cents")))
            name = e;
    QVERIFY(name);
    name->setText(QStringLiteral("total_cents"));
    QVERIFY(ws->composer()->hasDraft());

    auto answer = [](const QString& prefix, QString* question) {
        QTimer::singleShot(200, [prefix, question] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            if (!box)
                return;
            *question = box->text();
            test::saveShots(box, QStringLiteral("07_move_the_change"));
            for (QAbstractButton* b : box->buttons())
                if (b->text().startsWith(prefix))
                    b->click();
        });
    };
    QString asked;
    answer(QStringLiteral("Keep"), &asked);
    QTest::mouseClick(ws->map(), Qt::LeftButton, {}, ws->map()->tableRect(customers).center());
    QVERIFY2(asked.contains(QLatin1String("on public.orders. Move it to public.customers")), qPrintable(asked));
    QCOMPARE(ws->detail()->currentOid(), customers);   // browsing customers
    QCOMPARE(ws->composer()->tableOid(), orders);      // the change stays on orders
    QCOMPARE(name->text(), QStringLiteral("total_cents"));

    asked.clear();
    answer(QStringLiteral("Move"), &asked);
    QTest::mouseClick(ws->map(), Qt::LeftButton, {}, ws->map()->tableRect(orders).center());
    QVERIFY(asked.isEmpty());                          // back on the change's own table: nothing to ask
    answer(QStringLiteral("Move"), &asked);
    QTest::mouseClick(ws->map(), Qt::LeftButton, {}, ws->map()->tableRect(customers).center());
    QVERIFY(!asked.isEmpty());
    QCOMPARE(ws->composer()->tableOid(), customers);
}

void TestMainWindow::wrongPasswordShowsAClearError()
{
    // A server of our own that wants passwords (scram) from everyone but its superuser.
    LocalCluster cluster;
    cluster.start();
    const QString alice = test::requirePasswords(cluster, QStringLiteral("alice"), QStringLiteral("right-secret"));
    QVERIFY(!alice.isEmpty());

    ui::MainWindow w;
    w.resize(1600, 1000);
    w.show();
    w.connectTo(alice + QStringLiteral(" password=wrong"), QStringLiteral("secure server"));
    QTRY_VERIFY_WITH_TIMEOUT(!w.startPage()->errorText().isEmpty(), 20000);
    const QString error = w.startPage()->errorText();
    QVERIFY2(error.contains(QStringLiteral("“secure server” rejected the user name or password")), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("password authentication failed for user \"alice\"")), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("SQLSTATE: 08001")), qPrintable(error));
    QVERIFY(!w.isConnected());
    QVERIFY(w.startPage()->isVisible());
    test::saveShots(&w, QStringLiteral("05_wrong_password"));

    // The right one connects.
    w.connectTo(alice + QStringLiteral(" password=right-secret"), QStringLiteral("secure server"));
    QTRY_VERIFY_WITH_TIMEOUT(w.isConnected(), 20000);
}

void TestMainWindow::promptsForAPasswordOnlyWhenAsked()
{
    LocalCluster cluster;
    cluster.start();
    const QString bob = test::requirePasswords(cluster, QStringLiteral("bob"), QStringLiteral("bobs-secret"));
    QVERIFY(!bob.isEmpty());

    // Trust: no prompt at all.
    ui::MainWindow w;
    w.resize(1280, 720);
    w.show();
    w.connectTo(cluster.conninfo(), QStringLiteral("trusted"));
    QTRY_VERIFY_WITH_TIMEOUT(w.isConnected(), 20000);
    QVERIFY(!w.findChild<ui::PasswordDialog*>());

    // Password auth with none given: the prompt; a wrong answer is an error, the right one connects.
    w.connectWithProfile(QStringLiteral("bob's db"), bob);
    QTRY_VERIFY_WITH_TIMEOUT(w.findChild<ui::PasswordDialog*>() && w.findChild<ui::PasswordDialog*>()->isVisible(), 20000);
    test::saveShots(w.findChild<ui::PasswordDialog*>(), QStringLiteral("06_password_prompt"));
    auto* prompt = w.findChild<ui::PasswordDialog*>();
    prompt->passwordEdit()->setText(QStringLiteral("nope"));
    prompt->accept();
    QTRY_VERIFY_WITH_TIMEOUT(!w.startPage()->errorText().isEmpty(), 20000);
    QVERIFY(w.startPage()->errorText().contains(QLatin1String("password authentication failed")));

    w.connectWithProfile(QStringLiteral("bob's db"), bob);
    QTRY_VERIFY_WITH_TIMEOUT(w.findChild<ui::PasswordDialog*>() && w.findChild<ui::PasswordDialog*>()->isVisible(), 20000);
    prompt = w.findChild<ui::PasswordDialog*>();
    prompt->passwordEdit()->setText(QStringLiteral("bobs-secret"));
    prompt->accept();
    QTRY_VERIFY_WITH_TIMEOUT(w.isConnected(), 20000);

    // The profile is saved; the password is not, anywhere in the journal file.
    store::Journal journal(store::Journal::defaultPath());
    QCOMPARE(journal.profiles().first().first, QStringLiteral("bob's db"));
    QVERIFY(!journal.profiles().first().second.contains(QLatin1String("bobs-secret")));
    QFile file(store::Journal::defaultPath());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(!file.readAll().contains("bobs-secret"));
    w.disconnectFromServer();
    test::saveShots(&w, QStringLiteral("07_start_page_recent"));
}

void TestMainWindow::cancelAbandonsAConnectAttempt()
{
    // A port that accepts and then never answers: libpq waits for its connect_timeout, the window does not.
    const int silent = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    QVERIFY(::bind(silent, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 && ::listen(silent, 4) == 0);
    QVERIFY(::getsockname(silent, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    const int silentPort = ntohs(addr.sin_port);
    ui::MainWindow w;
    w.resize(1280, 720);
    w.show();
    test::StallProbe probe;
    probe.start();
    w.connectTo(QStringLiteral("host=127.0.0.1 port=%1 connect_timeout=3 dbname=x sslmode=disable").arg(silentPort), QStringLiteral("nowhere"));
    QVERIFY(w.startPage()->isConnecting());
    QTest::qWait(300);
    QVERIFY(w.startPage()->isConnecting());
    probe.suspend();   // the screenshots are the test's own cost, not the window's
    test::saveShots(&w, QStringLiteral("09_connecting"));
    probe.resume();
    QTest::mouseClick(w.startPage()->cancelButton(), Qt::LeftButton);
    QVERIFY(!w.startPage()->isConnecting());
    QVERIFY(w.startPage()->errorText().isEmpty());
    // The abandoned attempt's failure (after its timeout) never reaches the window.
    QTest::qWait(4000);
    QVERIFY(w.startPage()->errorText().isEmpty());
    QVERIFY(!w.isConnected());
    QVERIFY2(probe.worstOwn() <= 50, qPrintable(QString::number(probe.worstOwn())));
    // And a new attempt right after works.
    w.connectTo(m_conninfo, QStringLiteral("after cancel"));
    QTRY_VERIFY_WITH_TIMEOUT(w.isConnected(), 20000);
    ::close(silent);
}

void TestMainWindow::tenThousandTablesNeverStallTheEventLoop()
{
    const QString conninfo = test::freshDatabase(QStringLiteral("gui_many"));
    {
        auto conn = test::connect(conninfo);
        // One transaction per thousand tables: creating them all at once would run out of lock slots.
        for (int chunk = 0; chunk < 10; ++chunk)
            conn->exec(QStringLiteral("DO $$ BEGIN FOR i IN %1..%2 LOOP "
                                      "EXECUTE format('CREATE TABLE t%s (id int PRIMARY KEY, v text)', i); END LOOP; END $$")
                           .arg(chunk * 1000)
                           .arg(chunk * 1000 + 999));
    }
    ui::MainWindow w;
    w.resize(1600, 1000);
    w.show();
    QTest::qWait(100);
    test::StallProbe probe;
    probe.start();
    QElapsedTimer clock;
    clock.start();
    w.connectTo(conninfo, QStringLiteral("many tables"));
    QTRY_VERIFY2_WITH_TIMEOUT(w.isCatalogLoaded(), qPrintable(w.catalogError()), 120000);
    const qint64 loadMs = clock.elapsed();
    QTest::qWait(500);                       // the map and list paint their 10,000 rows meanwhile
    QCOMPARE(w.workspace()->map()->tableCount(), 10000);
    QCOMPARE(w.workspace()->list()->tableCount(), 10000);
    // Selection and a refresh of the rates with 10,000 tables stay smooth too.
    const quint32 oid = w.snapshot().tables.at(1234).oid;
    w.workspace()->selectTable(oid);
    QTRY_COMPARE_WITH_TIMEOUT(w.workspace()->detail()->columnsView()->topLevelItemCount(), 2, 10000);
    w.refresh();
    QTest::qWait(3000);
    probe.suspend();
    qInfo("10,000 tables: catalog shown after %lld ms; longest event-loop stall %.0f ms of its own (wall clock "
          "%lld ms, %.0f ms of it waiting for a CPU); map layout %lld us",
          static_cast<long long>(loadMs), probe.worstOwn(), static_cast<long long>(probe.worstWall()),
          probe.worstWallWait(), static_cast<long long>(w.workspace()->map()->lastLayoutMicros()));
    test::saveShots(&w, QStringLiteral("08_ten_thousand_tables"));
    QVERIFY2(probe.worstOwn() <= 50, qPrintable(QStringLiteral("stalled %1 ms").arg(probe.worstOwn())));
    QVERIFY2(probe.worstWall() <= 500, qPrintable(QStringLiteral("stalled %1 ms by the clock").arg(probe.worstWall())));
}

void TestMainWindow::remembersItsSizeAndSplitters()
{
    auto verticalSplitter = [](ui::MainWindow& w) -> QSplitter* {
        for (QSplitter* sp : w.workspace()->findChildren<QSplitter*>())
            if (sp->orientation() == Qt::Vertical && sp->parentWidget() == w.workspace())
                return sp;
        return nullptr;
    };
    // The connected page (the workspace) is the one whose splitters are laid out and remembered.
    auto showWorkspace = [](ui::MainWindow& w) {
        auto* stack = qobject_cast<QStackedWidget*>(w.centralWidget());
        QVERIFY(stack);
        stack->setCurrentWidget(w.workspace());
    };
    QList<int> sizes;
    {
        ui::MainWindow w;
        w.resize(1400, 900);
        showWorkspace(w);
        w.show();
        QTest::qWait(50);
        QSplitter* splitter = verticalSplitter(w);
        QVERIFY(splitter);
        splitter->setSizes({200, 500});
        sizes = splitter->sizes();
        w.close();   // closeEvent writes the settings
    }
    ui::MainWindow again;
    QVERIFY(verticalSplitter(again)->sizes() != sizes);
    again.restoreLayout();
    showWorkspace(again);
    again.show();
    QTest::qWait(50);
    QCOMPARE(again.size(), QSize(1400, 900));
    QCOMPARE(verticalSplitter(again)->sizes(), sizes);
}

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
