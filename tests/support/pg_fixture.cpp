// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/pg_fixture.h"

#include "core/local/server_tools.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTest>
#include <QProcess>
#include <QRegularExpression>

#include <mutex>
#include <stdexcept>

namespace lockstep::test {

namespace {
struct Shared {
    std::mutex mutex;
    std::unique_ptr<LocalCluster> cluster;
    std::string error;          // why the first start failed; later calls fail the same way, fast
    int databases = 0;
};

Shared& shared()
{
    static Shared s;            // destroyed at exit: the cluster stops and its directory goes
    return s;
}
} // namespace

LocalCluster& sharedClusterWith(const LocalClusterOptions& options)
{
    Shared& s = shared();
    std::lock_guard<std::mutex> lock(s.mutex);
    if (!s.error.empty())
        throw std::runtime_error(s.error);
    if (!s.cluster) {
        auto cluster = std::make_unique<LocalCluster>(options);
        QElapsedTimer t;
        t.start();
        try {
            cluster->start();
        } catch (const std::exception& e) {
            s.error = std::string("the shared test cluster did not start: ") + e.what();
            throw std::runtime_error(s.error);
        }
        qInfo("shared PostgreSQL cluster started in %lld ms (%s)", static_cast<long long>(t.elapsed()),
              qPrintable(cluster->dataDir()));
        s.cluster = std::move(cluster);
    }
    return *s.cluster;
}

LocalCluster& sharedCluster() { return sharedClusterWith(LocalClusterOptions{}); }

QString freshDatabase(const QString& prefix)
{
    LocalCluster& cluster = sharedCluster();
    int n = 0;
    {
        std::lock_guard<std::mutex> lock(shared().mutex);
        n = ++shared().databases;
    }
    return cluster.createDatabase(QStringLiteral("%1_%2").arg(prefix).arg(n));
}

std::unique_ptr<pg::Connection> connect(const QString& conninfo) { return pg::Connection::open(conninfo); }

ProcessResult runProcessWithInput(const QString& program, const QStringList& args, const QByteArray& stdinData,
                                  int timeoutMs)
{
    ProcessResult r;
    QProcess p;
    p.start(program, args);
    if (!p.waitForStarted(10000)) {
        r.err = QStringLiteral("cannot start %1: %2").arg(program, p.errorString()).toUtf8();
        return r;
    }
    if (!stdinData.isEmpty())
        p.write(stdinData);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError() +
                QStringLiteral("\n%1 timed out after %2 ms").arg(program).arg(timeoutMs).toUtf8();
        return r;
    }
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    if (p.exitStatus() == QProcess::CrashExit)
        r.err += QStringLiteral("\n%1 crashed").arg(program).toUtf8();
    else
        r.exitCode = p.exitCode();
    return r;
}

ProcessResult runProcess(const QString& program, const QStringList& args, int timeoutMs)
{
    return runProcessWithInput(program, args, {}, timeoutMs);
}

std::unique_ptr<QProcess> startLockstep(const QStringList& args, bool keepStderr)
{
    auto p = std::make_unique<QProcess>();
    if (!keepStderr)
        p->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    p->start(QStringLiteral(LOCKSTEP_BINARY), args);
    if (!p->waitForStarted(10000))
        return nullptr;
    return p;
}

ProcessResult runLockstep(const QStringList& args, const QByteArray& stdinData, int timeoutMs)
{
    return runProcessWithInput(QStringLiteral(LOCKSTEP_BINARY), args, stdinData, timeoutMs);
}

QString pgDumpSchema(const QString& conninfo, const QString& table)
{
    const QString binDir = local::resolveBinDir();
    if (binDir.isEmpty())
        throw std::runtime_error("pgDumpSchema: PostgreSQL binaries not found");
    QStringList args{QStringLiteral("--schema-only"), QStringLiteral("--no-owner"), QStringLiteral("-d"), conninfo};
    if (!table.isEmpty())
        args << QStringLiteral("-t") << table;
    const ProcessResult r = runProcess(binDir + QStringLiteral("/pg_dump"), args);
    if (r.exitCode != 0)
        throw std::runtime_error(QStringLiteral("pg_dump failed (exit code %1): %2")
                                     .arg(r.exitCode).arg(QString::fromUtf8(r.err)).toStdString());
    // Comments carry no schema; SET/set_config lines and \restrict keys differ between runs.
    static const QRegularExpression noise(QStringLiteral(
        R"(^(--.*|SET .*|SELECT pg_catalog\.set_config\(.*|\\(un)?restrict .*|\s*)$)"));
    QStringList kept;
    for (const QString& line : QString::fromUtf8(r.out).split(QLatin1Char('\n')))
        if (!noise.match(line).hasMatch())
            kept << line;
    return kept.join(QLatin1Char('\n'));
}

QString asRole(const QString& conninfo, const QString& role)
{
    QString out = conninfo;
    out.replace(QRegularExpression(QStringLiteral("user=\\S+")), QStringLiteral("user=") + role);
    return out;
}

QString psqlScalar(const QString& conninfo, const QString& sql)
{
    auto conn = connect(conninfo);
    const pg::Result r = conn->exec(sql);
    return r.rows() > 0 && r.columns() > 0 && !r.isNull(0, 0) ? r.value(0, 0) : QString();
}

QString requirePasswords(LocalCluster& cluster, const QString& role, const QString& password)
{
    auto su = connect(cluster.conninfo());
    su->exec(QStringLiteral("CREATE ROLE %1 LOGIN PASSWORD %2").arg(su->quoteIdent(role), su->quoteLiteral(password)));
    QFile hba(cluster.dataDir() + QStringLiteral("/pg_hba.conf"));
    if (!hba.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    hba.write("local all postgres trust\nlocal all all scram-sha-256\n");
    hba.close();
    su->exec(QStringLiteral("SELECT pg_reload_conf()"));
    QTest::qWait(300);   // the postmaster reloads pg_hba.conf asynchronously
    return cluster.conninfo().replace(QLatin1String("user=postgres"), QStringLiteral("user=") + role);
}

} // namespace lockstep::test
