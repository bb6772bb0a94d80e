// SPDX-License-Identifier: GPL-3.0-or-later
// A process writing checkpoints as fast as it can is SIGKILLed at an arbitrary moment, several times over;
// each time the journal must open cleanly and hold the last checkpoint the child reported as committed
// (or the one after it, when the kill fell between the commit and the report). Each round resumes from
// the checkpoint the previous one left, as `lockstep resume` does. Meanwhile this process reads the same
// file, as `lockstep status` would.
//
// The child is this test binary itself, running only the slot crashChildWriter with the journal's path
// in LOCKSTEP_JOURNAL_CRASH_CHILD.
#include "core/store/journal.h"
#include "core/store/sqlite_db.h"
#include "test_journal_support.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cstdio>

using namespace lockstep;
using namespace lockstep::store;

namespace {
const char* const kChildEnv = "LOCKSTEP_JOURNAL_CRASH_CHILD";
constexpr qint64 kRowsPerBatch = 100;
constexpr int kBackfillStep = 1;

qint64 runIdIn(Journal& journal)
{
    const auto runs = journal.runs();
    return runs.isEmpty() ? 0 : runs.first().id;
}
} // namespace

class TestJournalCrash : public QObject {
    Q_OBJECT
private slots:
    // Not a test on its own: the body of the child process.
    void crashChildWriter()
    {
        const QString path = qEnvironmentVariable(kChildEnv);
        if (path.isEmpty())
            QSKIP("runs only as the child of checkpointSurvivesSigkill");
        Journal journal(path);
        const qint64 runId = runIdIn(journal);
        QVERIFY(runId > 0);
        Checkpoint cp{runId, kBackfillStep, {}, 0, 0, {}};
        if (auto last = journal.checkpoint(runId, kBackfillStep))
            cp = *last;
        for (;;) {
            cp.rowsDone += kRowsPerBatch;
            cp.batches += 1;
            cp.lastKey = QStringList{QString::number(cp.rowsDone)};
            cp.at = QDateTime();
            journal.saveCheckpoint(cp);
            if (cp.batches % 16 == 0) {
                journal.addEvent(runId, QStringLiteral("batch"), QString::number(cp.rowsDone));
                journal.addSample(runId, QDateTime::currentDateTime(), QJsonObject{{"rows", cp.rowsDone}});
            }
            std::printf("committed %lld\n", static_cast<long long>(cp.rowsDone));
            std::fflush(stdout);
        }
    }

    void checkpointSurvivesSigkill()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("journal.sqlite"));
        Journal reader(path);
        const qint64 runId = reader.createRun(test::journalTestPlan(), QStringLiteral("dbname=shop"), {},
                                              QStringLiteral("contract"));
        reader.setStepState(runId, kBackfillStep, StepState::Running);

        // Kill after different numbers of reported commits; where exactly the kill lands is up to timing.
        const int killAfter[] = {1, 37, 250, 1000, 3001};
        qint64 resumedFrom = 0;
        for (const int reports : killAfter) {
            QProcess child;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QString::fromLatin1(kChildEnv), path);
            child.setProcessEnvironment(env);
            child.setProcessChannelMode(QProcess::SeparateChannels);
            child.start(QCoreApplication::applicationFilePath(), {QStringLiteral("crashChildWriter")});
            QVERIFY2(child.waitForStarted(10000), qPrintable(child.errorString()));

            QByteArray out;
            int seen = 0;
            qint64 lastSeenByReader = resumedFrom;
            QElapsedTimer timer;
            timer.start();
            while (seen < reports) {
                QVERIFY2(timer.elapsed() < 60000, "the child reports too slowly");
                QVERIFY2(child.state() == QProcess::Running,
                         qPrintable(QString::fromUtf8(child.readAllStandardError())));
                child.waitForReadyRead(100);
                out += child.readAllStandardOutput();
                seen = out.count("committed ");
                // Another process reading while the child writes: never a torn or backward checkpoint.
                if (auto cp = reader.checkpoint(runId, kBackfillStep)) {
                    QVERIFY(cp->rowsDone >= lastSeenByReader);
                    QCOMPARE(cp->batches * kRowsPerBatch, cp->rowsDone);
                    lastSeenByReader = cp->rowsDone;
                }
            }
            child.kill(); // SIGKILL
            QVERIFY(child.waitForFinished(10000));
            QCOMPARE(child.exitStatus(), QProcess::CrashExit);
            out += child.readAllStandardOutput();

            qint64 lastReported = -1;
            for (const QByteArray& line : out.split('\n')) {
                if (line.startsWith("committed "))
                    lastReported = line.mid(10).toLongLong();
            }
            QVERIFY(lastReported > resumedFrom);

            // A fresh open, as after a restart: consistent file, and the checkpoint the child reported
            // (or one batch more: the kill fell between its commit and its report).
            Journal after(path);
            {
                SqliteDb raw(path);
                auto check = raw.prepare("PRAGMA integrity_check");
                QVERIFY(check.next());
                QCOMPARE(check.text(0), QStringLiteral("ok"));
            }
            const auto cp = after.checkpoint(runId, kBackfillStep);
            QVERIFY(cp);
            QVERIFY2(cp->rowsDone == lastReported || cp->rowsDone == lastReported + kRowsPerBatch,
                     qPrintable(QStringLiteral("journal %1, child reported %2").arg(cp->rowsDone).arg(lastReported)));
            QCOMPARE(cp->lastKey, QStringList{QString::number(cp->rowsDone)});
            QCOMPARE(cp->batches * kRowsPerBatch, cp->rowsDone);
            QCOMPARE(after.run(runId)->state, RunState::Running);
            QCOMPARE(after.steps(runId).at(kBackfillStep).state, StepState::Running);
            qInfo("killed after %d reports: last reported %lld rows, journal holds %lld", reports,
                  static_cast<long long>(lastReported), static_cast<long long>(cp->rowsDone));
            resumedFrom = cp->rowsDone;
        }
    }
};

QTEST_GUILESS_MAIN(TestJournalCrash)
#include "test_journal_crash.moc"
