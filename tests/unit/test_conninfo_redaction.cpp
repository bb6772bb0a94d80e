// SPDX-License-Identifier: GPL-3.0-or-later
// conninfoWithoutPassword: secrets gone, every other setting kept, and libpq parses the result back to
// exactly the same settings (checked with libpq itself, not with our own parser).
#include "core/pg/conninfo_redaction.h"

#include <QMap>
#include <QtTest>
#include <libpq-fe.h>

using namespace lockstep;

namespace {
// keyword -> value of what libpq reads from `conninfo`; "<error>" when it does not parse.
QMap<QString, QString> parsed(const QString& conninfo)
{
    QMap<QString, QString> out;
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(conninfo.toUtf8().constData(), &error);
    if (!options) {
        PQfreemem(error);
        out.insert(QStringLiteral("<error>"), QString());
        return out;
    }
    for (PQconninfoOption* o = options; o->keyword; ++o) {
        if (o->val)
            out.insert(QString::fromUtf8(o->keyword), QString::fromUtf8(o->val));
    }
    PQconninfoFree(options);
    return out;
}
} // namespace

class TestConninfoRedaction : public QObject {
    Q_OBJECT
private slots:
    void redacts_data()
    {
        QTest::addColumn<QString>("conninfo");
        QTest::addColumn<QString>("expected");
        QTest::newRow("key=value") << "host=h port=5432 dbname=db user=u password=s3cret"
                                   << "host=h port=5432 dbname=db user=u";
        QTest::newRow("password first") << "password=s3cret dbname=db" << "dbname=db";
        QTest::newRow("quoted password") << "user=u password='s3cret with \\' quote' host=h" << "host=h user=u";
        QTest::newRow("uri") << "postgresql://u:s3cret@h:5433/db?sslmode=require"
                             << "host=h port=5433 dbname=db user=u sslmode=require";
        QTest::newRow("uri query password") << "postgres://h/db?user=u&password=s3cret&connect_timeout=5"
                                            << "host=h dbname=db user=u connect_timeout=5";
        QTest::newRow("uri percent-encoded") << "postgresql://u:s3%63ret@h/db" << "host=h dbname=db user=u";
        QTest::newRow("multi-host uri") << "postgresql://u:s3cret@h1:5432,h2:5433/db"
                                        << "host=h1,h2 port=5432,5433 dbname=db user=u";
        QTest::newRow("sslpassword") << "host=h sslkey=/k sslpassword=s3cret" << "host=h sslkey=/k";
        QTest::newRow("quoting kept") << "dbname='my db' application_name='it\\'s \\\\ here' options=''"
                                      << "dbname='my db' options='' application_name='it\\'s \\\\ here'";
        QTest::newRow("unix socket uri") << "postgresql://%2Fvar%2Frun%2Fpostgresql/db"
                                         << "host=/var/run/postgresql dbname=db";
        QTest::newRow("nested dbname") << "dbname='postgresql://u:s3cret@h/db' connect_timeout=3"
                                       << "dbname='host=h dbname=db user=u' connect_timeout=3";
        QTest::newRow("empty") << "" << "";
    }

    void redacts()
    {
        QFETCH(QString, conninfo);
        QFETCH(QString, expected);
        QString error = QStringLiteral("unset");
        const QString out = pg::conninfoWithoutPassword(conninfo, &error);
        QCOMPARE(error, QString());
        QCOMPARE(out, expected);
        QVERIFY(!out.contains(QLatin1String("s3cret")));
        QVERIFY(!out.contains(QLatin1String("password")));

        // libpq reads back exactly the original settings minus the secrets (nested dbname aside).
        auto want = parsed(conninfo);
        want.remove(QStringLiteral("password"));
        want.remove(QStringLiteral("sslpassword"));
        if (!QTest::currentDataTag() || qstrcmp(QTest::currentDataTag(), "nested dbname") != 0)
            QCOMPARE(parsed(out), want);
    }

    void unparseableIsRefused_data()
    {
        QTest::addColumn<QString>("conninfo");
        QTest::newRow("unknown keyword") << "host=h password=s3cret bogus=1";
        QTest::newRow("missing =") << "host=h password s3cret";
        QTest::newRow("unterminated quote") << "host=h password='s3cret";
        QTest::newRow("bad uri parameter") << "postgresql://u:s3cret@h/db?bogus=1";
        QTest::newRow("nested unparseable") << "dbname='postgresql://u:s3cret@h/db?bogus=1'";
    }

    void unparseableIsRefused()
    {
        QFETCH(QString, conninfo);
        QString error;
        QCOMPARE(pg::conninfoWithoutPassword(conninfo, &error), QString());
        QVERIFY(!error.isEmpty());
        QCOMPARE(pg::conninfoWithoutPassword(conninfo), QString()); // the error is optional
    }
};

QTEST_APPLESS_MAIN(TestConninfoRedaction)
#include "test_conninfo_redaction.moc"
