// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/pg/server_key.h"

#include <QMap>
#include <libpq-fe.h>

namespace lockstep::pg {

namespace {
QMap<QString, QString> options(PQconninfoOption* opts)
{
    QMap<QString, QString> m;
    for (PQconninfoOption* o = opts; o && o->keyword; ++o)
        if (o->val && *o->val)
            m.insert(QString::fromUtf8(o->keyword), QString::fromUtf8(o->val));
    return m;
}
} // namespace

QString serverKey(const QString& conninfo)
{
    // What the user typed wins; what is missing comes from libpq's defaults (PG* variables, then built-ins),
    // exactly as libpq itself will fill it in when connecting.
    char* err = nullptr;
    PQconninfoOption* typed = PQconninfoParse(conninfo.toUtf8().constData(), &err);
    if (err)
        PQfreemem(err);
    QMap<QString, QString> m = options(typed);
    if (typed)
        PQconninfoFree(typed);
    PQconninfoOption* defaults = PQconndefaults();
    const QMap<QString, QString> d = options(defaults);
    if (defaults)
        PQconninfoFree(defaults);
    auto pick = [&](const char* key) {
        const QString k = QString::fromLatin1(key);
        return m.value(k, d.value(k));
    };
    if (!m.value(QStringLiteral("service")).isEmpty())
        return QStringLiteral("service=%1 user=%2 dbname=%3")
            .arg(m.value(QStringLiteral("service")), pick("user"), pick("dbname"));
    QString host = pick("host");
    if (host.isEmpty())
        host = pick("hostaddr");
    const QString user = pick("user");
    const QString db = pick("dbname").isEmpty() ? user : pick("dbname");
    return QStringLiteral("%1@%2:%3/%4").arg(user, host.isEmpty() ? QStringLiteral("localhost") : host,
                                              pick("port").isEmpty() ? QStringLiteral("5432") : pick("port"), db);
}

} // namespace lockstep::pg
