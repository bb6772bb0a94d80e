// SPDX-License-Identifier: GPL-3.0-or-later
// The system keychain against a real Secret Service (a private gnome-keyring, see with_keyring.sh) and a
// real server that wants passwords: a password is remembered only when the user asks, the next connect
// needs no prompt, a saved password the server rejects is removed and asked again, and no password ever
// reaches the journal file.
#include "core/local/local_cluster.h"
#include "core/store/journal.h"
#include "tests/gui/gui_shots.h"
#include "tests/support/pg_fixture.h"
#include "ui/connect/credential_store.h"
#include "ui/window/main_window.h"
#include "ui/connect/password_dialog.h"
#include "ui/window/start_page.h"

#include <QCheckBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace lockstep;

namespace {
struct ReadAnswer {
    bool found = false;
    QString password;
    QString problem;
};

// Asks the keychain directly (a store of its own, as another program would).
ReadAnswer readKeychain(const QString& key)
{
    ui::CredentialStore store;
    QSignalSpy spy(&store, &ui::CredentialStore::readFinished);
    store.read(key);
    if (!spy.wait(15000))
        return {false, {}, QStringLiteral("no answer from the keychain")};
    const auto args = spy.takeFirst();
    return {args.at(2).toBool(), args.at(1).toString(), args.at(3).toString()};
}

ui::PasswordDialog* visiblePrompt(ui::MainWindow& w)
{
    for (auto* d : w.findChildren<ui::PasswordDialog*>())
        if (d->isVisible())
            return d;
    return nullptr;
}
} // namespace

class TestKeychain : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void keyIgnoresPasswordAndOrder();
    void writeReadRemoveRoundTrip();
    void rememberedPasswordConnectsWithoutAPrompt();
    void cleanupTestCase();

private:
    std::unique_ptr<LocalCluster> m_cluster;
};

void TestKeychain::initTestCase()
{
    QVERIFY2(ui::CredentialStore::compiledIn(), "built without qtkeychain: this test should not be registered");
    QVERIFY2(!qgetenv("DBUS_SESSION_BUS_ADDRESS").isEmpty(), "run through tests/support/with_keyring.sh");
    QStandardPaths::setTestModeEnabled(true);
    QFile::remove(store::Journal::defaultPath());
    qputenv("PGPASSFILE", "/nonexistent/lockstep-test-pgpass");
    qunsetenv("PGPASSWORD");
    m_cluster = std::make_unique<LocalCluster>();
    m_cluster->start();
}

void TestKeychain::cleanupTestCase() { m_cluster.reset(); }

void TestKeychain::keyIgnoresPasswordAndOrder()
{
    using ui::CredentialStore;
    const QString a = CredentialStore::keyFor(QStringLiteral("host=db1 port=5433 dbname=shop user=alice"));
    QCOMPARE(a, QStringLiteral("alice@db1:5433/shop"));
    QCOMPARE(CredentialStore::keyFor(QStringLiteral("user=alice dbname=shop port=5433 host=db1 password=x")), a);
    QCOMPARE(CredentialStore::keyFor(QStringLiteral("postgresql://alice:secret@db1:5433/shop")), a);
    QVERIFY(CredentialStore::keyFor(QStringLiteral("host=db1 port=5433 dbname=shop user=bob")) != a);
    QVERIFY(!CredentialStore::keyFor(QStringLiteral("postgresql://alice:secret@db1:5433/shop")).contains(QLatin1String("secret")));
}

void TestKeychain::writeReadRemoveRoundTrip()
{
    ui::CredentialStore store;
    const QString key = QStringLiteral("roundtrip@example:5432/db");
    QSignalSpy wrote(&store, &ui::CredentialStore::writeFinished);
    store.write(key, QStringLiteral("p@ss wörd"));
    QVERIFY(wrote.wait(15000));
    QVERIFY2(wrote.first().at(1).toBool(), qPrintable(wrote.first().at(2).toString()));

    const ReadAnswer found = readKeychain(key);
    QVERIFY2(found.found, qPrintable(found.problem));
    QCOMPARE(found.password, QStringLiteral("p@ss wörd"));

    QSignalSpy removed(&store, &ui::CredentialStore::removeFinished);
    store.remove(key);
    QVERIFY(removed.wait(15000));
    QVERIFY(removed.first().at(1).toBool());
    const ReadAnswer gone = readKeychain(key);
    QVERIFY(!gone.found);
    QVERIFY2(gone.problem.isEmpty(), qPrintable(gone.problem));   // "no entry", not "no keychain"
}

void TestKeychain::rememberedPasswordConnectsWithoutAPrompt()
{
    const QString carol = test::requirePasswords(*m_cluster, QStringLiteral("carol"), QStringLiteral("first-secret"));
    QVERIFY(!carol.isEmpty());
    const QString key = ui::CredentialStore::keyFor(carol);
    QVERIFY(!readKeychain(key).found);

    ui::MainWindow w;
    w.resize(1280, 720);
    w.show();

    // First connect: the prompt offers the keychain; ticked, the accepted password is saved there.
    w.connectWithProfile(QStringLiteral("carol's db"), carol);
    QTRY_VERIFY_WITH_TIMEOUT(visiblePrompt(w), 20000);
    ui::PasswordDialog* prompt = visiblePrompt(w);
    QVERIFY(prompt->rememberBox()->isVisible());
    prompt->passwordEdit()->setText(QStringLiteral("first-secret"));
    prompt->rememberBox()->setChecked(true);
    test::saveShots(prompt, QStringLiteral("password_prompt_keychain"));
    prompt->accept();
    QTRY_VERIFY_WITH_TIMEOUT(w.isConnected(), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(readKeychain(key).found, 15000);
    QCOMPARE(readKeychain(key).password, QStringLiteral("first-secret"));

    // Next time: no prompt at all.
    w.disconnectFromServer();
    w.connectWithProfile(QStringLiteral("carol's db"), carol);
    QTRY_VERIFY_WITH_TIMEOUT(w.isConnected(), 20000);
    QVERIFY(!visiblePrompt(w));

    // The password changes on the server: the saved one is rejected, removed, and the user asked again.
    auto su = test::connect(m_cluster->conninfo());
    su->exec(QStringLiteral("ALTER ROLE carol PASSWORD 'second-secret'"));
    w.disconnectFromServer();
    w.connectWithProfile(QStringLiteral("carol's db"), carol);
    QTRY_VERIFY_WITH_TIMEOUT(visiblePrompt(w), 20000);
    prompt = visiblePrompt(w);
    QVERIFY(prompt->findChildren<QLabel*>().size() > 0);
    bool explained = false;
    for (auto* label : prompt->findChildren<QLabel*>())
        explained = explained || (label->isVisible() && label->text().contains(QLatin1String("was rejected")));
    QVERIFY2(explained, "the prompt says why the saved password is asked for again");
    test::saveShots(prompt, QStringLiteral("password_prompt_rejected"));
    QTRY_VERIFY_WITH_TIMEOUT(!readKeychain(key).found, 15000);

    // Not ticked this time: connected, and nothing saved.
    prompt->passwordEdit()->setText(QStringLiteral("second-secret"));
    prompt->accept();
    QTRY_VERIFY_WITH_TIMEOUT(w.isConnected(), 20000);
    QTest::qWait(500);
    QVERIFY(!readKeychain(key).found);

    // Neither password ever reached the journal file.
    w.disconnectFromServer();
    // The journal runs in WAL mode: recent pages live in the -wal file beside it, so read both.
    QByteArray bytes;
    for (const QString& path : {store::Journal::defaultPath(), store::Journal::defaultPath() + QStringLiteral("-wal")}) {
        QFile file(path);
        if (file.open(QIODevice::ReadOnly))
            bytes += file.readAll();
    }
    QVERIFY(bytes.contains("carol's db"));
    QVERIFY(!bytes.contains("first-secret"));
    QVERIFY(!bytes.contains("second-secret"));
}

QTEST_MAIN(TestKeychain)
#include "test_keychain.moc"
