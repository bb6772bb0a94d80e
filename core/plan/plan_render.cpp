// SPDX-License-Identifier: GPL-3.0-or-later
// The psql script rendering of a plan.
#include "core/plan/plan_render.h"

#include <QStringList>

namespace lockstep {

namespace {
// Wraps `text` into "-- " lines of at most about `width` characters.
QString commentWrapped(const QString& label, const QString& text, int width = 100)
{
    const QStringList words = commentSafe(text).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QString out;
    QString line = QStringLiteral("-- ") + label;
    for (const QString& w : words) {
        if (line.size() + 1 + w.size() > width && line.size() > 3 + label.size()) {
            out += line + QLatin1Char('\n');
            line = QStringLiteral("--   ");
        }
        if (!line.endsWith(QLatin1Char(' ')))
            line += QLatin1Char(' ');
        line += w;
    }
    return out + line + QLatin1Char('\n');
}

QString commentedBlock(const QString& sql, const QString& indent = QStringLiteral("--   "))
{
    QString out;
    for (const QString& line : sql.split(QLatin1Char('\n')))
        out += (indent + line).trimmed() == QLatin1String("--") ? QStringLiteral("--\n") : indent + line + QLatin1Char('\n');
    return out;
}

QString lockLine(const Step& s)
{
    QString lock = s.lock ? lockModeName(*s.lock) : QStringLiteral("none");
    if (s.lock) {
        const QStringList blocks = lockBlocks(*s.lock);
        lock += blocks.isEmpty() ? QStringLiteral(" (blocks no reads or writes)")
                                 : QStringLiteral(" (blocks %1)").arg(blocks.join(QLatin1String(" and ")));
    }
    QStringList flags;
    if (s.rewrites)
        flags << QStringLiteral("rewrites the table");
    if (s.scans)
        flags << QStringLiteral("scans the table");
    if (!s.transactional)
        flags << QStringLiteral("outside a transaction");
    if (!s.reversible)
        flags << QStringLiteral("IRREVERSIBLE");
    flags << QStringLiteral("est. ") + formatDuration(s.estimatedSeconds);
    return QStringLiteral("-- Lock: %1; %2\n").arg(lock, flags.join(QLatin1String("; ")));
}

QString stepLabel(const Plan& plan, int i)
{
    const Step& s = plan.steps[i];
    return QStringLiteral("[%1/%2] %3 (%4): %5").arg(QString::number(i + 1), QString::number(plan.steps.size()),
                                                    phaseName(s.phase), s.id, commentSafe(s.title));
}

QString forwardBlock(const Plan& plan, int i)
{
    const Step& s = plan.steps[i];
    QString out = QStringLiteral("\n-- ----------------------------------------------------------------------------\n");
    out += QStringLiteral("-- ") + stepLabel(plan, i) + QLatin1Char('\n');
    out += lockLine(s);
    out += commentWrapped(QStringLiteral("Why:"), s.why);
    if (s.statements.isEmpty()) {   // a gate: its sql is a comment already
        for (const QString& line : s.sql.split(QLatin1Char('\n')))
            out += (line.startsWith(QLatin1String("--")) ? line : QStringLiteral("-- ") + line) + QLatin1Char('\n');
        return out;
    }
    // One transaction per transactional step: a failure leaves nothing half done, and the script can be
    // rerun. CONCURRENTLY and the per-batch-committing backfill must run outside one.
    if (s.transactional)
        out += QStringLiteral("BEGIN;\n");
    out += s.statements.join(QLatin1Char('\n')) + QLatin1Char('\n');
    if (s.transactional)
        out += QStringLiteral("COMMIT;\n");
    return out;
}

QString lockTimeoutSetting(const Plan& plan)
{
    for (const Step& s : plan.steps) {
        for (const QString& st : s.statements) {
            if (st.startsWith(QLatin1String("SET lock_timeout = '")))
                return st;
        }
    }
    return QStringLiteral("SET lock_timeout = '1000ms';");
}
} // namespace

QString describeChange(const Plan& plan)
{
    const NewColumnChange& c = plan.change;
    if (c.kind == NewColumnChange::Kind::Replace)
        return QStringLiteral("replace column \"%1\" with \"%2\" %3").arg(c.oldColumn, c.column, c.type);
    return QStringLiteral("add column \"%1\" %2").arg(c.column, c.type);
}

QString formatDuration(double seconds)
{
    if (!(seconds > 0))
        return QStringLiteral("0 s");
    // Below a second, milliseconds read better than "0.00033 s"; under one, it is an instant.
    if (seconds < 0.001)
        return QStringLiteral("< 1 ms");
    if (seconds < 1)
        return QStringLiteral("%1 ms").arg(qRound(seconds * 1000));
    if (seconds < 10)
        return QStringLiteral("%1 s").arg(QString::number(seconds, 'f', 1));
    const qint64 total = qint64(seconds + 0.5);
    if (total < 60)
        return QStringLiteral("%1 s").arg(total);
    if (total < 3600)
        return total % 60 ? QStringLiteral("%1 min %2 s").arg(total / 60).arg(total % 60)
                          : QStringLiteral("%1 min").arg(total / 60);
    const qint64 minutes = (total + 30) / 60;
    return minutes % 60 ? QStringLiteral("%1 h %2 min").arg(minutes / 60).arg(minutes % 60)
                        : QStringLiteral("%1 h").arg(minutes / 60);
}

QString renderSqlScript(const Plan& plan)
{
    QString out;
    out += QStringLiteral("-- Lockstep plan: %1 on %2\n").arg(commentSafe(describeChange(plan)), commentSafe(plan.table));
    out += QStringLiteral("-- Server: PostgreSQL %1 (server_version_num %2)\n")
               .arg(plan.serverVersion, QString::number(plan.serverVersionNum));
    out += QStringLiteral("-- Steps: %1, estimated %2 in total\n")
               .arg(QString::number(plan.steps.size()), formatDuration(plan.estimatedSeconds()));
    out += QStringLiteral("-- Run it with: psql -v ON_ERROR_STOP=1 -f THIS_FILE, not inside a transaction: index builds\n"
                          "-- run CONCURRENTLY and the backfill commits every batch. Each other step is one transaction\n"
                          "-- and every blocking statement runs under lock_timeout, so a step that fails leaves nothing\n"
                          "-- behind (except an INVALID index from a failed CONCURRENTLY build: drop it): fix the cause\n"
                          "-- and run the steps from the failed one on.\n"
                          "-- Rollback SQL is listed at the end, commented out; this script never runs it.\n");
    out += QLatin1Char('\n') + lockTimeoutSetting(plan) + QStringLiteral("\nSET statement_timeout = 0;\n");
    for (int i = 0; i < plan.steps.size(); ++i)
        out += forwardBlock(plan, i);

    out += QStringLiteral("\n-- ============================================================================\n"
                          "-- Rollback (NOT executed): to undo, run the blocks of the completed steps, last step first.\n");
    for (int i = plan.steps.size() - 1; i >= 0; --i) {
        const Step& s = plan.steps[i];
        out += QStringLiteral("--\n-- ") + stepLabel(plan, i) + QLatin1Char('\n');
        if (!s.reversible)
            out += QStringLiteral("--   IRREVERSIBLE: the point of no return; nothing can undo it.\n");
        else if (s.rollbackSql.trimmed().isEmpty())
            out += QStringLiteral("--   nothing to undo\n");
        else
            out += commentedBlock(s.rollbackSql);
    }
    return out;
}

QString commentSafe(QString text)
{
    text.replace(QLatin1String("\r\n"), QLatin1String(" "));
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    text.replace(QLatin1Char('\r'), QLatin1Char(' '));
    return text;
}

} // namespace lockstep
