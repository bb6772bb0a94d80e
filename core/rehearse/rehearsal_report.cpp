// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/rehearse/rehearsal_report.h"

#include "core/plan/lock_risk.h"
#include "core/plan/plan_render.h"

#include <QJsonArray>

namespace lockstep::rehearse {

namespace {
QString ratio(const StepTiming& s)
{
    if (s.estimatedSeconds <= 0 || s.scaledSeconds <= 0)
        return QStringLiteral("-");
    return QString::number(s.scaledSeconds / s.estimatedSeconds, 'f', 2) + QLatin1Char('x');
}

QString rehearsed(const StepTiming& s)
{
    if (s.state == QLatin1String("pending"))
        return QStringLiteral("not reached");
    QString out = formatDuration(s.rehearsedSeconds);
    if (s.scaled)
        out += QStringLiteral(" (%1 at full size)").arg(formatDuration(s.scaledSeconds));
    return out;
}

QString copyLine(const RehearsalReport& r)
{
    return QStringLiteral("%1 synthetic rows shaped by the table's statistics (production: %2%3); %4")
        .arg(groupedCount(r.copyRows), groupedCount(r.productionRows),
             r.rowScale > 1 ? QStringLiteral(", row-bound steps scaled %1x").arg(r.rowScale, 0, 'f', 1) : QString(), r.server);
}

// Markdown table cells and list items: a | would end the cell, < > would read as HTML.
QString md(QString text)
{
    return text.replace(QLatin1Char('|'), QLatin1String("\\|")).replace(QLatin1Char('<'), QLatin1String("&lt;")).replace(QLatin1Char('>'), QLatin1String("&gt;"));
}

QJsonObject latencyJson(const LatencySummary& l)
{
    return QJsonObject{{QStringLiteral("statements"), l.statements}, {QStringLiteral("failed"), l.failed},
                       {QStringLiteral("p50_ms"), l.p50Ms}, {QStringLiteral("p99_ms"), l.p99Ms}, {QStringLiteral("max_ms"), l.maxMs}};
}

QString latencyText(const LatencySummary& l)
{
    return l.statements == 0 ? QStringLiteral("-")
                             : QStringLiteral("p99 %1 ms, max %2 ms").arg(l.p99Ms, 0, 'f', 1).arg(l.maxMs, 0, 'f', 1);
}

QString trafficLine(const TrafficReport& t)
{
    if (!t.replayed)
        return t.source.isEmpty() ? QStringLiteral("none replayed") : t.source;
    return QStringLiteral("%1 inserts, %2 updates, %3 deletes, %4 reads a second (%5); the application's statements: before "
                          "the run p50 %6 ms / p99 %7 ms, during it p50 %8 ms / p99 %9 ms, the slowest %10 ms; %11 failed")
        .arg(t.rates.insertsPerSecond, 0, 'f', 0).arg(t.rates.updatesPerSecond, 0, 'f', 0).arg(t.rates.deletesPerSecond, 0, 'f', 0)
        .arg(t.rates.readsPerSecond, 0, 'f', 0).arg(t.source)
        .arg(t.baseline.p50Ms, 0, 'f', 2).arg(t.baseline.p99Ms, 0, 'f', 2).arg(t.during.p50Ms, 0, 'f', 2).arg(t.during.p99Ms, 0, 'f', 2)
        .arg(t.during.maxMs, 0, 'f', 1).arg(t.during.failed);
}

QString verdict(const RehearsalReport& r)
{
    return r.ok() ? QStringLiteral("every step ran on the copy") : QStringLiteral("problems found: %1").arg(r.problems.size());
}
} // namespace

QString renderText(const RehearsalReport& r)
{
    QString out = QStringLiteral("Rehearsal: %1 on a copy of %2 -- %3\n").arg(r.change, r.table, verdict(r));
    out += QStringLiteral("Copy: %1\n").arg(copyLine(r));
    out += QStringLiteral("Traffic: %1\n").arg(trafficLine(r.traffic));
    out += QStringLiteral("%1  %2  %3  %4  %5\n").arg(QStringLiteral("step").leftJustified(26), QStringLiteral("estimated").leftJustified(10),
                                                   QStringLiteral("rehearsed").leftJustified(30), QStringLiteral("ratio").leftJustified(6),
                                                   QStringLiteral("the application's statements"));
    for (const StepTiming& s : r.steps)
        out += QStringLiteral("%1  %2  %3  %4  %5\n").arg(s.id.leftJustified(26), formatDuration(s.estimatedSeconds).leftJustified(10),
                                                       rehearsed(s).leftJustified(30), ratio(s).leftJustified(6), latencyText(s.traffic));
    out += QStringLiteral("WAL written by the run: %1; the rehearsal took %2\n").arg(humanBytes(r.walBytes), formatDuration(r.seconds));
    for (const ColumnFidelity& c : r.columns)
        out += QStringLiteral("  column %1: NULLs %2 % (source %3 %), distinct %4 (source %5)\n")
                   .arg(c.name).arg(c.nullFracCopy * 100, 0, 'f', 1).arg(c.nullFracSource * 100, 0, 'f', 1)
                   .arg(groupedCount(qint64(c.distinctCopy)), groupedCount(qint64(c.distinctSource)));
    for (const QString& m : r.madeUp)
        out += QStringLiteral("Made up: %1\n").arg(m);
    for (const QString& l : r.leftOut)
        out += QStringLiteral("Not in the copy: %1\n").arg(l);
    for (const QString& p : r.problems)
        out += QStringLiteral("PROBLEM: %1\n").arg(p);
    out += QStringLiteral("Production was only read; the copy is gone.\n");
    return out;
}

QJsonObject toJson(const RehearsalReport& r)
{
    QJsonArray steps, columns;
    for (const StepTiming& s : r.steps)
        steps.append(QJsonObject{{QStringLiteral("id"), s.id}, {QStringLiteral("title"), s.title}, {QStringLiteral("state"), s.state},
                                 {QStringLiteral("attempts"), s.attempts}, {QStringLiteral("estimated_seconds"), s.estimatedSeconds},
                                 {QStringLiteral("rehearsed_seconds"), s.rehearsedSeconds}, {QStringLiteral("scaled_seconds"), s.scaledSeconds},
                                 {QStringLiteral("scaled"), s.scaled}, {QStringLiteral("error"), s.error},
                                 {QStringLiteral("traffic"), latencyJson(s.traffic)}});
    for (const ColumnFidelity& c : r.columns)
        columns.append(QJsonObject{{QStringLiteral("name"), c.name}, {QStringLiteral("null_frac_source"), c.nullFracSource},
                                   {QStringLiteral("null_frac_copy"), c.nullFracCopy}, {QStringLiteral("distinct_source"), c.distinctSource},
                                   {QStringLiteral("distinct_copy"), c.distinctCopy}});
    return QJsonObject{{QStringLiteral("table"), r.table}, {QStringLiteral("change"), r.change}, {QStringLiteral("outcome"), r.outcome},
                       {QStringLiteral("ok"), r.ok()}, {QStringLiteral("message"), r.message}, {QStringLiteral("server"), r.server},
                       {QStringLiteral("production_rows"), double(r.productionRows)}, {QStringLiteral("copy_rows"), double(r.copyRows)},
                       {QStringLiteral("row_scale"), r.rowScale}, {QStringLiteral("seconds"), r.seconds},
                       {QStringLiteral("wal_bytes"), double(r.walBytes)}, {QStringLiteral("steps"), steps},
                       {QStringLiteral("columns"), columns}, {QStringLiteral("made_up"), QJsonArray::fromStringList(r.madeUp)},
                       {QStringLiteral("left_out"), QJsonArray::fromStringList(r.leftOut)},
                       {QStringLiteral("problems"), QJsonArray::fromStringList(r.problems)},
                       {QStringLiteral("traffic"), QJsonObject{{QStringLiteral("replayed"), r.traffic.replayed},
                                                               {QStringLiteral("source"), r.traffic.source},
                                                               {QStringLiteral("inserts_per_second"), r.traffic.rates.insertsPerSecond},
                                                               {QStringLiteral("updates_per_second"), r.traffic.rates.updatesPerSecond},
                                                               {QStringLiteral("deletes_per_second"), r.traffic.rates.deletesPerSecond},
                                                               {QStringLiteral("reads_per_second"), r.traffic.rates.readsPerSecond},
                                                               {QStringLiteral("baseline"), latencyJson(r.traffic.baseline)},
                                                               {QStringLiteral("during"), latencyJson(r.traffic.during)},
                                                               {QStringLiteral("first_error"), r.traffic.firstError}}}};
}

QString renderMarkdown(const RehearsalReport& r)
{
    QString out = QStringLiteral("### Rehearsal: %1 on `%2`\n\n**%3.** %4.\n\n").arg(r.change, r.table, verdict(r), copyLine(r));
    out += QStringLiteral("Traffic: %1.\n\n").arg(md(trafficLine(r.traffic)));
    out += QStringLiteral("| Step | Estimated | Rehearsed | Rehearsed / estimated | The application's statements |\n|---|---|---|---|---|\n");
    for (const StepTiming& s : r.steps)
        out += QStringLiteral("| %1 | %2 | %3 | %4 | %5 |\n").arg(md(s.title), formatDuration(s.estimatedSeconds), rehearsed(s), ratio(s),
                                                              latencyText(s.traffic));
    out += QStringLiteral("\nWAL written by the run: %1. The rehearsal took %2.\n").arg(humanBytes(r.walBytes), formatDuration(r.seconds));
    for (const QString& p : r.problems)
        out += QStringLiteral("\n- **Problem:** %1").arg(md(p));
    for (const QString& l : r.leftOut)
        out += QStringLiteral("\n- Not in the copy: %1").arg(md(l));
    for (const QString& m : r.madeUp)
        out += QStringLiteral("\n- Made up: %1").arg(md(m));
    return out + QStringLiteral("\n");
}

} // namespace lockstep::rehearse
