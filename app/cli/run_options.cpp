// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/run_options.h"

#include "core/store/journal.h"

namespace lockstep::cli {

namespace {
std::optional<int> intFlag(const QCommandLineParser& p, const QString& flag, int min, int max, QString* error)
{
    bool ok = false;
    const int v = p.value(flag).toInt(&ok);
    if (!ok || v < min || v > max) {
        *error = QStringLiteral("--%1: expected a whole number from %2 to %3").arg(flag).arg(min).arg(max);
        return std::nullopt;
    }
    return v;
}
} // namespace

void addRunTuningOptions(QCommandLineParser& p, bool dbRequired)
{
    p.addOptions({
        {QStringLiteral("db"),
         dbRequired ? QStringLiteral("libpq connection string or URI (PG* variables, ~/.pgpass and services apply).")
                    : QStringLiteral("Connection string to use instead of the journal's (which never holds a password)."),
         QStringLiteral("CONNINFO")},
        {QStringLiteral("lock-timeout"), QStringLiteral("The longest lock_timeout in ms of a blocking DDL attempt, reached after repeated "
                                                        "failures (default 1000)."), QStringLiteral("MS"), QStringLiteral("1000")},
        {QStringLiteral("lock-wait-start-ms"), QStringLiteral("The first attempts' lock_timeout in ms: what the application's statements queued "
                                                              "behind a waiting DDL pay at most (default 20; at least --lock-timeout: every attempt "
                                                              "waits --lock-timeout)."), QStringLiteral("MS"), QStringLiteral("20")},
        {QStringLiteral("free-moment-ms"), QStringLiteral("How long a brief-lock step first tries LOCK TABLE ... NOWAIT, which never makes the "
                                                          "application wait, before it waits in line (default 2000; 0: wait in line at once)."),
         QStringLiteral("MS"), QStringLiteral("2000")},
        {QStringLiteral("target-batch-ms"), QStringLiteral("The backfill adapts its batch size toward this batch time (default 300)."), QStringLiteral("N"), QStringLiteral("300")},
        {QStringLiteral("max-lag-ms"), QStringLiteral("Hold the backfill while a replica replays more than this far behind (default 1000; 0: do not watch)."),
         QStringLiteral("N"), QStringLiteral("1000")},
        {QStringLiteral("max-rows-per-sec"), QStringLiteral("Backfill rate cap in rows per second (default 0: none)."), QStringLiteral("N"), QStringLiteral("0")},
        {QStringLiteral("full-speed"), QStringLiteral("Do not yield to other sessions' writes (by default the backfill takes short batches "
                                                      "and pauses while others write, e.g. in a maintenance window).")},
        {QStringLiteral("journal"), QStringLiteral("The run journal (default: %1).").arg(store::Journal::defaultPath()), QStringLiteral("PATH"),
         store::Journal::defaultPath()},
    });
}

std::optional<run::RunOptions> runOptionsFrom(const QCommandLineParser& p, QString* error)
{
    run::RunOptions o;
    const auto lock = intFlag(p, QStringLiteral("lock-timeout"), 1, 600000, error);
    const auto start = lock ? intFlag(p, QStringLiteral("lock-wait-start-ms"), 1, 600000, error) : std::nullopt;
    const auto freeMoment = start ? intFlag(p, QStringLiteral("free-moment-ms"), 0, 600000, error) : std::nullopt;
    const auto target = freeMoment ? intFlag(p, QStringLiteral("target-batch-ms"), 10, 600000, error) : std::nullopt;
    const auto rate = target ? intFlag(p, QStringLiteral("max-rows-per-sec"), 0, 100000000, error) : std::nullopt;
    if (!rate)
        return std::nullopt;
    o.lockTimeoutMs = *lock;
    o.lockWaitStartMs = *start;
    o.freeMomentMs = *freeMoment;
    o.targetBatchMs = *target;
    o.maxRowsPerSecond = *rate;
    o.yieldToTraffic = !p.isSet(QStringLiteral("full-speed"));
    return o;
}

std::optional<double> maxLagSecondsFrom(const QCommandLineParser& p, QString* error)
{
    const auto ms = intFlag(p, QStringLiteral("max-lag-ms"), 0, 3600000, error);
    return ms ? std::optional<double>(*ms / 1000.0) : std::nullopt;
}

run::JournaledOptions resumedOptions(const QCommandLineParser& p, const run::JournaledOptions& journaled,
                                     const run::RunOptions& parsed, double parsedLagSeconds)
{
    return run::withGivenFlags(journaled, {parsed, parsedLagSeconds}, p.optionNames());
}

std::optional<qint64> runIdFrom(const QCommandLineParser& p, QString* error)
{
    const QStringList args = p.positionalArguments();
    bool ok = false;
    const qint64 id = args.size() == 1 ? args.first().toLongLong(&ok) : 0;
    if (!ok || id <= 0) {
        *error = args.isEmpty() ? QStringLiteral("RUN_ID: required (see lockstep status)")
                                : QStringLiteral("RUN_ID: \"%1\" is not a run id").arg(args.join(QLatin1Char(' ')));
        return std::nullopt;
    }
    return id;
}

} // namespace lockstep::cli
