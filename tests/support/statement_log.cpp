// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/statement_log.h"

#include <QFile>
#include <QRegularExpression>
#include <QStringList>

namespace lockstep::test {

QMap<QString, int> loggedStatementKinds(const QString& logPath, qint64 offset)
{
    QFile log(logPath);
    QMap<QString, int> seen;
    if (!log.open(QIODevice::ReadOnly) || !log.seek(offset))
        return seen;
    const QString text = QString::fromUtf8(log.readAll());
    // Simple protocol logs "statement: ...", extended protocol "execute <unnamed>: ...".
    static const QRegularExpression statement(QStringLiteral("LOG:  (?:statement|execute [^:]*): (\\S+)"));
    for (auto it = statement.globalMatch(text); it.hasNext();)
        ++seen[it.next().captured(1).toUpper().remove(QLatin1Char('('))];
    return seen;
}

QStringList writingStatementKinds(const QMap<QString, int>& seen)
{
    static const QStringList readOnly{"SELECT", "EXPLAIN", "BEGIN", "ROLLBACK", "SET", "RESET", "SHOW", "WITH"};
    QStringList out;
    for (auto it = seen.cbegin(); it != seen.cend(); ++it)
        if (!readOnly.contains(it.key()))
            out << QStringLiteral("%1 (%2 times)").arg(it.key()).arg(it.value());
    return out;
}

} // namespace lockstep::test
