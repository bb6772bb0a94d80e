// SPDX-License-Identifier: GPL-3.0-or-later
// LocalCluster on a real PostgreSQL 15: start/stop, conninfo, hostile database names, a streaming replica,
// restart keeping data, a start failure that reports the server log, and cleanup when the owning process
// is terminated (signal handler) or killed with SIGKILL (watchdog). The owner in the last two is this
// same executable re-run with LOCKSTEP_CLUSTER_CHILD set (see main below).
#include "core/local/local_cluster.h"
#include "core/local/server_tools.h"
#include "core/pg/connection.h"
#include "tests/support/pg_fixture.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QThread>
#include <QtTest>

#include <csignal>
#include <cstdio>

using namespace lockstep;
using namespace lockstep::test;

namespace {
constexpr char kChildVariable[] = "LOCKSTEP_CLUSTER_CHILD";

// Waits up to `ms` for `condition`; true if it became true.
template <typename F>
bool waitFor(F condition, int ms)
{
    QElapsedTimer t;
    t.start();
    while (!condition()) {
        if (t.elapsed() > ms)
            return false;
        QThread::msleep(50);
    }
    return true;
}

// The child: own a cluster, report where it lives, then wait to be killed.
int runClusterOwnerChild()
{
    try {
        LocalCluster cluster;
        cluster.start();
        std::printf("READY %lld %s\n", static_cast<long long>(cluster.postmasterPid()),
                    qPrintable(cluster.dataDir()));
        std::fflush(stdout);
        for (;;)
            QThread::sleep(1);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "child: %s\n", e.what());
        return 1;
    }
}

struct Child {
    std::unique_ptr<QProcess> process;
    qint64 postmasterPid = 0;
    QString dataDir;
};

Child startOwnerChild()
{
    Child c;
    c.process = std::make_unique<QProcess>();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QLatin1String(kChildVariable), QStringLiteral("1"));
    c.process->setProcessEnvironment(env);
    c.process->start(QCoreApplication::applicationFilePath(), {});
    if (!c.process->waitForStarted(10000))
        return c;
    QElapsedTimer t;
    t.start();
    while (!c.process->canReadLine() && t.elapsed() < 60000 && c.process->state() == QProcess::Running)
        c.process->waitForReadyRead(1000);
    const QList<QByteArray> parts = c.process->readLine().trimmed().split(' ');
    if (parts.size() == 3 && parts.at(0) == "READY") {
        c.postmasterPid = parts.at(1).toLongLong();
        c.dataDir = QString::fromLocal8Bit(parts.at(2));
    }
    return c;
}
} // namespace

class TestLocalCluster : public QObject {
    Q_OBJECT

private slots:
    void startStop()
    {
        QString dataDir;
        {
            LocalCluster cluster;
            QVERIFY(!cluster.isRunning());
            QElapsedTimer t;
            t.start();
            cluster.start();
            qInfo("cluster start: %lld ms", static_cast<long long>(t.elapsed()));
            QVERIFY(cluster.isRunning());
            QVERIFY(cluster.port() > 0);
            dataDir = cluster.dataDir();
            QVERIFY(QFileInfo::exists(dataDir + QStringLiteral("/PG_VERSION")));
            QVERIFY(QFileInfo::exists(QStringLiteral("%1/.s.PGSQL.%2").arg(cluster.socketDir()).arg(cluster.port())));
            QVERIFY(cluster.conninfo().contains(QStringLiteral("port=%1").arg(cluster.port())));

            auto conn = pg::Connection::open(cluster.conninfo());
            QVERIFY(conn->exec(QStringLiteral("SELECT version()")).value(0, 0).startsWith(QStringLiteral("PostgreSQL 15")));
            QCOMPARE(conn->exec(QStringLiteral("SHOW fsync")).value(0, 0), QStringLiteral("off"));
            QCOMPARE(conn->exec(QStringLiteral("SHOW listen_addresses")).value(0, 0), QString());
            QCOMPARE(conn->exec(QStringLiteral("SHOW server_encoding")).value(0, 0), QStringLiteral("UTF8"));
            QCOMPARE(conn->exec(QStringLiteral("SHOW lc_collate")).value(0, 0), QStringLiteral("C"));
            conn.reset();

            const qint64 pid = cluster.postmasterPid();
            QVERIFY(local::processAlive(pid));
            cluster.stop();
            QVERIFY(!cluster.isRunning());
            QVERIFY(waitFor([&] { return !local::processAlive(pid); }, 5000));
            QVERIFY(QFileInfo::exists(dataDir));   // data stays until the object goes

            cluster.start();                        // the same cluster again
            QVERIFY(cluster.isRunning());
            QCOMPARE(psqlScalar(cluster.conninfo(), QStringLiteral("SELECT 1")), QStringLiteral("1"));
        }
        QVERIFY(!QFileInfo::exists(dataDir));
        QVERIFY(!QFileInfo::exists(QFileInfo(dataDir).path()));
    }

    void settingsApply()
    {
        LocalClusterOptions options;
        options.settings << QStringLiteral("log_statement=all") << QStringLiteral("cluster_name=it's mine");
        LocalCluster cluster(options);
        cluster.start();
        QCOMPARE(psqlScalar(cluster.conninfo(), QStringLiteral("SHOW log_statement")), QStringLiteral("all"));
        QCOMPARE(psqlScalar(cluster.conninfo(), QStringLiteral("SHOW cluster_name")),
                 QStringLiteral("it's mine"));
        psqlScalar(cluster.conninfo(), QStringLiteral("SELECT 'marker-4711'"));
        QVERIFY(waitFor([&] {
            QFile log(cluster.logFilePath());
            return log.open(QIODevice::ReadOnly) && log.readAll().contains("marker-4711");
        }, 5000));
    }

    void createDatabaseWithHostileName()
    {
        LocalCluster& cluster = sharedCluster();
        const QString name = QStringLiteral("we\"ird db");
        const QString conninfo = cluster.createDatabase(name);
        QCOMPARE(psqlScalar(conninfo, QStringLiteral("SELECT current_database()")), name);
        const QString other = QStringLiteral("it's a \\ db");
        QCOMPARE(psqlScalar(cluster.createDatabase(other), QStringLiteral("SELECT current_database()")), other);
        const QString fresh = freshDatabase(QStringLiteral("fresh"));
        QVERIFY(psqlScalar(fresh, QStringLiteral("SELECT current_database()")).startsWith(QStringLiteral("fresh_")));
        QVERIFY(fresh != freshDatabase(QStringLiteral("fresh")));
    }

    void schemaDumpIgnoresNoise()
    {
        const QString db = freshDatabase(QStringLiteral("dump"));
        psqlScalar(db, QStringLiteral("CREATE TABLE t (id int PRIMARY KEY, v text)"));
        const QString first = pgDumpSchema(db);
        QVERIFY(first.contains(QStringLiteral("CREATE TABLE public.t")));
        QVERIFY(!first.contains(QStringLiteral("restrict")));
        QCOMPARE(pgDumpSchema(db), first);
        QVERIFY(pgDumpSchema(db, QStringLiteral("public.t")).contains(QStringLiteral("PRIMARY KEY (id)")));
        psqlScalar(db, QStringLiteral("ALTER TABLE t ADD COLUMN w int"));
        QVERIFY(pgDumpSchema(db) != first);
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, pgDumpSchema(db + QStringLiteral("_missing"), {}));
    }

    void replicaStreams()
    {
        LocalClusterOptions options;
        options.withReplica = true;
        LocalCluster cluster(options);
        QElapsedTimer t;
        t.start();
        cluster.start();
        qInfo("cluster with replica start: %lld ms", static_cast<long long>(t.elapsed()));
        QVERIFY(cluster.replicaPort() > 0);
        QVERIFY(cluster.replicaPort() != cluster.port());

        auto primary = pg::Connection::open(cluster.conninfo());
        auto replica = pg::Connection::open(cluster.replicaConninfo());
        QCOMPARE(replica->exec(QStringLiteral("SELECT pg_is_in_recovery()")).value(0, 0), QStringLiteral("t"));
        QCOMPARE(primary->exec(QStringLiteral("SELECT pg_is_in_recovery()")).value(0, 0), QStringLiteral("f"));
        QCOMPARE(primary->exec(QStringLiteral("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")).value(0, 0),
                 QStringLiteral("1"));

        primary->exec(QStringLiteral("CREATE TABLE r (id int PRIMARY KEY, note text)"));
        primary->exec(QStringLiteral("INSERT INTO r VALUES ($1, $2)"), {42, QStringLiteral("from the primary")});
        QVERIFY(waitFor([&] {
            try {
                return replica->exec(QStringLiteral("SELECT note FROM r WHERE id = 42")).value(0, 0)
                       == QStringLiteral("from the primary");
            } catch (const pg::PgException&) {
                return false;   // the CREATE TABLE has not been replayed yet
            }
        }, 15000));
        QVERIFY_THROWS_EXCEPTION(pg::PgException, replica->exec(QStringLiteral("INSERT INTO r VALUES (1, 'x')")));
    }

    void restartFastKeepsData()
    {
        LocalCluster cluster;
        cluster.start();
        psqlScalar(cluster.conninfo(), QStringLiteral("CREATE TABLE kept AS SELECT g AS id FROM generate_series(1, 1000) g"));
        const qint64 before = cluster.postmasterPid();
        const int port = cluster.port();
        cluster.restartFast();
        QVERIFY(cluster.isRunning());
        QVERIFY(cluster.postmasterPid() != before);
        QCOMPARE(cluster.port(), port);
        QCOMPARE(psqlScalar(cluster.conninfo(), QStringLiteral("SELECT count(*) FROM kept")), QStringLiteral("1000"));
    }

    void startFailureReportsLog()
    {
        LocalClusterOptions options;
        options.settings << QStringLiteral("shared_buffers=lots");
        LocalCluster cluster(options);
        QString message;
        try {
            cluster.start();
        } catch (const std::runtime_error& e) {
            message = QString::fromUtf8(e.what());
        }
        qInfo("%s", qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("pg_ctl")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("shared_buffers")), qPrintable(message));   // from the server log
        QVERIFY(!cluster.isRunning());
        QVERIFY(cluster.dataDir().isEmpty());   // the failed attempt's directory is gone
        LocalClusterOptions noBinaries;
        noBinaries.binDir = QStringLiteral("/nonexistent/bin");
        LocalCluster missing(noBinaries);
        QVERIFY(missing.binDir().isEmpty());
        try {
            missing.start();
            QFAIL("start() without server binaries must throw");
        } catch (const std::runtime_error& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("/nonexistent/bin")), e.what());
        }

        LocalClusterOptions malformed;
        malformed.settings << QStringLiteral("nonsense");
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, LocalCluster{malformed});
    }

    void sigtermOfOwnerCleansUp()
    {
        Child child = startOwnerChild();
        QVERIFY2(child.postmasterPid > 0, child.process->readAllStandardError().constData());
        QVERIFY(local::processAlive(child.postmasterPid));
        ::kill(static_cast<pid_t>(child.process->processId()), SIGTERM);
        QVERIFY(child.process->waitForFinished(30000));
        QCOMPARE(child.process->exitStatus(), QProcess::CrashExit);   // the signal still ends the process
        // The handler ran before the process died: nothing is left, not even for a moment.
        QVERIFY(!local::processAlive(child.postmasterPid));
        QVERIFY(!QFileInfo::exists(child.dataDir));
    }

    void sigkillOfOwnerCleansUpThroughWatchdog()
    {
        Child child = startOwnerChild();
        QVERIFY2(child.postmasterPid > 0, child.process->readAllStandardError().constData());
        QVERIFY(local::processAlive(child.postmasterPid));
        child.process->kill();   // SIGKILL: no code of the owner runs
        QVERIFY(child.process->waitForFinished(10000));
        QElapsedTimer t;
        t.start();
        QVERIFY2(waitFor([&] { return !local::processAlive(child.postmasterPid); }, 15000), "postmaster still alive after 15 s");
        QVERIFY2(waitFor([&] { return !QFileInfo::exists(QFileInfo(child.dataDir).path()); }, 15000),
                 "cluster directory still there after 15 s");
        qInfo("watchdog cleanup after SIGKILL: %lld ms", static_cast<long long>(t.elapsed()));
    }
};

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsSet(kChildVariable)) {
        QCoreApplication app(argc, argv);
        return runClusterOwnerChild();
    }
    QCoreApplication app(argc, argv);
    TestLocalCluster test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "test_local_cluster.moc"
