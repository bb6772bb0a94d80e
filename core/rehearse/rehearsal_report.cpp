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

QString verdict(const RehearsalReport& r)
{
    return r.ok() ? QStringLiteral("every step ran on the copy") : QStringLiteral("problems found: %1").arg(r.problems.size());
}
} // namespace

QString renderText(const RehearsalReport& r)
{
    QString out = QStringLiteral("Rehearsal: %1 on a copy of %2 -- %3\n").arg(r.change, r.table, verdict(r));
    out += QStringLiteral("Copy: %1\n").arg(copyLine(r));
    out += QStringLiteral("%1  %2  %3  %4\n").arg(QStringLiteral("step").leftJustified(26), QStringLiteral("estimated").leftJustified(10),
                                               QStringLiteral("rehearsed").leftJustified(30), QStringLiteral("rehearsed/estimated"));
    for (const StepTiming& s : r.steps)
        out += QStringLiteral("%1  %2  %3  %4\n").arg(s.id.leftJustified(26), formatDuration(s.estimatedSeconds).leftJustified(10),
                                                   rehearsed(s).leftJustified(30), ratio(s));
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
                                 {QStringLiteral("scaled"), s.scaled}, {QStringLiteral("error"), s.error}});
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
                       {QStringLiteral("problems"), QJsonArray::fromStringList(r.problems)}};
}

QString renderMarkdown(const RehearsalReport& r)
{
    QString out = QStringLiteral("### Rehearsal: %1 on `%2`\n\n**%3.** %4.\n\n").arg(r.change, r.table, verdict(r), copyLine(r));
    out += QStringLiteral("| Step | Estimated | Rehearsed | Rehearsed / estimated |\n|---|---|---|---|\n");
    for (const StepTiming& s : r.steps)
        out += QStringLiteral("| %1 | %2 | %3 | %4 |\n").arg(md(s.title), formatDuration(s.estimatedSeconds), rehearsed(s), ratio(s));
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
