// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/connect/credential_store.h"

#include "core/pg/server_key.h"

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

QString CredentialStore::keyFor(const QString& conninfo) { return pg::serverKey(conninfo); }

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
