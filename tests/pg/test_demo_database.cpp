// SPDX-License-Identifier: GPL-3.0-or-later
// The demo behind `lockstep --demo`: its servers start, the shop schema has the promised shapes, the
// replica streams, the background traffic writes, and everything is gone afterwards.
#include "core/local/demo_database.h"
#include "core/pg/connection.h"

#include <QDir>
#include <QElapsedTimer>
#include <QtTest>

using namespace lockstep;

class TestDemoDatabase : public QObject {
    Q_OBJECT
private slots:
    void startsLoadsRunsTrafficAndCleansUp()
    {
        QString socketDir;
        {
            DemoDatabase demo;
            QStringList stages;
            double lastFraction = -1;
            bool monotone = true;
            QElapsedTimer t;
            t.start();
            demo.start([&](const QString& stage, double fraction) {
                stages << stage;
                monotone = monotone && fraction >= lastFraction && fraction <= 1.0;
                lastFraction = fraction;
            });
            qInfo("demo database ready in %.1f s (%lld stages)", t.elapsed() / 1000.0, qint64(stages.size()));
            QVERIFY(monotone);
            QCOMPARE(lastFraction, 1.0);
            QVERIFY(stages.contains(QStringLiteral("Loading orders")));

            auto conn = pg::Connection::open(demo.conninfo());
            socketDir = conn->exec(QStringLiteral("SHOW unix_socket_directories")).value(0, 0);
            const int tables = conn->exec(QStringLiteral(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')")).value(0, 0).toInt();
            QVERIFY2(tables >= 12, qPrintable(QString::number(tables)));
            QVERIFY(conn->exec(QStringLiteral("SELECT count(*) FROM orders")).value(0, 0).toLongLong() >= 2000000);
            QVERIFY(conn->exec(QStringLiteral("SELECT count(*) FROM pg_constraint WHERE contype = 'f'")).value(0, 0).toInt() >= 8);
            QCOMPARE(conn->exec(QStringLiteral(
                "SELECT count(*) FROM pg_class c WHERE c.relname = 'audit_log' AND NOT EXISTS "
                "(SELECT 1 FROM pg_constraint WHERE conrelid = c.oid AND contype = 'p')")).value(0, 0), QStringLiteral("1"));
            QCOMPARE(conn->exec(QStringLiteral("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")).value(0, 0),
                     QStringLiteral("1"));
            QCOMPARE(conn->exec(QStringLiteral("SHOW fsync")).value(0, 0), QStringLiteral("on"));

            const qint64 before = conn->exec(QStringLiteral("SELECT max(id) FROM orders")).value(0, 0).toLongLong();
            demo.startTraffic();
            QTRY_VERIFY_WITH_TIMEOUT(demo.trafficTransactions() >= 20, 10000);
            demo.stopTraffic();
            const qint64 done = demo.trafficTransactions();
            QVERIFY(conn->exec(QStringLiteral("SELECT max(id) FROM orders")).value(0, 0).toLongLong() >= before + done);
            QTest::qWait(300);
            QCOMPARE(demo.trafficTransactions(), done);   // stopped means stopped
        }
        // The servers and their directory are gone with the object.
        QVERIFY(!socketDir.isEmpty());
        QVERIFY(!QDir(socketDir).exists());
    }
};

QTEST_GUILESS_MAIN(TestDemoDatabase)
#include "test_demo_database.moc"
