// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/run_driver.h"

#include "app/cli/cli.h"
#include "app/cli/console.h"
#include "app/cli/progress_line.h"
#include "core/run/left_installed.h"
#include "core/run/run_session.h"
#include "core/store/journal.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>
#include <atomic>
#include <csignal>
#include <unistd.h>

namespace lockstep::cli {

namespace {
std::atomic<int> g_signal{0};
extern "C" void onSignal(int sig) { g_signal = sig; }

struct SignalGuard {
    SignalGuard()
    {
        g_signal = 0;
        m_int = std::signal(SIGINT, onSignal);
        m_term = std::signal(SIGTERM, onSignal);
    }
    ~SignalGuard()
    {
        std::signal(SIGINT, m_int);
        std::signal(SIGTERM, m_term);
    }
    void (*m_int)(int);
    void (*m_term)(int);
};
} // namespace

int driveRun(const QString& conninfo, const QString& journalPath, qint64 runId, const run::RunOptions& options,
             double maxLagSeconds, RunAction action)
{
    run::registerRunMetaTypes();
    // Step titles for the messages, from the journal's copy of the plan.
    QStringList titles;
    {
        store::Journal journal(journalPath);
        if (const auto record = journal.run(runId))
            for (const Step& s : record->plan.steps)
                titles << QStringLiteral("%1 %2").arg(phaseName(s.phase), s.title);
    }
    auto stepName = [&](int index) {
        return QStringLiteral("step %1/%2 (%3)").arg(index + 1).arg(titles.size()).arg(titles.value(index));
    };
    const bool terminal = isatty(STDERR_FILENO);
    SignalGuard signalGuard;

    run::RunSession session(conninfo, journalPath, runId, options, maxLagSeconds);

    QEventLoop loop;
    QString outcome, message;
    bool interrupted = false;
    run::Progress last;
    bool haveProgress = false;
    QElapsedTimer sinceLine;
    sinceLine.start();
    bool barShown = false;
    auto endBar = [&] {
        if (barShown)
            err() << "\n";
        barShown = false;
    };

    QObject::connect(&session, &run::RunSession::stepStateChanged, &loop, [&](int index, const QString& state, const QString& msg) {
        endBar();
        haveProgress = false;   // a new step: the last backfill figures are no longer news
        err() << stepName(index) << ": " << state;
        if (!msg.isEmpty())
            err() << " - " << msg;
        err() << Qt::endl;
    });
    QObject::connect(&session, &run::RunSession::waitingForLock, &loop,
                     [&](int index, const QVector<run::BlockingSession>& blockers, int attempt) {
        endBar();
        err() << stepName(index) << QStringLiteral(": waiting for its lock (attempt %1)").arg(attempt);
        for (const run::BlockingSession& b : blockers)
            err() << QStringLiteral("\n    blocked by pid %1 (%2, %3, %4 s): %5")
                         .arg(b.pid).arg(b.user, b.state).arg(b.ageSeconds, 0, 'f', 1).arg(b.query.left(120).simplified());
        err() << Qt::endl;
    });
    QObject::connect(&session, &run::RunSession::progress, &loop, [&](const run::Progress& p) {
        last = p;
        haveProgress = true;
        if (terminal) {   // one line redrawn in place
            err() << "\r" << progressLine(p, true) << "\x1b[K";
            err().flush();
            barShown = true;
        }
    });
    QObject::connect(&session, &run::RunSession::finished, &loop, [&](const QString& o, const QString& m) {
        outcome = o;
        message = m;
        loop.quit();
    });
    // Not a terminal: one status line per second. Signals are polled: a handler may only set a flag.
    QTimer tick;
    QObject::connect(&tick, &QTimer::timeout, &loop, [&] {
        if (g_signal && !interrupted) {
            interrupted = true;
            endBar();
            err() << "lockstep: interrupted: stopping after the current statement; the run stays resumable" << Qt::endl;
            session.abort();
        }
        if (!terminal && haveProgress && sinceLine.elapsed() >= 1000) {
            err() << progressLine(last, false) << Qt::endl;
            sinceLine.restart();
            haveProgress = false;   // print again only when new figures arrive
        }
    });
    tick.start(100);

    QObject::connect(&session, &run::RunSession::monitorFailed, &loop, [&](const QString& message) {
        endBar();
        err() << "monitor: " << message << " (replica lag and lock waits are not watched until it reconnects)" << Qt::endl;
    });
    session.start(action == RunAction::Start ? run::RunSession::Action::Start : run::RunSession::Action::Rollback);
    loop.exec();
    endBar();

    if (outcome == QLatin1String("done") || outcome == QLatin1String("rolled-back")) {
        err() << QStringLiteral("run %1: %2").arg(runId).arg(outcome) << (message.isEmpty() ? QString() : QStringLiteral(" - ") + message) << Qt::endl;
        return ExitOk;
    }
    err() << QStringLiteral("run %1: %2").arg(runId).arg(outcome) << (message.isEmpty() ? QString() : QStringLiteral(" - ") + message) << Qt::endl;
    if (outcome == QLatin1String("refused"))   // another run holds the table: nothing of this one ran
        return ExitOwned;
    if (interrupted || outcome == QLatin1String("paused")) {
        err() << QStringLiteral("resume with: lockstep resume %1").arg(runId) << Qt::endl;
        return ExitInterrupted;
    }
    {
        // What the application lives with until the operator decides (a failed step leaves the earlier ones).
        store::Journal journal(journalPath);
        if (const auto record = journal.run(runId)) {
            const QStringList installed = run::leftInstalled(record->plan, journal.steps(runId));
            err() << (installed.isEmpty() ? QStringLiteral("nothing of this run is installed on the server")
                                          : QStringLiteral("still installed:\n  - %1").arg(installed.join(QStringLiteral("\n  - "))))
                  << Qt::endl;
        }
    }
    err() << QStringLiteral("the run is resumable: lockstep resume %1, or undo it: lockstep rollback %1").arg(runId) << Qt::endl;
    return ExitStepFailed;
}

} // namespace lockstep::cli
