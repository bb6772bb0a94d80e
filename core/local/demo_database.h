// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/local/local_cluster.h"

#include <QString>
#include <atomic>
#include <functional>
#include <memory>
#include <thread>

namespace lockstep {

// The live demo behind `lockstep --demo`: a private PostgreSQL with a streaming replica, a shop schema
// (resources/demo/shop_schema.sql: a dozen tables, orders with 2M rows, foreign keys, a table without a
// primary key) and light background traffic, so that sizes, rates, locks and replica lag are alive.
// Everything is removed when the object is destroyed (or the process dies: LocalCluster's watchdog).
class DemoDatabase {
public:
    DemoDatabase();
    ~DemoDatabase();
    DemoDatabase(const DemoDatabase&) = delete;
    DemoDatabase& operator=(const DemoDatabase&) = delete;

    // Starts the servers and loads the schema (tens of seconds); `progress` gets a sentence per stage and
    // a fraction 0..1. Throws std::runtime_error with the reason.
    void start(const std::function<void(const QString&, double)>& progress);
    QString conninfo() const;

    // A background thread of small transactions (inserts and updates on the big tables, about 40 a second).
    void startTraffic();
    void stopTraffic();
    qint64 trafficTransactions() const { return m_transactions; }

private:
    void trafficLoop();

    std::unique_ptr<LocalCluster> m_cluster;
    QString m_conninfo;
    std::thread m_traffic;
    std::atomic<bool> m_stop{false};
    std::atomic<qint64> m_transactions{0};
};

} // namespace lockstep
