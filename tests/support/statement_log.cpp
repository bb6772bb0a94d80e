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
    static const QRegularExpression statement(QStringLiteral("LOG:  (?:statement|execute [^:]*): (\\S+)( READ ONLY)?"),
                                              QRegularExpression::CaseInsensitiveOption);
    for (auto it = statement.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        const QString kind = m.captured(1).toUpper().remove(QLatin1Char('('));
        ++seen[kind];
        if (kind == QLatin1String("BEGIN") && m.hasCaptured(2))
            ++seen[QStringLiteral("BEGIN READ ONLY")];
    }
    return seen;
}

QStringList writingStatementKinds(const QMap<QString, int>& seen)
{
    static const QStringList readOnly{"SELECT", "EXPLAIN", "BEGIN", "BEGIN READ ONLY", "ROLLBACK", "SET", "RESET", "SHOW",
                                      "WITH", "SAVEPOINT", "RELEASE"};
    // A DO block can do anything its transaction may: it counts as read-only only when every transaction
    // was BEGIN READ ONLY, where the server refuses any write inside it.
    const bool everyTransactionReadOnly = seen.value(QStringLiteral("BEGIN")) == seen.value(QStringLiteral("BEGIN READ ONLY"));
    QStringList out;
    for (auto it = seen.cbegin(); it != seen.cend(); ++it)
        if (!readOnly.contains(it.key()) && !(it.key() == QLatin1String("DO") && everyTransactionReadOnly))
            out << QStringLiteral("%1 (%2 times)").arg(it.key()).arg(it.value());
    return out;
}

} // namespace lockstep::test
