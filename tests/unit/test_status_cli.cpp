// SPDX-License-Identifier: GPL-3.0-or-later
// `lockstep status` reads the journal: the JSON contract (a list of runs with id, state, steps), the text
// form, one run by id, and clear refusals. No server needed.
#include "core/store/journal.h"
#include "tests/support/pg_fixture.h"
#include "tests/unit/test_journal_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace lockstep;
using namespace lockstep::test;

class TestStatusCli : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_path;
    qint64 m_first = 0, m_second = 0;

private slots:
    void initTestCase()
    {
        m_path = m_dir.filePath(QStringLiteral("journal.sqlite"));
        store::Journal journal(m_path);
        m_first = journal.createRun(journalTestPlan(), QStringLiteral("host=/tmp dbname=shop password=s3cret"),
                                    QStringLiteral("15.4 on /tmp/shop"), QStringLiteral("constrain"));
        journal.setStepState(m_first, 0, store::StepState::Done);
        journal.addStepAttempt(m_first, 1);
        journal.addStepAttempt(m_first, 1);
        journal.setStepState(m_first, 1, store::StepState::Failed, QStringLiteral("55P03"), QStringLiteral("lock timeout"));
        journal.setRunState(m_first, store::RunState::Failed, QStringLiteral("backfill failed"));
        m_second = journal.createRun(journalTestPlan(), QStringLiteral("host=/tmp dbname=shop"),
                                     QStringLiteral("15.4 on /tmp/shop"), QStringLiteral("contract"));
    }

    void jsonListsEveryRunWithSteps()
    {
        const ProcessResult r = runLockstep({"status", "--journal", m_path, "--format", "json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray runs = QJsonDocument::fromJson(r.out).array();
        QCOMPARE(runs.size(), 2);
        QCOMPARE(runs[0].toObject().value("id").toInteger(), m_second);   // newest first
        const QJsonObject failed = runs[1].toObject();
        QCOMPARE(failed.value("id").toInteger(), m_first);
        QCOMPARE(failed.value("state").toString(), QStringLiteral("failed"));
        const QJsonArray steps = failed.value("steps").toArray();
        QCOMPARE(steps.size(), journalTestPlan().steps.size());
        QCOMPARE(steps[0].toObject().value("state").toString(), QStringLiteral("done"));
        QCOMPARE(steps[1].toObject().value("id").toString(), QStringLiteral("backfill"));
        QCOMPARE(steps[1].toObject().value("state").toString(), QStringLiteral("failed"));
        QCOMPARE(steps[1].toObject().value("attempts").toInt(), 2);
        QCOMPARE(steps[1].toObject().value("error_sqlstate").toString(), QStringLiteral("55P03"));
        QCOMPARE(steps[2].toObject().value("state").toString(), QStringLiteral("pending"));
        QVERIFY(!r.out.contains("s3cret"));
    }

    void oneRunAsText()
    {
        const ProcessResult r = runLockstep({"status", QString::number(m_first), "--journal", m_path});
        QCOMPARE(r.exitCode, 0);
        const QString text = QString::fromUtf8(r.out);
        QVERIFY2(text.contains(QStringLiteral("run %1").arg(m_first)), r.out.constData());
        QVERIFY(text.contains(QStringLiteral("failed")));
        QVERIFY(text.contains(QStringLiteral("55P03")));
        QVERIFY(!text.contains(QStringLiteral("run %1").arg(m_second)));
    }

    void refusals()
    {
        QCOMPARE(runLockstep({"status", "999999", "--journal", m_path}).exitCode, 2);
        QCOMPARE(runLockstep({"status", "abc", "--journal", m_path}).exitCode, 2);
        QCOMPARE(runLockstep({"status", "--journal", m_path, "--format", "xml"}).exitCode, 2);
        // No journal yet: no runs, and no file created by looking.
        const QString missing = m_dir.filePath(QStringLiteral("none.sqlite"));
        const ProcessResult r = runLockstep({"status", "--journal", missing, "--format", "json"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(r.out).array().size(), 0);
        QVERIFY(!QFileInfo::exists(missing));
    }
};

QTEST_GUILESS_MAIN(TestStatusCli)
#include "test_status_cli.moc"
