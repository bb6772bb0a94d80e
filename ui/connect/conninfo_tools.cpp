// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/connect/conninfo_tools.h"

#include <QMap>
#include <libpq-fe.h>

namespace lockstep::ui {

namespace {
QString quoted(const QString& value)
{
    QString v = value;
    v.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    v.replace(QLatin1Char('\''), QLatin1String("\\'"));
    return QLatin1Char('\'') + v + QLatin1Char('\'');
}

// The options the user set explicitly (PQconninfoParse leaves defaults and env out), or nullopt on error.
bool parse(const QString& conninfo, QMap<QString, QString>& out, QString* error)
{
    char* err = nullptr;
    PQconninfoOption* options = PQconninfoParse(conninfo.toUtf8().constData(), &err);
    if (!options) {
        if (error)
            *error = err ? QString::fromUtf8(err).trimmed() : QStringLiteral("out of memory");
        PQfreemem(err);
        return false;
    }
    for (PQconninfoOption* o = options; o->keyword; ++o)
        if (o->val)
            out.insert(QString::fromUtf8(o->keyword), QString::fromUtf8(o->val));
    PQconninfoFree(options);
    return true;
}
} // namespace

QString conninfoForConnect(const QString& conninfo, const QString& password, QString* error)
{
    QMap<QString, QString> options;
    if (!parse(conninfo, options, error))
        return {};
    if (!password.isEmpty())
        options.insert(QStringLiteral("password"), password);
    if (!options.contains(QStringLiteral("connect_timeout")) && qEnvironmentVariableIsEmpty("PGCONNECT_TIMEOUT"))
        options.insert(QStringLiteral("connect_timeout"), QStringLiteral("10"));
    QStringList parts;
    for (auto it = options.cbegin(); it != options.cend(); ++it)
        parts << it.key() + QLatin1Char('=') + quoted(it.value());
    return parts.join(QLatin1Char(' '));
}

bool serverWantsPassword(const QString& conninfo)
{
    PGconn* conn = PQconnectdb(conninfo.toUtf8().constData());
    const bool wants = conn && PQstatus(conn) != CONNECTION_OK && PQconnectionNeedsPassword(conn);
    PQfinish(conn);
    return wants;
}

QString conninfoLabel(const QString& conninfo)
{
    QMap<QString, QString> options;
    parse(conninfo, options, nullptr);
    QString db = options.value(QStringLiteral("dbname"));
    if (db.isEmpty())
        db = qEnvironmentVariable("PGDATABASE");
    if (db.isEmpty())
        db = options.value(QStringLiteral("user"), qEnvironmentVariable("PGUSER"));
    if (options.contains(QStringLiteral("service")) && db.isEmpty())
        return options.value(QStringLiteral("service"));
    QString host = options.value(QStringLiteral("host"), qEnvironmentVariable("PGHOST"));
    if (host.isEmpty() || host.startsWith(QLatin1Char('/')))
        host = QStringLiteral("localhost");
    if (db.isEmpty())
        return host;
    return db + QLatin1Char('@') + host;
}

} // namespace lockstep::ui
