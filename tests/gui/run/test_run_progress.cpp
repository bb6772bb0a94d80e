// SPDX-License-Identifier: GPL-3.0-or-later
// The backfill's progress block says how the backfill goes: full speed, gentle (yielding to other
// sessions' writes, still running: no warning look, the rate counts) or throttled (held: warning look).
#include "tests/gui/dark_palette.h"
#include "tests/gui/gui_shots.h"
#include "ui/run/run_controls.h"
#include "ui/run/run_progress.h"

#include <QApplication>
#include <QtTest>

using namespace lockstep;

namespace {
run::Progress progressAt(qint64 done, double rate)
{
    run::Progress p;
    p.stepIndex = 2;
    p.rowsDone = done;
    p.rowsTotal = 1000000;
    p.rowsPerSecond = rate;
    p.etaSeconds = (p.rowsTotal - done) / rate;
    p.batchRows = 1800;
    p.lastBatchMs = 10;
    p.batches = done / 1800;
    return p;
}
} // namespace

class TestRunProgress : public QObject {
    Q_OBJECT
private slots:
    // A stopped or failed run shows no live speed or ETA frozen at its last value; resumed, they come back.
    void aStoppedRunShowsNoLiveSpeed()
    {
        ui::RunProgress view;
        view.resize(1200, 160);
        view.show();
        view.setProgress(progressAt(400000, 40220));
        QVERIFY2(view.etaText().startsWith(QLatin1String("ETA ")), qPrintable(view.etaText()));
        view.setHalted(QStringLiteral("Stopped"));
        QCOMPARE(view.rateText(), QStringLiteral("Stopped: no rows are being written"));
        QVERIFY2(view.etaText().startsWith(QLatin1String("ETA: none while stopped")), qPrintable(view.etaText()));
        QVERIFY(view.rowsText().startsWith(QLatin1String("400,000 / 1,000,000 rows")));   // what was done stays
        QVERIFY(view.paceText().isEmpty());
        QTest::qWait(50);
        test::saveShots(&view, QStringLiteral("run_progress_stopped"));
        view.setProgress(progressAt(410000, 39000));
        QVERIFY2(view.rateText().contains(QLatin1String("rows/s")), qPrintable(view.rateText()));
        QVERIFY2(view.etaText().startsWith(QLatin1String("ETA ")) && !view.etaText().contains(QLatin1String("none")),
                 qPrintable(view.etaText()));
    }

    void fullGentleAndThrottledAreToldApart()
    {
        ui::RunProgress view;
        view.resize(1200, 160);   // as wide as it is in the Run tab at 1280x720
        view.show();

        view.setProgress(progressAt(100000, 200000));
        QCOMPARE(view.paceText(), QStringLiteral("Not throttled: running at full speed"));
        QVERIFY(view.throttleText().isEmpty());

        run::Progress gentle = progressAt(300000, 90000);
        gentle.pace = QStringLiteral("sharing the server with 212 writes/s of other sessions: short batches, pauses between them");
        view.setProgress(gentle);
        QVERIFY2(view.paceText().startsWith(QLatin1String("Gentle: sharing the server with 212 writes/s")),
                 qPrintable(view.paceText()));
        QVERIFY(view.throttleText().isEmpty());            // not the held (warning) look
        QVERIFY2(view.etaText().startsWith(QLatin1String("ETA ")) && !view.etaText().contains(QLatin1String("once it goes on")),
                 qPrintable(view.etaText()));             // the ETA runs on at the gentle rate
        QTest::qWait(50);   // let the layout take the new texts before the picture
        test::saveShots(&view, QStringLiteral("run_progress_gentle"));

        run::Progress held = progressAt(310000, 0);
        held.etaSeconds = -1;
        held.throttleReason = QStringLiteral("replica lag 3.2 s > 1 s");
        held.pace = gentle.pace;
        view.setProgress(held);
        QVERIFY2(view.throttleText().startsWith(QLatin1String("Throttled: replica lag")), qPrintable(view.throttleText()));
        QTest::qWait(50);
        test::saveShots(&view, QStringLiteral("run_progress_throttled"));
    }

    // Rows whose value could not be computed show at once, with a key, and stay shown to the end.
    // The throttle box says the target (300 ms); in gentle mode the backfill runs short batches whatever the
    // target, and the box says so beside it while it lasts (only while running).
    void theThrottleSaysWhatGentleModeDoes()
    {
        ui::RunControls controls;
        controls.show();
        controls.setMode(ui::RunControls::Mode::Running);
        QVERIFY(controls.paceNote().isEmpty());
        controls.setPaceNote(QStringLiteral("now gentle: 100-row batches"));
        QCOMPARE(controls.paceNote(), QStringLiteral("(now gentle: 100-row batches)"));
        controls.setMode(ui::RunControls::Mode::Paused);
        QVERIFY(controls.paceNote().isEmpty());
    }

    void failedRowsShowAtOnce()
    {
        ui::RunProgress view;
        view.resize(1200, 160);
        view.show();
        view.setProgress(progressAt(100000, 200000));
        QVERIFY(view.failedText().isEmpty());
        run::Progress p = progressAt(120000, 200000);
        p.rowsFailed = 1;
        p.failedSample = QStringLiteral("key {\"id\": 4711}: invalid input syntax for type numeric: \"placedx\"");
        view.setProgress(p);
        QVERIFY2(view.failedText().startsWith(QStringLiteral("⚠ 1 row could not compute the new column")), qPrintable(view.failedText()));
        QVERIFY(view.failedText().contains(QLatin1String("{\"id\": 4711}")));
        QVERIFY(view.failedText().contains(QLatin1String("The switch waits until it is fixed")));
        view.setFinished();
        QVERIFY(!view.failedText().isEmpty());
        QTest::qWait(50);
        test::saveShots(&view, QStringLiteral("run_progress_failed_rows"));
        // On a dark palette the warning is re-inked to stay legible.
        const QPalette light = QApplication::palette();
        QApplication::setPalette(test::darkPalette());
        QTest::qWait(50);
        test::saveShots(&view, QStringLiteral("run_progress_failed_rows_dark"));
        QApplication::setPalette(light);
        view.setIdle(QStringLiteral("Rolled back."));
        QVERIFY(view.failedText().isEmpty());
    }
};

QTEST_MAIN(TestRunProgress)
#include "test_run_progress.moc"
