// SPDX-License-Identifier: GPL-3.0-or-later
// Nothing stops silently: closing the window during a run asks what to do, and each answer does what it
// says -- "Keep the window open" keeps both going; "Stop at a safe point, then close" lets the running
// statement finish, stops the run resumable and closes the window; "Stop now, then close" cancels the
// statement and closes. Abort asks for confirmation. The journal records who chose what.
#include "core/store/journal.h"
#include "tests/gui/gui_shots.h"
#include "tests/pg/test_runner_support.h"
#include "ui/window/main_window.h"
#include "ui/plan/plan_view.h"
#include "ui/run/run_controls.h"
#include "ui/run/run_flow.h"
#include "ui/run/run_progress.h"
#include "ui/run/run_stop_dialogs.h"
#include "ui/run/run_view.h"
#include "ui/window/workspace.h"

#include <QApplication>
#include <QFile>
#include <QMessageBox>
#include <QPushButton>
#include <QStandardPaths>
#include <QTest>
#include <QTimer>

using namespace lockstep;

namespace {
// Clicks button `button` of the modal dialog named `dialog` as soon as it is open (polled every 20 ms, for
// at most 10 s); *seen gets the dialog's text.
void answerWhenAsked(const QString& dialog, const QString& button, QString* seen)
{
    auto* timer = new QTimer;
    auto* waited = new int(0);
    QObject::connect(timer, &QTimer::timeout, [=] {
        QWidget* modal = QApplication::activeModalWidget();
        if (modal && modal->objectName() == dialog) {
            if (auto* box = qobject_cast<QMessageBox*>(modal))
                *seen = box->text();
            test::saveShots(modal, dialog);
            if (auto* b = modal->findChild<QPushButton*>(button))
                b->click();
        } else if (++*waited < 500) {
            return;
        }
        timer->stop();
        timer->deleteLater();
        delete waited;
    });
    timer->start(20);
}

QString runState(qint64 runId)
{
    const store::Journal journal(store::Journal::defaultPath());
    return store::runStateName(journal.run(runId)->state);
}

QString operatorEvents(qint64 runId)
{
    const store::Journal journal(store::Journal::defaultPath());
    QStringList out;
    for (const store::EventRecord& e : journal.events(runId))
        if (e.kind == QLatin1String("operator"))
            out << e.message;
    return out.join(QLatin1Char('\n'));
}
} // namespace

class TestCloseDuringRun : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void eachAnswerDoesWhatItSays();

private:
    std::unique_ptr<ui::MainWindow> openWindow();
    QString m_db;
};

void TestCloseDuringRun::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QFile::remove(store::Journal::defaultPath());
    m_db = test::freshDatabase(QStringLiteral("close_run"));
    test::connect(m_db)->execScript(QStringLiteral(
        "CREATE TABLE big (id bigint PRIMARY KEY, qty int NOT NULL);"
        "INSERT INTO big SELECT g, g % 1000 FROM generate_series(1, 200000) g; ANALYZE big;"));
}

std::unique_ptr<ui::MainWindow> TestCloseDuringRun::openWindow()
{
    auto w = std::make_unique<ui::MainWindow>();
    w->resize(1600, 1000);
    w->show();
    w->connectTo(m_db, QStringLiteral("close during run"));
    if (!QTest::qWaitFor([&] { return w->isCatalogLoaded(); }, 30000))
        return nullptr;
    run::RunOptions options;
    options.maxRowsPerSecond = 20000;   // about 10 s of backfill: time to close the window during it
    options.targetBatchMs = 50;
    w->workspace()->runView()->setOptions(options, 5.0);
    return w;
}

void TestCloseDuringRun::eachAnswerDoesWhatItSays()
{
    auto w = openWindow();
    QVERIFY(w);
    ui::RunView* view = w->workspace()->runView();
    w->workspace()->planView()->setPlan(test::planFor(m_db, test::twiceChange()));   // big.twice = qty * 2, NOT NULL
    QVERIFY(w->runFlow()->startRun());
    QTRY_VERIFY_WITH_TIMEOUT(view->progressView()->last().rowsDone > 5000, 30000);
    const qint64 runId = view->runId();
    QVERIFY(runId > 0);

    // Abort asks first; "Keep running" keeps it running.
    QString asked;
    answerWhenAsked(QStringLiteral("abortDialog"), QStringLiteral("abortKeep"), &asked);
    QTest::mouseClick(view->controls()->findChild<QPushButton*>(QStringLiteral("abortButton")), Qt::LeftButton);
    QVERIFY2(asked.contains(QStringLiteral("Abort Run %1").arg(runId)), qPrintable(asked));
    QVERIFY(view->isRunActive());

    // Closing asks; "Keep the window open" changes nothing.
    asked.clear();
    answerWhenAsked(QStringLiteral("closeDuringRunDialog"), QStringLiteral("closeKeep"), &asked);
    QVERIFY(!w->close());
    QVERIFY2(asked.contains(QStringLiteral("Run %1 on").arg(runId)) && asked.contains(QLatin1String("step 3 of")), qPrintable(asked));
    QVERIFY(w->isVisible());
    QVERIFY(view->isRunActive());
    const qint64 rowsBefore = view->progressView()->last().rowsDone;
    QTRY_VERIFY_WITH_TIMEOUT(view->progressView()->last().rowsDone > rowsBefore, 10000);   // still going

    // "Stop at a safe point": the window stays until the run has stopped, then closes; the run is resumable
    // and the journal says who chose it.
    answerWhenAsked(QStringLiteral("closeDuringRunDialog"), QStringLiteral("closeSafePoint"), &asked);
    QVERIFY(!w->close());
    QTRY_VERIFY_WITH_TIMEOUT(!w->isVisible(), 30000);
    QCOMPARE(runState(runId), QStringLiteral("paused"));
    QString events = operatorEvents(runId);
    QVERIFY2(events.contains(QStringLiteral("stopped at a safe point: the window was closed by %1").arg(ui::operatorName())),
             qPrintable(events));
    QVERIFY(test::psqlScalar(m_db, QStringLiteral("SELECT count(*) FROM big WHERE twice IS NULL")) != QLatin1String("0"));
    w.reset();

    // Resumed in a new window from History, then closed with "Stop now": the statement is cancelled.
    w = openWindow();
    QVERIFY(w);
    view = w->workspace()->runView();
    w->runFlow()->resumePastRun(runId);
    QTRY_VERIFY_WITH_TIMEOUT(view->isRunActive() && view->progressView()->last().rowsDone > 0, 30000);
    answerWhenAsked(QStringLiteral("closeDuringRunDialog"), QStringLiteral("closeNow"), &asked);
    QVERIFY(!w->close());
    QTRY_VERIFY_WITH_TIMEOUT(!w->isVisible(), 30000);
    QCOMPARE(runState(runId), QStringLiteral("paused"));
    events = operatorEvents(runId);
    QVERIFY2(events.contains(QStringLiteral("aborted: the window was closed by %1, who chose to stop at once").arg(ui::operatorName())),
             qPrintable(events));
    w.reset();

    // Nothing was lost: resumed to the gate, every row is right.
    w = openWindow();
    QVERIFY(w);
    view = w->workspace()->runView();
    view->setOptions(run::RunOptions{}, 5.0);
    w->runFlow()->resumePastRun(runId);
    QTRY_COMPARE_WITH_TIMEOUT(view->runState(), QStringLiteral("at-switch-gate"), 60000);
    QCOMPARE(test::psqlScalar(m_db, QStringLiteral("SELECT count(*) FROM big WHERE twice IS DISTINCT FROM qty * 2")), QStringLiteral("0"));
}

QTEST_MAIN(TestCloseDuringRun)
#include "test_close_during_run.moc"
