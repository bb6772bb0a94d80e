// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/run/run_options_json.h"

#include <cmath>

namespace lockstep::run {

namespace {
// One option: its JSON key, its CLI flag, and how to read and write it as a whole number.
struct Field {
    const char* key;
    const char* flag;
    int (*get)(const JournaledOptions&);
    void (*set)(JournaledOptions&, int);
};

const Field kFields[] = {
    {"lock_timeout_ms", "--lock-timeout", [](const JournaledOptions& o) { return o.run.lockTimeoutMs; },
     [](JournaledOptions& o, int v) { o.run.lockTimeoutMs = v; }},
    {"lock_wait_start_ms", "--lock-wait-start-ms", [](const JournaledOptions& o) { return o.run.lockWaitStartMs; },
     [](JournaledOptions& o, int v) { o.run.lockWaitStartMs = v; }},
    {"free_moment_ms", "--free-moment-ms", [](const JournaledOptions& o) { return o.run.freeMomentMs; },
     [](JournaledOptions& o, int v) { o.run.freeMomentMs = v; }},
    {"target_batch_ms", "--target-batch-ms", [](const JournaledOptions& o) { return o.run.targetBatchMs; },
     [](JournaledOptions& o, int v) { o.run.targetBatchMs = v; }},
    {"max_rows_per_sec", "--max-rows-per-sec", [](const JournaledOptions& o) { return o.run.maxRowsPerSecond; },
     [](JournaledOptions& o, int v) { o.run.maxRowsPerSecond = v; }},
    {"max_lag_ms", "--max-lag-ms", [](const JournaledOptions& o) { return int(std::lround(o.maxLagSeconds * 1000)); },
     [](JournaledOptions& o, int v) { o.maxLagSeconds = v / 1000.0; }},
};
} // namespace

QJsonObject optionsToJson(const JournaledOptions& options)
{
    QJsonObject json;
    for (const Field& f : kFields)
        json.insert(QLatin1String(f.key), f.get(options));
    json.insert(QStringLiteral("yield_to_traffic"), options.run.yieldToTraffic);
    return json;
}

JournaledOptions optionsFromJson(const QJsonObject& json, const JournaledOptions& base)
{
    JournaledOptions out = base;
    for (const Field& f : kFields) {
        const QJsonValue v = json.value(QLatin1String(f.key));
        if (v.isDouble())
            f.set(out, v.toInt());
    }
    if (json.value(QStringLiteral("yield_to_traffic")).isBool())
        out.run.yieldToTraffic = json.value(QStringLiteral("yield_to_traffic")).toBool();
    return out;
}

QStringList changedOptions(const JournaledOptions& from, const JournaledOptions& to)
{
    QStringList out;
    for (const Field& f : kFields) {
        if (f.get(from) != f.get(to))
            out << QStringLiteral("%1 %2 (was %3)").arg(QLatin1String(f.flag)).arg(f.get(to)).arg(f.get(from));
    }
    if (from.run.yieldToTraffic != to.run.yieldToTraffic)
        out << (to.run.yieldToTraffic ? QStringLiteral("yielding to traffic (was --full-speed)") : QStringLiteral("--full-speed (was yielding to traffic)"));
    return out;
}

JournaledOptions withGivenFlags(const JournaledOptions& base, const JournaledOptions& from, const QStringList& given)
{
    JournaledOptions out = base;
    for (const Field& f : kFields)
        if (given.contains(QLatin1String(f.flag + 2)))   // the flag without its "--"
            f.set(out, f.get(from));
    if (given.contains(QLatin1String("full-speed")))
        out.run.yieldToTraffic = from.run.yieldToTraffic;
    return out;
}

QString optionsAsFlags(const JournaledOptions& options)
{
    QStringList out;
    for (const Field& f : kFields)
        out << QStringLiteral("%1 %2").arg(QLatin1String(f.flag)).arg(f.get(options));
    if (!options.run.yieldToTraffic)
        out << QStringLiteral("--full-speed");
    return out.join(QLatin1Char(' '));
}

} // namespace lockstep::run
