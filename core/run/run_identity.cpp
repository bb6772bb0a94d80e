// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/run/run_identity.h"

#include <QRegularExpression>
#include <QSysInfo>

#include <pwd.h>
#include <unistd.h>

namespace lockstep::run {

QString localOperator()
{
    // The login of the process's user (not $USER, which sudo, cron and CI may leave unset or stale).
    QString user;
    if (const passwd* pw = getpwuid(geteuid()))
        user = QString::fromLocal8Bit(pw->pw_name);
    if (user.isEmpty())
        user = QStringLiteral("uid%1").arg(geteuid());
    return user + QLatin1Char('@') + QSysInfo::machineHostName();
}

RunIdentity RunIdentity::local(const QString& uid, qint64 runId, const QDateTime& startedAt)
{
    return RunIdentity{uid, runId, localOperator(), startedAt};
}

QString RunIdentity::mark() const
{
    return QStringLiteral("lockstep run %1: journal run %2 by %3, started %4")
        .arg(uid).arg(journalRunId).arg(operatorName, startedAt.toUTC().toString(Qt::ISODate));
}

std::optional<RunIdentity> RunIdentity::fromMark(const QString& text)
{
    static const QRegularExpression re(
        QStringLiteral("^lockstep run ([0-9a-f]{32}): journal run (\\d+) by (\\S+), started (\\S+)$"));
    const QRegularExpressionMatch m = re.match(text.trimmed());
    if (!m.hasMatch())
        return std::nullopt;
    return RunIdentity{m.captured(1), m.captured(2).toLongLong(), m.captured(3),
                       QDateTime::fromString(m.captured(4), Qt::ISODate)};
}

QString RunIdentity::describe() const
{
    return QStringLiteral("run %1 by %2 (started %3 UTC)")
        .arg(journalRunId).arg(operatorName, startedAt.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm")));
}

QString RunIdentity::applicationName(const QString& what) const
{
    QByteArray name = QStringLiteral("lockstep %1 %2 %3").arg(uid.left(8), operatorName, what).toUtf8();
    if (name.size() > 63) {
        name.truncate(63);
        while (!name.isEmpty() && (uchar(name.back()) & 0xC0) == 0x80)   // never half a UTF-8 character
            name.chop(1);
        if (!name.isEmpty() && uchar(name.back()) >= 0xC0)
            name.chop(1);
    }
    return QString::fromUtf8(name);
}

} // namespace lockstep::run
