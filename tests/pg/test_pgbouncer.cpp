// SPDX-License-Identifier: GPL-3.0-or-later
// Lockstep through a real PgBouncer (Debian's pgbouncer, started by the test in front of the test's
// server): in transaction mode a run is refused before anything is done, with the advice to connect
// directly, and plan works with a note; in session mode the run works through it.
#include "core/local/server_tools.h"
#include "core/pg/pooler_check.h"
#include "tests/pg/test_runner_support.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>

using namespace lockstep;
using namespace lockstep::test;

namespace {
const char* const kPgbouncer = "/usr/sbin/pgbouncer";

// One PgBouncer in `mode` in front of the shared cluster, on a Unix socket in its own directory.
class Bouncer {
public:
    // `port` 0: a free one; else that number (its socket lives in this PgBouncer's own directory).
    explicit Bouncer(const QString& mode, bool adminConsole = true, int port = 0)
    {
        m_dir.setAutoRemove(true);
        const QString dir = m_dir.path();
        local::giveToServerUser(dir);
        m_port = port > 0 ? port : local::findFreePort(dir);
        const LocalCluster& pg = sharedCluster();
        QFile users(dir + QStringLiteral("/users.txt"));
        users.open(QIODevice::WriteOnly);
        users.write("\"postgres\" \"\"\n");
        users.close();
        QFile config(dir + QStringLiteral("/pgbouncer.ini"));
        config.open(QIODevice::WriteOnly);
        config.write(QStringLiteral("[databases]\n* = host=%1 port=%2\n[pgbouncer]\nlisten_addr =\nlisten_port = %3\n"
                                    "unix_socket_dir = %4\nauth_type = trust\nauth_file = %4/users.txt\npool_mode = %5\n"
                                    "%6pidfile = %4/pgbouncer.pid\nlogfile = %4/pgbouncer.log\n"
                                    "ignore_startup_parameters = extra_float_digits\ndefault_pool_size = 4\n")
                         .arg(pg.socketDir()).arg(pg.port()).arg(m_port).arg(dir, mode,
                                         adminConsole ? QStringLiteral("admin_users = postgres\n") : QString()).toUtf8());
        config.close();
        local::giveToServerUser(dir);
        local::runServerTool(QString::fromLatin1(kPgbouncer), {QStringLiteral("-d"), dir + QStringLiteral("/pgbouncer.ini")}, 20000, dir);
        QElapsedTimer t;
        t.start();
        while (!QFile::exists(dir + QStringLiteral("/.s.PGSQL.%1").arg(m_port)) && t.elapsed() < 10000)
            QThread::msleep(50);
        // The socket may exist a moment before PgBouncer accepts on it: wait until a client gets through.
        while (t.elapsed() < 10000) {
            try {
                pg::Connection::open(through(pg.conninfo()));
                break;
            } catch (const pg::PgException&) {
                QThread::msleep(50);
            }
        }
    }
    ~Bouncer()
    {
        QFile pidFile(m_dir.path() + QStringLiteral("/pgbouncer.pid"));
        if (pidFile.open(QIODevice::ReadOnly)) {
            const qint64 pid = pidFile.readAll().trimmed().toLongLong();
            if (pid > 0) {
                ::kill(pid_t(pid), SIGINT);
                for (int i = 0; i < 100 && local::processAlive(pid); ++i)
                    QThread::msleep(50);
            }
        }
    }
    // `direct` (the cluster's conninfo for a database) routed through this PgBouncer.
    QString through(const QString& direct) const
    {
        QString out = direct;
        out.replace(QRegularExpression(QStringLiteral("host=\\S+")), QStringLiteral("host=") + m_dir.path());
        out.replace(QRegularExpression(QStringLiteral("port=\\d+")), QStringLiteral("port=%1").arg(m_port));
        return out;
    }

private:
    QTemporaryDir m_dir;
    int m_port = 0;
};

const QStringList kChange{"--table", "items", "--add-column", "doubled", "--type", "bigint", "--backfill", "qty * 2", "--not-null"};
} // namespace

class TestPgbouncer : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_journals;

private slots:
    void initTestCase()
    {
        if (!QFile::exists(QString::fromLatin1(kPgbouncer))) {
            if (qEnvironmentVariableIsSet("CI"))
                QFAIL("pgbouncer is not installed (.ci/install-deps installs it)");
            QSKIP("pgbouncer is not installed");
        }
        sharedCluster();
    }

    void transactionModeRefusesRunsNotPlans()
    {
        const QString db = freshDatabase(QStringLiteral("bouncer_tx"));
        lockstep::test::connect(db)->execScript(QStringLiteral(
            "CREATE TABLE items (id bigint PRIMARY KEY, qty integer NOT NULL);"
            "INSERT INTO items SELECT g, g % 97 FROM generate_series(1, 5000) g;"));
        Bouncer bouncer(QStringLiteral("transaction"));
        const QString pooled = bouncer.through(db);
        {
            auto conn = pg::Connection::open(pooled);
            const pg::PoolerCheck check = pg::detectPooler(*conn, pooled);
            QVERIFY(check.detected);
            QCOMPARE(check.mode, QStringLiteral("transaction"));
            QVERIFY(!check.keepsSessions());
        }
        const QString schemaBefore = pgDumpSchema(db);
        ProcessResult r = runLockstep(QStringList{"plan", "--db", pooled} + kChange);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.contains("note: through a connection pooler (pool_mode=transaction)"), r.err.constData());
        const QString journal = m_journals.filePath(QStringLiteral("tx.sqlite"));
        r = runLockstep(QStringList{"run", "--db", pooled, "--journal", journal} + kChange);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("connected through a connection pooler (pool_mode=transaction): connected to port ")
                     && r.err.contains("nothing was done. Connect directly to the server"), r.err.constData());
        QCOMPARE(pgDumpSchema(db), schemaBefore);
        // Directly, the same run works.
        r = runLockstep(QStringList{"run", "--db", db, "--journal", journal, "--until", "expand"} + kChange);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        // and its resume through the pooler is refused too.
        r = runLockstep({"resume", "1", "--journal", journal, "--db", pooled});
        QCOMPARE(r.exitCode, 2);
    }

    // Without admin rights on its console, the pool mode is learnt from behaviour: two client connections
    // served by one server session.
    void transactionModeSeenWithoutTheAdminConsole()
    {
        const QString db = freshDatabase(QStringLiteral("bouncer_noadmin"));
        Bouncer bouncer(QStringLiteral("transaction"), false);
        const QString pooled = bouncer.through(db);
        auto conn = pg::Connection::open(pooled);
        const pg::PoolerCheck check = pg::detectPooler(*conn, pooled);
        QVERIFY(check.detected);
        QCOMPARE(check.mode, QStringLiteral("transaction"));
        QVERIFY2(check.evidence.contains(QStringLiteral("two client connections were served by one server session")), qPrintable(check.evidence));
        Bouncer session(QStringLiteral("session"), false);
        const QString viaSession = session.through(db);
        auto sconn = pg::Connection::open(viaSession);
        const pg::PoolerCheck seen = pg::detectPooler(*sconn, viaSession);
        QVERIFY(seen.detected);
        QVERIFY(seen.mode.isEmpty());   // unknown: allowed with a warning, never taken for transaction mode
    }

    // A pooler on the server's own port number (another host's 5432 in real life; here its own socket
    // directory): the ports agree, the shared server sessions give it away, and a run is refused.
    void transactionModeOnTheSamePortNumber()
    {
        const QString db = freshDatabase(QStringLiteral("bouncer_sameport"));
        Bouncer bouncer(QStringLiteral("transaction"), false, sharedCluster().port());
        const QString pooled = bouncer.through(db);
        auto conn = pg::Connection::open(pooled);
        const pg::PoolerCheck check = pg::detectPooler(*conn, pooled);
        QVERIFY(check.detected);
        QCOMPARE(check.mode, QStringLiteral("transaction"));
        // A direct connection is never taken for one.
        auto direct = pg::Connection::open(db);
        QVERIFY(!pg::detectPooler(*direct, db).detected);
    }

    void sessionModeRunsThroughIt()
    {
        const QString db = freshDatabase(QStringLiteral("bouncer_session"));
        auto direct = lockstep::test::connect(db);
        direct->execScript(QStringLiteral(
            "CREATE TABLE items (id bigint PRIMARY KEY, qty integer NOT NULL);"
            "INSERT INTO items SELECT g, g % 97 FROM generate_series(1, 5000) g;"));
        Bouncer bouncer(QStringLiteral("session"));
        const QString pooled = bouncer.through(db);
        const QString journal = m_journals.filePath(QStringLiteral("session.sqlite"));
        const ProcessResult r = runLockstep(QStringList{"run", "--db", pooled, "--journal", journal} + kChange);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.contains("session pooling keeps this run's session, so it goes on"), r.err.constData());
        QCOMPARE(scalar(*direct, QStringLiteral("SELECT count(*) FROM items WHERE doubled IS DISTINCT FROM qty * 2")), QStringLiteral("0"));
    }
};

QTEST_GUILESS_MAIN(TestPgbouncer)
#include "test_pgbouncer.moc"
