// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/plan/plan_view_summary.h"

#include "core/plan/plan_render.h"
#include "ui/common/display_format.h"
#include "ui/common/risk_palette.h"

#include <algorithm>

namespace lockstep::ui {

namespace {
QString stepsWord(int n) { return n == 1 ? QStringLiteral("1 step") : QStringLiteral("%1 steps").arg(n); }
QString takeWord(int n) { return n == 1 ? QStringLiteral("takes") : QStringLiteral("take"); }

int phaseCount(const Plan& plan)
{
    QVector<Phase> seen;
    for (const Step& s : plan.steps)
        if (!seen.contains(s.phase))
            seen << s.phase;
    return seen.size();
}
} // namespace

PlanRiskSummary summarizePlanRisk(const Plan& plan, const pg::TableStats* stats, int lockTimeoutMs)
{
    PlanRiskSummary out;
    const QString timeout = formatDuration(lockTimeoutMs / 1000.0);
    const double writes = stats ? stats->writesPerSecond : 0;
    const double reads = stats ? stats->readsPerSecond : 0;
    const QString size = stats ? sizeText(stats->totalBytes) : QStringLiteral("the table");

    out.headline = QStringLiteral("%1 on %2: %3 in %4 phases, about %5 in total.")
                       // The name as the DBA knows it (public.orders), not as the SQL quotes it.
                       .arg(describeChange(plan), stats ? stats->qualifiedName() : plan.table, stepsWord(plan.steps.size()))
                       .arg(phaseCount(plan))
                       .arg(formatDuration(plan.estimatedSeconds()));

    if (stats)
        out.lines << QStringLiteral("The table now: %1, %2 rows, %3 and %4; lock risk %5 (%6)%7.")
                         .arg(sizeText(stats->totalBytes), countText(stats->rows), rateText(writes, QStringLiteral("writes/s")),
                              rateText(reads, QStringLiteral("reads/s")))
                         .arg(stats->risk)
                         .arg(riskWord(stats->risk))
                         .arg(stats->riskReasons.isEmpty() ? QString() : QStringLiteral(": ") + stats->riskReasons.first());
    else
        out.lines << QStringLiteral("The table's size and traffic are not known yet (refresh the catalog with F5).");

    QVector<const Step*> exclusive, writeBlocking, rewriting, scanning;
    const Step* backfill = nullptr;
    for (const Step& s : plan.steps) {
        const LockSeverity sev = lockSeverity(s.lock);
        if (s.rewrites)
            rewriting << &s;
        else if (sev == LockSeverity::ReadsAndWrites)
            exclusive << &s;
        else if (sev == LockSeverity::Writes)
            writeBlocking << &s;
        if (s.backfill)
            backfill = &s;
        else if (s.scans && !s.rewrites)
            scanning << &s;
    }

    if (!rewriting.isEmpty()) {
        double held = 0;
        for (const Step* s : rewriting)
            held = std::max(held, s->estimatedSeconds);
        out.lines << QStringLiteral("⚠ %1 %2 the whole table (%3) while holding its lock: reads and writes stop for about %4.")
                         .arg(stepsWord(rewriting.size()), rewriting.size() == 1 ? QStringLiteral("rewrites") : QStringLiteral("rewrite"),
                              size, formatDuration(held));
    }
    if (!exclusive.isEmpty()) {
        const Step* longest = *std::max_element(exclusive.begin(), exclusive.end(),
                                                [](const Step* a, const Step* b) { return a->estimatedSeconds < b->estimatedSeconds; });
        QString line = QStringLiteral("%1 %2 ACCESS EXCLUSIVE briefly (longest about %3: %4).")
                           .arg(stepsWord(exclusive.size()), takeWord(exclusive.size()),
                                formatDuration(longest->estimatedSeconds), longest->title);
        if (writes > 0 || reads > 0)
            line += QStringLiteral(" With %1 on the table, queued writers (and readers) wait up to the %2 lock_timeout at "
                                   "each — about %3 writes held back — before the step gives up and retries.")
                        .arg(rateText(writes, QStringLiteral("writes/s")), timeout,
                             groupedNumber(qint64(writes * lockTimeoutMs / 1000.0 + 0.5)));
        else
            line += QStringLiteral(" No writes on the table right now, so each should be granted at once; none waits "
                                   "longer than the %1 lock_timeout, so traffic never queues behind it for long.")
                        .arg(timeout);
        out.lines << line;
    }
    if (!writeBlocking.isEmpty()) {
        QStringList modes;
        for (const Step* s : writeBlocking)
            if (!modes.contains(lockModeName(*s->lock)))
                modes << lockModeName(*s->lock);
        out.lines << QStringLiteral("%1 %2 %3, which blocks writes but not reads, for an instant%4.")
                         .arg(stepsWord(writeBlocking.size()), takeWord(writeBlocking.size()), modes.join(QStringLiteral(" or ")),
                              writes > 0 ? QStringLiteral(" (writers wait up to the %1 lock_timeout)").arg(timeout) : QString());
    }
    if (!scanning.isEmpty()) {
        double total = 0;
        for (const Step* s : scanning)
            total += s->estimatedSeconds;
        out.lines << QStringLiteral("%1 %2 the whole table (%3), about %4 together, while reads and writes continue "
                                    "(VALIDATE, CREATE INDEX CONCURRENTLY).")
                         .arg(stepsWord(scanning.size()), scanning.size() == 1 ? QStringLiteral("scans") : QStringLiteral("scan"),
                              size, formatDuration(total));
    }
    if (backfill)
        out.lines << QStringLiteral("The backfill updates %1 rows in small batches (about %2); each batch holds its rows' "
                                    "locks until it commits, so a write to one of those rows waits up to one batch.")
                         .arg(stats ? countText(stats->rows) : QStringLiteral("all"), formatDuration(backfill->estimatedSeconds));

    const auto noReturn = std::find_if(plan.steps.begin(), plan.steps.end(), [](const Step& s) { return !s.reversible; });
    if (noReturn != plan.steps.end())   // in the headline too: it stays in view above the timeline
        out.headline += QStringLiteral(" No way back from step %1.").arg(int(noReturn - plan.steps.begin()) + 1);
    if (noReturn == plan.steps.end())
        out.lines << QStringLiteral("Every step can be rolled back.");
    else
        out.lines << QStringLiteral("Rollback is possible up to step %1; step %2 (%3) is the point of no return.")
                         .arg(int(noReturn - plan.steps.begin()))
                         .arg(int(noReturn - plan.steps.begin()) + 1)
                         .arg(noReturn->title);

    if (!plan.estimateSource.isEmpty())   // measured on this server, or the default model
        out.lines << QStringLiteral("Estimates: %1.").arg(plan.estimateSource);
    if (plan.disk.known)   // what to check free disk and the replicas' WAL against
        out.lines << QStringLiteral("Disk: %1; %2.").arg(plan.disk.summary(), plan.disk.rollbackNote().isEmpty()
                                                                                ? plan.disk.basis : plan.disk.rollbackNote());
    out.lines << plan.roleNotes;   // privileges this role lacks, with their GRANT

    if (!rewriting.isEmpty()) {
        out.impact = LockSeverity::ReadsAndWrites;
        out.impactWord = QStringLiteral("blocks traffic");
    } else if (!exclusive.isEmpty() || !writeBlocking.isEmpty()) {
        out.impact = LockSeverity::Writes;
        out.impactWord = QStringLiteral("brief locks only");
    } else {
        out.impact = LockSeverity::None;
        out.impactWord = QStringLiteral("no blocking locks");
    }
    return out;
}

QString PlanRiskSummary::headlineHtml() const
{
    const QColor fill = lockColor(impact);
    return QStringLiteral("<span style=\"background-color:%1; color:%2; font-weight:bold;\">&nbsp;%3&nbsp;</span> "
                          "<b>%4</b>")
        .arg(fill.name(), textColorOn(fill).name(), impactWord.toUpper().toHtmlEscaped(), headline.toHtmlEscaped());
}

QString PlanRiskSummary::linesHtml() const
{
    QStringList html;
    for (const QString& line : lines)
        html << QStringLiteral("•&nbsp;") + line.toHtmlEscaped();
    return html.join(QStringLiteral("<br>"));
}

QString PlanRiskSummary::toHtml() const { return headlineHtml() + QStringLiteral("<br>") + linesHtml(); }

QString PlanRiskSummary::toPlainText() const
{
    return (QStringList{impactWord.toUpper() + QLatin1Char(' ') + headline} + lines).join(QLatin1Char('\n'));
}

} // namespace lockstep::ui
