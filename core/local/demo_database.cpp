// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/local/demo_database.h"

#include "core/pg/connection.h"
#include "core/run/statement_splitter.h"

#include <QFile>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <chrono>

namespace lockstep {

namespace {
QString demoSchema()
{
    QFile f(QStringLiteral(":/demo/shop_schema.sql"));
    if (!f.open(QIODevice::ReadOnly))
        throw std::runtime_error("the demo schema is missing from the resources");
    return QString::fromUtf8(f.readAll());
}

// "INSERT INTO orders SELECT ..." -> "Loading orders"; used for the progress sentence.
QString describe(const QString& statement)
{
    static const QRegularExpression insert(QStringLiteral("^\\s*(?:--[^\\n]*\\n\\s*)*INSERT INTO ([\\w.\"]+)"));
    static const QRegularExpression create(QStringLiteral("^\\s*(?:--[^\\n]*\\n\\s*)*CREATE TABLE ([\\w.\"]+)"));
    if (auto m = insert.match(statement); m.hasMatch())
        return QStringLiteral("Loading %1").arg(m.captured(1));
    if (auto m = create.match(statement); m.hasMatch())
        return QStringLiteral("Creating %1").arg(m.captured(1));
    if (statement.contains(QLatin1String("FOREIGN KEY")))
        return QStringLiteral("Adding foreign keys");
    return QStringLiteral("Analyzing");
}
} // namespace

DemoDatabase::DemoDatabase() = default;

DemoDatabase::~DemoDatabase()
{
    stopTraffic();
}

void DemoDatabase::start(const std::function<void(const QString&, double)>& progress)
{
    progress(QStringLiteral("Starting a private PostgreSQL server and a streaming replica"), 0.0);
    LocalClusterOptions options;
    options.withReplica = true;
    options.fsync = true;   // a user may look at this data for a while: no fsync=off here
    // The standby reports its position every second (default 10 s): the lag on screen follows promptly.
    options.settings << QStringLiteral("track_io_timing=on") << QStringLiteral("max_wal_size=2GB")
                     << QStringLiteral("wal_receiver_status_interval=1s");
    m_cluster = std::make_unique<LocalCluster>(options);
    m_cluster->start();
    m_conninfo = m_cluster->createDatabase(QStringLiteral("shop"));

    const QStringList statements = run::splitStatements(demoSchema());
    auto conn = pg::Connection::open(m_conninfo);
    // Statement by statement: VACUUM refuses a transaction block, and the progress moves with each table.
    for (int i = 0; i < statements.size(); ++i) {
        progress(describe(statements[i]), 0.05 + 0.95 * double(i) / double(statements.size()));
        conn->exec(statements[i]);
    }
    progress(QStringLiteral("The demo database is ready"), 1.0);
}

QString DemoDatabase::conninfo() const { return m_conninfo; }

void DemoDatabase::startTraffic()
{
    if (m_traffic.joinable())
        return;
    m_stop = false;
    m_traffic = std::thread([this] { trafficLoop(); });
}

void DemoDatabase::stopTraffic()
{
    m_stop = true;
    if (m_traffic.joinable())
        m_traffic.join();
}

void DemoDatabase::trafficLoop()
{
    std::unique_ptr<pg::Connection> conn;
    QRandomGenerator rng(42);
    qint64 nextOrder = 0;
    while (!m_stop) {
        try {
            if (!conn || !conn->isOk()) {
                conn = pg::Connection::open(m_conninfo + QStringLiteral(" application_name='lockstep demo traffic'"));
                nextOrder = conn->exec(QStringLiteral("SELECT coalesce(max(id), 0) + 1 FROM orders")).value(0, 0).toLongLong();
            }
            // One small order: what a shop's application does all day long.
            conn->exec(QStringLiteral("BEGIN"));
            conn->exec(QStringLiteral("INSERT INTO orders (id, customer_id, status, total, placed_at) "
                                      "VALUES ($1, $2, 'placed', $3, now())"),
                       {nextOrder, 1 + rng.bounded(60000), QString::number(1 + rng.bounded(50000) / 100.0, 'f', 2)});
            conn->exec(QStringLiteral("UPDATE orders SET status = 'paid' WHERE id = $1"), {1 + rng.bounded(2000000)});
            conn->exec(QStringLiteral("UPDATE stock SET quantity = quantity + 1 WHERE warehouse_id = $1 AND product_id = $2"),
                       {1 + rng.bounded(8), 1 + rng.bounded(8000)});
            if (rng.bounded(10) == 0)
                conn->exec(QStringLiteral("INSERT INTO audit_log (happened_at, actor, action) VALUES (now(), $1, 'login')"),
                           {QStringLiteral("user%1").arg(rng.bounded(50))});
            conn->exec(QStringLiteral("COMMIT"));
            ++nextOrder;
            ++m_transactions;
        } catch (const pg::PgException&) {
            // A failed transaction (a lock timeout while the user runs a change, a restart): start again.
            if (conn && conn->isOk()) {
                try {
                    conn->exec(QStringLiteral("ROLLBACK"));
                } catch (const pg::PgException&) {
                    conn.reset();
                }
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
}

} // namespace lockstep
