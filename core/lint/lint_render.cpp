// SPDX-License-Identifier: GPL-3.0-or-later
// The linter's report as the CLI prints it: JSON for scripts, text for people.
#include "core/lint/sql_lint.h"

#include <QJsonObject>

namespace lockstep::lint {

namespace {
// The first line of the statement, squeezed, cut at about 70 characters.
QString headline(const QString& sql)
{
    QString line = sql.section(QLatin1Char('\n'), 0, 0).simplified();
    const bool more = sql.contains(QLatin1Char('\n'));
    if (line.size() > 70) {
        line = line.left(69).trimmed();
        return line + QStringLiteral("…");
    }
    return more ? line + QStringLiteral(" …") : line;
}

QString effects(const StatementReport& s)
{
    if (!s.lock)
        return s.table.isEmpty() ? QStringLiteral("no table lock") : QStringLiteral("lock not known to lockstep");
    QStringList parts{lockModeName(*s.lock)};
    parts << (s.blocks.isEmpty() ? QStringLiteral("blocks neither reads nor writes")
                                 : QStringLiteral("blocks ") + s.blocks.join(QStringLiteral(" and ")));
    if (s.rewrites)
        parts << QStringLiteral("rewrites");
    if (s.scans)
        parts << QStringLiteral("scans");
    QString text = parts.join(QStringLiteral(", "));
    if (s.heldLock)
        text += QStringLiteral(" (the open transaction already holds %1 on %2: %3 wait until it ends)")
                    .arg(lockModeName(*s.heldLock), s.table, lockBlocks(*s.heldLock).join(QStringLiteral(" and ")));
    return text;
}
} // namespace

QJsonArray toJson(const LintResult& result)
{
    QJsonArray out;
    for (const StatementReport& s : result.statements) {
        QJsonArray hazards;
        for (const Hazard& h : s.hazards)
            hazards.append(QJsonObject{{QStringLiteral("rule"), h.rule}, {QStringLiteral("message"), h.message},
                                       {QStringLiteral("fix"), h.fix}});
        out.append(QJsonObject{
            {QStringLiteral("statement"), s.statement},
            {QStringLiteral("sql"), s.sql},
            {QStringLiteral("lock"), s.lock ? QJsonValue(lockModeName(*s.lock)) : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("rewrites"), s.rewrites},
            {QStringLiteral("scans"), s.scans},
            {QStringLiteral("blocks"), QJsonArray::fromStringList(s.blocks)},
            {QStringLiteral("hazards"), hazards},
        });
    }
    return out;
}

QString renderText(const LintResult& result)
{
    if (result.error) {
        const ParseError& e = *result.error;
        return e.line > 0 ? QStringLiteral("%1:%2: %3\n").arg(e.line).arg(e.column).arg(e.message)
                          : e.message + QLatin1Char('\n');
    }
    QString out;
    int withHazards = 0;
    for (const StatementReport& s : result.statements) {
        // The line lets the reader find the statement in the file; the number matches the JSON's `statement`.
        out += QStringLiteral("%1 (line %2): %3 — %4\n").arg(s.statement).arg(s.line).arg(headline(s.sql), effects(s));
        for (const Hazard& h : s.hazards) {
            out += QStringLiteral("   %1: %2\n").arg(h.rule, h.message);
            out += QStringLiteral("      fix: %1\n").arg(h.fix);
        }
        if (!s.hazards.isEmpty()) {
            out += QLatin1Char('\n');   // sets a statement's hazards apart from the next statement
            ++withHazards;
        }
    }
    const int n = result.statements.size();
    const int hazards = result.hazardCount();
    out += QStringLiteral("%1 %2, ").arg(n).arg(n == 1 ? QStringLiteral("statement") : QStringLiteral("statements"));
    if (hazards == 0)
        out += QStringLiteral("no hazards\n");
    else
        out += QStringLiteral("%1 %2 in %3 %4\n").arg(hazards).arg(hazards == 1 ? QStringLiteral("hazard") : QStringLiteral("hazards"))
                   .arg(withHazards).arg(withHazards == 1 ? QStringLiteral("statement") : QStringLiteral("statements"));
    return out;
}

} // namespace lockstep::lint
