// SPDX-License-Identifier: GPL-3.0-or-later
// The terminal summary of a plan.
#include "core/plan/plan_render.h"

#include "core/run/run_identity.h"

#include <QStringList>

namespace lockstep {

namespace {
QString badge(const Step& s)
{
    return QStringLiteral("[%1]").arg(s.lock ? lockModeName(*s.lock) : QStringLiteral("no lock"));
}

QString wrapped(const QString& text, const QString& indent, int width = 100)
{
    QString flat = text;
    flat.replace(QLatin1Char('\n'), QLatin1Char(' '));
    QString out;
    QString line = indent;
    for (const QString& w : flat.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (line.size() + 1 + w.size() > width && line.size() > indent.size()) {
            out += line + QLatin1Char('\n');
            line = indent;
        }
        if (line.size() > indent.size())
            line += QLatin1Char(' ');
        line += w;
    }
    return out + line + QLatin1Char('\n');
}
} // namespace

QString renderText(const Plan& plan)
{
    QString out;
    out += QStringLiteral("Plan: %1 on %2 (PostgreSQL %3)\n")
               .arg(describeChange(plan), plan.table, plan.serverVersion);
    out += QStringLiteral("%1 steps, estimated %2 in total\n")
               .arg(QString::number(plan.steps.size()), formatDuration(plan.estimatedSeconds()));
    if (!plan.estimateSource.isEmpty())
        out += QStringLiteral("Estimates: %1\n").arg(plan.estimateSource);
    if (plan.disk.known) {
        QString disk = wrapped(QStringLiteral("Disk: %1 (%2)").arg(plan.disk.summary(), plan.disk.basis), QStringLiteral("      "));
        out += disk.mid(6);   // the first line starts at the margin
        if (!plan.disk.rollbackNote().isEmpty())
            out += wrapped(plan.disk.rollbackNote(), QStringLiteral("      "));
    }
    if (const auto abandoned = run::RunIdentity::fromMark(plan.takesOver))
        out += QStringLiteral("Takes over: lockstep %1, unfinished; what it left on the table is adopted as this run's and "
                              "the steps it finished are found in the catalog\n").arg(abandoned->describe());
    if (!plan.proof.isEmpty())
        out += QStringLiteral("The new column's value on the table's rows: %1\n").arg(plan.proof);
    int badgeWidth = 0;
    for (const Step& s : plan.steps)
        badgeWidth = qMax(badgeWidth, int(badge(s).size()));
    for (int i = 0; i < plan.steps.size(); ++i) {
        const Step& s = plan.steps[i];
        QStringList flags;
        if (s.rewrites)
            flags << QStringLiteral("REWRITES");
        if (s.scans)
            flags << QStringLiteral("scans");
        if (!s.transactional)
            flags << QStringLiteral("no transaction");
        if (s.lock) {
            const QStringList blocks = lockBlocks(*s.lock);
            if (!blocks.isEmpty())
                flags << QStringLiteral("blocks %1").arg(blocks.join(QLatin1Char('+')));
        }
        flags << QStringLiteral("~") + formatDuration(s.estimatedSeconds);
        out += QStringLiteral("\n%1. %2 %3 %4\n")
                   .arg(QString::number(i + 1).rightJustified(2), badge(s).leftJustified(badgeWidth),
                        phaseName(s.phase).leftJustified(9), s.title);
        out += QStringLiteral("    %1  (%2)\n").arg(flags.join(QLatin1String(", ")), s.id);
        if (!s.reversible)
            out += QStringLiteral("    !! POINT OF NO RETURN: this step cannot be rolled back\n");
        out += wrapped(s.why, QStringLiteral("    "));
    }
    return out;
}

} // namespace lockstep
