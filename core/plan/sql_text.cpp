// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/plan/sql_text.h"

namespace lockstep {

QString sqlLiteral(const QString& text)
{
    QString out = text;
    out.replace(QLatin1Char('\''), QLatin1String("''"));
    return QLatin1Char('\'') + out + QLatin1Char('\'');
}

QString dollarQuoted(const QString& body, const QString& tag)
{
    QString delimiter = QLatin1Char('$') + tag + QLatin1Char('$');
    for (int n = 1; body.contains(delimiter); ++n)
        delimiter = QLatin1Char('$') + tag + QString::number(n) + QLatin1Char('$');
    return delimiter + body + delimiter;
}

QString variablePrefix(const QStringList& columnNames)
{
    QString prefix = QStringLiteral("lockstep_");
    auto clashes = [&](const QString& p) {
        for (const QString& c : columnNames) {
            if (c.toLower().startsWith(p))
                return true;
        }
        return false;
    };
    for (int n = 1; clashes(prefix); ++n)
        prefix = QStringLiteral("lockstep%1_").arg(n);
    return prefix;
}

QString withoutLintDirectives(const QString& sql)
{
    QStringList kept;
    for (const QString& line : sql.split(QLatin1Char('\n')))
        if (!line.trimmed().startsWith(QLatin1String("-- squawk-ignore")))
            kept << line;
    return kept.join(QLatin1Char('\n'));
}

} // namespace lockstep
