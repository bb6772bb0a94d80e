// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/pg/conninfo_redaction.h"

#include <QStringList>
#include <libpq-fe.h>

#include <memory>

namespace lockstep::pg {
namespace {

struct OptionsDeleter {
    void operator()(PQconninfoOption* options) const { PQconninfoFree(options); }
};

bool isSecret(const PQconninfoOption& option)
{
    // libpq marks password-like options with dispchar "*" ("hide the value"): password, sslpassword.
    return qstrcmp(option.keyword, "password") == 0 || (option.dispchar && option.dispchar[0] == '*');
}

bool looksLikeConnectionString(const QString& value)
{
    return value.startsWith(QLatin1String("postgresql://")) || value.startsWith(QLatin1String("postgres://"))
        || value.contains(QLatin1Char('='));
}

// libpq reads an unquoted value up to the next whitespace, with backslash escapes; quoting is needed for
// empty values and anything holding whitespace, quotes or backslashes.
QString quoteValue(const QString& value)
{
    bool needsQuotes = value.isEmpty();
    for (const QChar c : value) {
        if (c.isSpace() || c == QLatin1Char('\'') || c == QLatin1Char('\\'))
            needsQuotes = true;
    }
    if (!needsQuotes)
        return value;
    QString out = QStringLiteral("'");
    for (const QChar c : value) {
        if (c == QLatin1Char('\'') || c == QLatin1Char('\\'))
            out += QLatin1Char('\\');
        out += c;
    }
    out += QLatin1Char('\'');
    return out;
}

// The usual identifying keys first, so that a stored conninfo reads naturally; the rest in libpq's order.
int displayRank(const char* keyword)
{
    static const char* const kFirst[] = {"host", "hostaddr", "port", "dbname", "user"};
    for (int i = 0; i < 5; ++i) {
        if (qstrcmp(keyword, kFirst[i]) == 0)
            return i;
    }
    return 5;
}

} // namespace

QString conninfoWithoutPassword(const QString& conninfo, QString* error)
{
    char* message = nullptr;
    std::unique_ptr<PQconninfoOption, OptionsDeleter> options(
        PQconninfoParse(conninfo.toUtf8().constData(), &message));
    if (!options) {
        if (error) {
            *error = message ? QString::fromUtf8(message).trimmed() : QStringLiteral("out of memory");
        }
        PQfreemem(message);
        return QString();
    }
    if (error)
        error->clear();

    QStringList ranked[6];
    for (const PQconninfoOption* option = options.get(); option->keyword; ++option) {
        if (!option->val || isSecret(*option))
            continue;
        QString value = QString::fromUtf8(option->val);
        if (qstrcmp(option->keyword, "dbname") == 0 && looksLikeConnectionString(value)) {
            // Whether or not libpq would expand it, it may hold a password: redact it, or refuse it whole.
            QString nestedError;
            value = conninfoWithoutPassword(value, &nestedError);
            if (!nestedError.isEmpty()) {
                if (error)
                    *error = QStringLiteral("dbname looks like a connection string but does not parse: ") + nestedError;
                return QString();
            }
        }
        ranked[displayRank(option->keyword)]
            << QString::fromUtf8(option->keyword) + QLatin1Char('=') + quoteValue(value);
    }
    QStringList parts;
    for (const QStringList& group : ranked)
        parts += group;
    return parts.join(QLatin1Char(' '));
}

} // namespace lockstep::pg
