// SPDX-License-Identifier: GPL-3.0-or-later
// The run journal on a real SQLite file: schema migrations, every method's round trip, states, ordering,
// passwords kept out of every byte on disk, a reader and writers working on one file at once, and the
// write rate (printed, not asserted). The SIGKILL test is in test_journal_crash.cpp.
#include "core/store/journal.h"
#include "core/store/journal_schema.h"
#include "core/store/sqlite_db.h"
#include "test_journal_support.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <thread>

using namespace lockstep;
using namespace lockstep::store;

namespace {
QByteArray fileBytes(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QStringList tableNames(const QString& path)
{
    SqliteDb db(path);
    QStringList names;
    auto row = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                          "ORDER BY name");
    while (row.next())
        names << row.text(0);
    return names;
}
} // namespace

class TestJournal : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    int m_files = 0;
    QString freshPath() { return m_dir.filePath(QStringLiteral("j%1/journal.sqlite").arg(++m_files)); }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void defaultPathFollowsXdg()
    {
        const QByteArray old = qgetenv("XDG_DATA_HOME");
        qputenv("XDG_DATA_HOME", m_dir.filePath(QStringLiteral("xdg")).toUtf8());
        QCOMPARE(Journal::defaultPath(), m_dir.filePath(QStringLiteral("xdg/lockstep/journal.sqlite")));
        qputenv("XDG_DATA_HOME", old);
    }

    void keepsRehearsals()
    {
        const QString path = freshPath();
        Journal j(path);
        QVERIFY(j.rehearsals().isEmpty());
        RehearsalRecord r;
        r.server = QStringLiteral("db:5432");
        r.table = QStringLiteral("public.orders");
        r.change = QStringLiteral("add column \"total\" bigint");
        r.ok = false;
        r.report = QJsonObject{{QStringLiteral("copy_rows"), 1000}, {QStringLiteral("problems"), QJsonArray{QStringLiteral("a step failed")}}};
        const qint64 first = j.addRehearsal(r);
        r.ok = true;
        const qint64 second = j.addRehearsal(r);
        QVERIFY(second > first);
        const QVector<RehearsalRecord> all = Journal(path).rehearsals();
        QCOMPARE(all.size(), 2);
        QCOMPARE(all.first().id, second);   // newest first
        QVERIFY(all.first().ok && !all.last().ok);
        QCOMPARE(all.last().server, QStringLiteral("db:5432"));
        QCOMPARE(all.last().report.value(QStringLiteral("problems")).toArray().first().toString(), QStringLiteral("a step failed"));
        QVERIFY(qAbs(all.last().at.msecsTo(QDateTime::currentDateTimeUtc())) < 60000);
    }

    void migratesEmptyFileAndReopens()
    {
        const QString path = freshPath(); // its directory does not exist yet
        QVERIFY(journalSchemaVersion() >= 1);
        {
            Journal j(path);
            QCOMPARE(j.schemaVersion(), journalSchemaVersion());
            j.createRun(test::journalTestPlan(), QStringLiteral("dbname=a"), QStringLiteral("15.4"),
                        QStringLiteral("contract"));
        }
        QCOMPARE(tableNames(path), (QStringList{"checkpoints", "events", "profiles", "rehearsals", "runs", "samples", "steps"}));
        {
            SqliteDb raw(path);
            auto mode = raw.prepare("PRAGMA journal_mode");
            QVERIFY(mode.next());
            QCOMPARE(mode.text(0), QStringLiteral("wal"));
        }
        // Re-opening applies nothing twice and keeps the data.
        for (int i = 0; i < 2; ++i) {
            Journal again(path);
            QCOMPARE(again.schemaVersion(), journalSchemaVersion());
            QCOMPARE(again.runs().size(), 1);
        }
    }

    // Two processes (here: threads with their own connections) creating the same new journal at once:
    // both must end up with a migrated file, neither may fail on the WAL switch or the migration.
    void simultaneousFirstOpens()
    {
        for (int round = 0; round < 30; ++round) {
            const QString path = freshPath();
            std::atomic<int> failures{0};
            auto open = [&] {
                try {
                    Journal j(path);
                    if (j.schemaVersion() != journalSchemaVersion())
                        ++failures;
                    j.saveProfile(QStringLiteral("p"), QStringLiteral("dbname=x"));
                } catch (const std::exception& e) {
                    qWarning("%s", e.what());
                    ++failures;
                }
            };
            std::thread other(open);
            open();
            other.join();
            QCOMPARE(failures.load(), 0);
            QCOMPARE(Journal(path).profiles().size(), 1);
        }
    }

    void refusesNewerSchema()
    {
        const QString path = freshPath();
        { Journal j(path); }
        {
            SqliteDb raw(path);
            raw.exec(("PRAGMA user_version = " + std::to_string(journalSchemaVersion() + 1)).c_str());
        }
        QVERIFY_THROWS_EXCEPTION(JournalError, Journal{path});
    }

    void stateNames()
    {
        const QVector<QPair<RunState, QString>> runNames{
            {RunState::Running, "running"},         {RunState::Paused, "paused"},
            {RunState::Failed, "failed"},           {RunState::Done, "done"},
            {RunState::RollingBack, "rolling-back"}, {RunState::RolledBack, "rolled-back"},
            {RunState::Interrupted, "interrupted"}};
        for (const auto& [state, name] : runNames) {
            QCOMPARE(runStateName(state), name);
            QCOMPARE(runStateFromName(name), std::optional<RunState>(state));
        }
        const QVector<QPair<StepState, QString>> stepNames{
            {StepState::Pending, "pending"},   {StepState::Running, "running"},
            {StepState::WaitingForLock, "waiting-for-lock"}, {StepState::Throttled, "throttled"},
            {StepState::Done, "done"},         {StepState::Failed, "failed"},
            {StepState::RolledBack, "rolled-back"}, {StepState::Skipped, "skipped"}};
        for (const auto& [state, name] : stepNames) {
            QCOMPARE(stepStateName(state), name);
            QCOMPARE(stepStateFromName(name), std::optional<StepState>(state));
        }
        QCOMPARE(runStateFromName(QStringLiteral("Running")), std::nullopt);
        QCOMPARE(runStateFromName(QString()), std::nullopt);
        QCOMPARE(stepStateFromName(QStringLiteral("waiting_for_lock")), std::nullopt);
    }

    void runRoundTrip()
    {
        Journal j(freshPath());
        const Plan plan = test::journalTestPlan();
        const QDateTime before = QDateTime::currentDateTime().addMSecs(-1);
        const qint64 id = j.createRun(plan, QStringLiteral("host=db1 port=5433 dbname=shop user=app"),
                                      QStringLiteral("15.4 on db1:5433/shop"), QStringLiteral("constrain"));
        const QDateTime after = QDateTime::currentDateTime().addMSecs(1);
        QVERIFY(id > 0);

        const auto run = j.run(id);
        QVERIFY(run);
        QCOMPARE(run->id, id);
        QCOMPARE(run->state, RunState::Running);
        QCOMPARE(run->conninfo, QStringLiteral("host=db1 port=5433 dbname=shop user=app"));
        QCOMPARE(run->server, QStringLiteral("15.4 on db1:5433/shop"));
        QCOMPARE(run->table, plan.table);
        QCOMPARE(run->plan.toJson(), plan.toJson());
        QVERIFY(run->plan.steps.at(1).backfill);
        QCOMPARE(run->plan.steps.at(1).backfill->keyColumns, plan.steps.at(1).backfill->keyColumns);
        QCOMPARE(run->untilPhase, QStringLiteral("constrain"));
        QVERIFY(run->startedAt >= before && run->startedAt <= after);
        QVERIFY(!run->endedAt.isValid());
        QCOMPARE(run->lastError, QString());
        QCOMPARE(run->ownerPid, QCoreApplication::applicationPid());
        QVERIFY(!j.run(id + 1000));

        const auto steps = j.steps(id);
        QCOMPARE(steps.size(), plan.steps.size());
        for (int i = 0; i < steps.size(); ++i) {
            QCOMPARE(steps[i].runId, id);
            QCOMPARE(steps[i].index, i);
            QCOMPARE(steps[i].stepId, plan.steps[i].id);
            QCOMPARE(steps[i].state, StepState::Pending);
            QCOMPARE(steps[i].attempts, 0);
            QVERIFY(!steps[i].startedAt.isValid());
            QVERIFY(!steps[i].endedAt.isValid());
        }
    }

    void runStateAndOwner()
    {
        Journal j(freshPath());
        const qint64 id = j.createRun(test::journalTestPlan(), {}, {}, QStringLiteral("contract"));
        j.setRunState(id, RunState::Failed, QStringLiteral("55P03: lock timeout"));
        auto run = j.run(id);
        QCOMPARE(run->state, RunState::Failed);
        QCOMPARE(run->lastError, QStringLiteral("55P03: lock timeout"));
        QVERIFY(run->endedAt.isValid());
        QVERIFY(run->endedAt >= run->startedAt);

        j.setRunState(id, RunState::Running); // resumed
        j.setRunOwner(id, 424242);
        run = j.run(id);
        QCOMPARE(run->state, RunState::Running);
        QCOMPARE(run->lastError, QString());
        QVERIFY(!run->endedAt.isValid());
        QCOMPARE(run->ownerPid, qint64(424242));

        for (RunState s : {RunState::Paused, RunState::RollingBack, RunState::Interrupted}) {
            j.setRunState(id, s);
            QCOMPARE(j.run(id)->state, s);
            QVERIFY(!j.run(id)->endedAt.isValid());
        }
        for (RunState s : {RunState::Done, RunState::RolledBack}) {
            j.setRunState(id, s);
            QCOMPARE(j.run(id)->state, s);
            QVERIFY(j.run(id)->endedAt.isValid());
        }
        QVERIFY_THROWS_EXCEPTION(JournalError, j.setRunState(id + 1, RunState::Done));
        QVERIFY_THROWS_EXCEPTION(JournalError, j.setRunOwner(id + 1, 1));
    }

    void stepStatesAndAttempts()
    {
        Journal j(freshPath());
        const qint64 id = j.createRun(test::journalTestPlan(), {}, {}, QStringLiteral("contract"));
        j.setStepState(id, 0, StepState::WaitingForLock, QStringLiteral("55P03"), QStringLiteral("blocked by 4711"));
        j.addStepAttempt(id, 0);
        j.addStepAttempt(id, 0);
        auto s = j.steps(id).at(0);
        QCOMPARE(s.state, StepState::WaitingForLock);
        QCOMPARE(s.errorSqlstate, QStringLiteral("55P03"));
        QCOMPARE(s.errorMessage, QStringLiteral("blocked by 4711"));
        QCOMPARE(s.attempts, 2);
        QVERIFY(s.startedAt.isValid());
        QVERIFY(!s.endedAt.isValid());
        const QDateTime started = s.startedAt;

        QTest::qWait(5);
        j.setStepState(id, 0, StepState::Running);
        j.setStepState(id, 0, StepState::Done);
        s = j.steps(id).at(0);
        QCOMPARE(s.state, StepState::Done);
        QCOMPARE(s.startedAt, started); // the first start is kept
        QVERIFY(s.endedAt.isValid() && s.endedAt > started);
        QCOMPARE(s.errorSqlstate, QString());
        QCOMPARE(s.errorMessage, QString());
        QCOMPARE(s.attempts, 2);

        j.setStepState(id, 1, StepState::Throttled);
        j.setStepState(id, 2, StepState::Skipped);
        QCOMPARE(j.steps(id).at(1).state, StepState::Throttled);
        QVERIFY(!j.steps(id).at(1).endedAt.isValid());
        QCOMPARE(j.steps(id).at(2).state, StepState::Skipped);
        QVERIFY(j.steps(id).at(2).endedAt.isValid());

        const QDateTime doneAt = j.steps(id).at(0).endedAt;
        QTest::qWait(5);
        j.setStepState(id, 0, StepState::RolledBack);
        QCOMPARE(j.steps(id).at(0).state, StepState::RolledBack);
        QCOMPARE(j.steps(id).at(0).endedAt, doneAt);   // its own duration stays what it was, not until the rollback
        QVERIFY_THROWS_EXCEPTION(JournalError, j.setStepState(id, 3, StepState::Done));
        QVERIFY_THROWS_EXCEPTION(JournalError, j.addStepAttempt(id + 1, 0));
    }

    void checkpoints()
    {
        Journal j(freshPath());
        const qint64 id = j.createRun(test::journalTestPlan(), {}, {}, QStringLiteral("contract"));
        QVERIFY(!j.checkpoint(id, 1));

        Checkpoint cp;
        cp.runId = id;
        cp.stepIndex = 1;
        cp.lastKey = QStringList{QStringLiteral("42"), QStringLiteral("it's \"quoted\", ü, \\ and ,")};
        cp.rowsDone = 10000;
        cp.batches = 10;
        cp.at = QDateTime::fromMSecsSinceEpoch(1700000000123);
        j.saveCheckpoint(cp);
        auto back = j.checkpoint(id, 1);
        QVERIFY(back);
        QCOMPARE(back->runId, id);
        QCOMPARE(back->stepIndex, 1);
        QCOMPARE(back->lastKey, cp.lastKey);
        QCOMPARE(back->rowsDone, qint64(10000));
        QCOMPARE(back->batches, qint64(10));
        QCOMPARE(back->at, cp.at);

        // One per (run, step): a later save replaces it; an invalid `at` means now.
        cp.lastKey = QStringList{QString(), QStringLiteral("7")};
        cp.rowsDone = 5000000000LL;
        cp.batches = 11;
        cp.at = QDateTime();
        const QDateTime before = QDateTime::currentDateTime().addMSecs(-1);
        j.saveCheckpoint(cp);
        back = j.checkpoint(id, 1);
        QCOMPARE(back->lastKey, cp.lastKey);
        QCOMPARE(back->rowsDone, 5000000000LL);
        QCOMPARE(back->batches, qint64(11));
        QVERIFY(back->at >= before);
        QVERIFY(!j.checkpoint(id, 0));

        cp.stepIndex = 9; // no such step
        QVERIFY_THROWS_EXCEPTION(JournalError, j.saveCheckpoint(cp));
    }

    void samplesAndEvents()
    {
        Journal j(freshPath());
        const qint64 a = j.createRun(test::journalTestPlan(), {}, {}, QStringLiteral("contract"));
        const qint64 b = j.createRun(test::journalTestPlan(), {}, {}, QStringLiteral("contract"));
        const QDateTime t0 = QDateTime::fromMSecsSinceEpoch(1700000000000);
        // Written out of order: read back by time.
        j.addSample(a, t0.addMSecs(500), QJsonObject{{"lag_bytes", 12}, {"rows_per_s", 5000.5}});
        j.addSample(a, t0, QJsonObject{{"lag_bytes", 0}, {"blocked", QJsonArray{1, 2}}});
        j.addSample(b, t0, QJsonObject{{"other", true}});
        const auto samples = j.samples(a);
        QCOMPARE(samples.size(), 2);
        QCOMPARE(samples[0].first, t0);
        QCOMPARE(samples[0].second, (QJsonObject{{"lag_bytes", 0}, {"blocked", QJsonArray{1, 2}}}));
        QCOMPARE(samples[1].first, t0.addMSecs(500));
        QCOMPARE(samples[1].second.value("rows_per_s").toDouble(), 5000.5);
        QCOMPARE(j.samples(b).size(), 1);

        j.addEvent(a, QStringLiteral("step"), QStringLiteral("add_column done"));
        j.addEvent(b, QStringLiteral("other"), QStringLiteral("x"));
        j.addEvent(a, QStringLiteral("throttle"), QStringLiteral("replica lag 12 MB"));
        const auto events = j.events(a);
        QCOMPARE(events.size(), 2);
        QCOMPARE(events[0].runId, a);
        QCOMPARE(events[0].kind, QStringLiteral("step"));
        QCOMPARE(events[0].message, QStringLiteral("add_column done"));
        QCOMPARE(events[1].kind, QStringLiteral("throttle"));
        QVERIFY(events[0].at.isValid() && events[0].at <= events[1].at);
        QVERIFY(j.events(b + 1).isEmpty());
        QVERIFY_THROWS_EXCEPTION(JournalError, j.addEvent(b + 1, QStringLiteral("k"), QStringLiteral("m")));
    }

    void runsNewestFirst()
    {
        Journal j(freshPath());
        QVERIFY(j.runs().isEmpty());
        QVector<qint64> ids;
        for (int i = 0; i < 4; ++i)
            ids << j.createRun(test::journalTestPlan(), QStringLiteral("dbname=d%1").arg(i), {}, QStringLiteral("contract"));
        const auto runs = j.runs();
        QCOMPARE(runs.size(), 4);
        for (int i = 0; i < 4; ++i) {
            QCOMPARE(runs[i].id, ids[3 - i]);
            QCOMPARE(runs[i].conninfo, QStringLiteral("dbname=d%1").arg(3 - i));
        }
    }

    void profiles()
    {
        Journal j(freshPath());
        j.saveProfile(QStringLiteral("prod"), QStringLiteral("host=p dbname=shop password=x"));
        j.saveProfile(QStringLiteral("staging"), QStringLiteral("postgresql://u:y@s/shop"));
        j.saveProfile(QStringLiteral("local"), QStringLiteral("dbname=dev"));
        using Profiles = QVector<QPair<QString, QString>>;
        QCOMPARE(j.profiles(), (Profiles{{"local", "dbname=dev"},
                                         {"staging", "host=s dbname=shop user=u"},
                                         {"prod", "host=p dbname=shop"}}));
        // Saving again marks it as just used and replaces it.
        j.saveProfile(QStringLiteral("prod"), QStringLiteral("host=p2 dbname=shop"));
        QCOMPARE(j.profiles().first(), (QPair<QString, QString>{"prod", "host=p2 dbname=shop"}));
        QCOMPARE(j.profiles().size(), 3);
        j.removeProfile(QStringLiteral("staging"));
        QCOMPARE(j.profiles(), (Profiles{{"prod", "host=p2 dbname=shop"}, {"local", "dbname=dev"}}));
        QVERIFY_THROWS_EXCEPTION(JournalError, j.saveProfile(QStringLiteral("bad"), QStringLiteral("bogus=1")));
    }

    void passwordsNeverReachTheDisk()
    {
        const QString path = freshPath();
        const QStringList secretConninfos{
            QStringLiteral("host=h dbname=db user=u password=s3cret"),
            QStringLiteral("postgresql://u:s3cret@h/db"),
            QStringLiteral("postgresql://u@h/db?password=s3cret"),
            QStringLiteral("host=h sslpassword=s3cret"),
            QStringLiteral("dbname='postgresql://u:s3cret@h/db'"),
        };
        auto checkFiles = [&path](bool walExpected) {
            for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")}) {
                const QByteArray bytes = fileBytes(path + suffix);
                if (suffix.isEmpty() || (walExpected && suffix == QLatin1String("-wal")))
                    QVERIFY2(!bytes.isEmpty(), qPrintable(path + suffix));
                QVERIFY2(!bytes.contains("s3cret"), qPrintable(path + suffix));
            }
        };
        {
            Journal j(path);
            for (int i = 0; i < secretConninfos.size(); ++i) {
                const qint64 id = j.createRun(test::journalTestPlan(), secretConninfos[i],
                                              QStringLiteral("15.4 on h:5432/db"), QStringLiteral("contract"));
                QVERIFY(!j.run(id)->conninfo.contains(QLatin1String("s3cret")));
                QVERIFY(j.run(id)->conninfo.contains(QLatin1String("host=h")));
                j.saveProfile(QStringLiteral("p%1").arg(i), secretConninfos[i]);
            }
            // Unparseable: refused whole, with no piece of it in the error either.
            try {
                j.createRun(test::journalTestPlan(), QStringLiteral("host=h password=s3cret bogus"), {}, {});
                QFAIL("an unparseable conninfo was accepted");
            } catch (const JournalError& e) {
                QVERIFY(!QByteArray(e.what()).contains("s3cret"));
            }
            QVERIFY_THROWS_EXCEPTION(JournalError,
                                     j.saveProfile(QStringLiteral("x"), QStringLiteral("password=s3cret bogus=1")));
            QCOMPARE(j.runs().size(), secretConninfos.size());
            for (const auto& p : j.profiles())
                QVERIFY(!p.second.contains(QLatin1String("s3cret")));
            checkFiles(true); // while open: main file, WAL and shared-memory index
        }
        checkFiles(false); // after close (the WAL was checkpointed into the main file)
    }

    void readerAndWritersAtOnce()
    {
        const QString path = freshPath();
        Journal setup(path);
        const qint64 id = setup.createRun(test::journalTestPlan(), {}, {}, QStringLiteral("contract"));
        constexpr int kCheckpoints = 1500;
        constexpr int kSamples = 500;
        std::atomic<bool> writing{true};
        std::atomic<int> failures{0};
        QString failure;
        std::mutex failureMutex;
        auto fail = [&](const QString& what) {
            std::lock_guard<std::mutex> lock(failureMutex);
            if (failure.isEmpty())
                failure = what;
            ++failures;
        };

        // Three objects on one file, as the runner thread, the monitor and the GUI (or `lockstep status`) have.
        std::thread checkpointWriter([&] {
            try {
                Journal j(path);
                for (int i = 1; i <= kCheckpoints; ++i) {
                    j.saveCheckpoint(Checkpoint{id, 1, {QString::number(i * 100)}, i * 100LL, i, {}});
                    if (i % 100 == 0)
                        j.addEvent(id, QStringLiteral("batch"), QString::number(i));
                }
            } catch (const std::exception& e) {
                fail(QString::fromUtf8(e.what()));
            }
            writing = false;
        });
        std::thread sampleWriter([&] {
            try {
                Journal j(path);
                for (int i = 0; i < kSamples; ++i)
                    j.addSample(id, QDateTime::currentDateTime(), QJsonObject{{"i", i}});
            } catch (const std::exception& e) {
                fail(QString::fromUtf8(e.what()));
            }
        });
        int reads = 0;
        try {
            Journal reader(path);
            qint64 lastRows = 0;
            int lastEvents = 0;
            while (writing) {
                if (auto cp = reader.checkpoint(id, 1)) {
                    if (cp->rowsDone < lastRows || cp->lastKey != QStringList{QString::number(cp->rowsDone)}
                        || cp->batches * 100 != cp->rowsDone)
                        fail(QStringLiteral("inconsistent checkpoint at %1 rows").arg(cp->rowsDone));
                    lastRows = cp->rowsDone;
                }
                const int events = reader.events(id).size();
                if (events < lastEvents)
                    fail(QStringLiteral("events went backwards"));
                lastEvents = events;
                reader.samples(id);
                ++reads;
            }
        } catch (const std::exception& e) {
            fail(QString::fromUtf8(e.what()));
        }
        checkpointWriter.join();
        sampleWriter.join();
        QVERIFY2(failures == 0, qPrintable(failure));
        QVERIFY(reads > 0);
        QCOMPARE(setup.checkpoint(id, 1)->rowsDone, kCheckpoints * 100LL);
        QCOMPARE(setup.events(id).size(), kCheckpoints / 100);
        QCOMPARE(setup.samples(id).size(), kSamples);
        qInfo("concurrent: %d checkpoints + %d samples written while the reader made %d passes", kCheckpoints,
              kSamples, reads);
    }

    void oneObjectSharedByThreads()
    {
        Journal j(freshPath());
        const qint64 id = j.createRun(test::journalTestPlan(), {}, {}, QStringLiteral("contract"));
        std::atomic<int> failures{0};
        auto work = [&](int step) {
            try {
                for (int i = 0; i < 300; ++i) {
                    j.addStepAttempt(id, step);
                    j.events(id);
                }
            } catch (const std::exception&) {
                ++failures;
            }
        };
        std::thread t1(work, 0), t2(work, 1);
        work(2);
        t1.join();
        t2.join();
        QCOMPARE(failures.load(), 0);
        for (const StepRecord& s : j.steps(id))
            QCOMPARE(s.attempts, 300);
    }

    // A figure, not a pass/fail: how fast the runner can checkpoint (synchronous=NORMAL), and how fast a
    // state change with an fsync per commit (synchronous=FULL) goes on this disk.
    void writeRates()
    {
        const QString path = freshPath();
        Journal j(path);
        const qint64 id = j.createRun(test::journalTestPlan(), {}, {}, QStringLiteral("contract"));
        constexpr int kCheckpoints = 3000;
        QElapsedTimer timer;
        timer.start();
        for (int i = 1; i <= kCheckpoints; ++i)
            j.saveCheckpoint(Checkpoint{id, 1, {QString::number(i)}, i * 1000LL, i, {}});
        const double checkpointSeconds = timer.nsecsElapsed() / 1e9;
        constexpr int kStates = 300;
        timer.restart();
        for (int i = 0; i < kStates; ++i)
            j.setRunState(id, i % 2 ? RunState::Running : RunState::Paused);
        const double stateSeconds = timer.nsecsElapsed() / 1e9;
        QCOMPARE(j.checkpoint(id, 1)->rowsDone, kCheckpoints * 1000LL);
        qInfo("journal at %s: %.0f checkpoints/s (synchronous=NORMAL), %.0f run-state changes/s "
              "(synchronous=FULL)", qPrintable(path), kCheckpoints / checkpointSeconds, kStates / stateSeconds);
    }
};

QTEST_GUILESS_MAIN(TestJournal)
#include "test_journal.moc"
