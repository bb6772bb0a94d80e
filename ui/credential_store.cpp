// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/credential_store.h"

#include <QMap>
#include <libpq-fe.h>

#ifdef LOCKSTEP_HAVE_KEYCHAIN
#include <qt6keychain/keychain.h>
#endif

namespace lockstep::ui {

namespace {
const QString kService = QStringLiteral("Lockstep (PostgreSQL)");

#ifdef LOCKSTEP_HAVE_KEYCHAIN
// Errors that mean "there is no keychain here", as opposed to "this entry is missing".
bool meansUnavailable(QKeychain::Error e)
{
    return e == QKeychain::NoBackendAvailable || e == QKeychain::NotImplemented || e == QKeychain::OtherError;
}
#endif

QMap<QString, QString> options(PQconninfoOption* opts)
{
    QMap<QString, QString> m;
    for (PQconninfoOption* o = opts; o && o->keyword; ++o)
        if (o->val && *o->val)
            m.insert(QString::fromUtf8(o->keyword), QString::fromUtf8(o->val));
    return m;
}
} // namespace

CredentialStore::CredentialStore(QObject* parent) : QObject(parent)
{
    m_available = compiledIn();
}

bool CredentialStore::compiledIn()
{
#ifdef LOCKSTEP_HAVE_KEYCHAIN
    return true;
#else
    return false;
#endif
}

QString CredentialStore::keyFor(const QString& conninfo)
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

void CredentialStore::read(const QString& key)
{
#ifdef LOCKSTEP_HAVE_KEYCHAIN
    auto* job = new QKeychain::ReadPasswordJob(kService, this);
    job->setKey(key);
    job->setInsecureFallback(false);   // never a plaintext file
    connect(job, &QKeychain::Job::finished, this, [this, job, key] {
        const QKeychain::Error e = job->error();
        if (e == QKeychain::NoError) {
            emit readFinished(key, job->textData(), true, {});
            return;
        }
        if (meansUnavailable(e))
            m_available = false;
        emit readFinished(key, {}, false, e == QKeychain::EntryNotFound ? QString() : job->errorString());
    });
    job->start();
#else
    emit readFinished(key, {}, false, tr("built without keychain support"));
#endif
}

void CredentialStore::write(const QString& key, const QString& password)
{
#ifdef LOCKSTEP_HAVE_KEYCHAIN
    auto* job = new QKeychain::WritePasswordJob(kService, this);
    job->setKey(key);
    job->setInsecureFallback(false);
    job->setTextData(password);
    connect(job, &QKeychain::Job::finished, this, [this, job, key] {
        if (meansUnavailable(job->error()))
            m_available = false;
        emit writeFinished(key, job->error() == QKeychain::NoError, job->errorString());
    });
    job->start();
#else
    Q_UNUSED(password)
    emit writeFinished(key, false, tr("built without keychain support"));
#endif
}

void CredentialStore::remove(const QString& key)
{
#ifdef LOCKSTEP_HAVE_KEYCHAIN
    auto* job = new QKeychain::DeletePasswordJob(kService, this);
    job->setKey(key);
    job->setInsecureFallback(false);
    connect(job, &QKeychain::Job::finished, this, [this, job, key] {
        emit removeFinished(key, job->error() == QKeychain::NoError || job->error() == QKeychain::EntryNotFound);
    });
    job->start();
#else
    emit removeFinished(key, false);
#endif
}

} // namespace lockstep::ui
