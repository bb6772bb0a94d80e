// SPDX-License-Identifier: GPL-3.0-or-later
// The planner's unit tests quote with offlineIdentQuoter(); the product quotes with libpq
// (PQescapeIdentifier on the live connection). They must agree, and what they produce must name exactly
// the intended column on a real server, whatever characters the name holds.
#include "core/plan/ident_quoter.h"
#include "tests/support/pg_fixture.h"

#include <QtTest>

using namespace lockstep;

class TestIdentQuoting : public QObject {
    Q_OBJECT
private slots:
    void offlineAgreesWithLibpq_data()
    {
        QTest::addColumn<QString>("name");
        const QStringList names{
            "plain", "MixedCase", "with space", "a\"b", "\"\"", "\"", "x\"; DROP TABLE t; --", "Total €",
            "ünïcödé", "日本語の列", "select", "table", "a.b", "$1", "back\\slash", "'quote'", "tab\there",
            "new\nline", "emoji 🎉", QString(63, QLatin1Char('z')), QString::fromUtf8("é").repeated(31),
        };
        for (const QString& n : names)
            QTest::newRow(qPrintable(n.left(20).toHtmlEscaped())) << n;
    }

    void offlineAgreesWithLibpq()
    {
        QFETCH(QString, name);
        static auto conn = lockstep::test::connect(lockstep::test::freshDatabase(QStringLiteral("quote")));
        const QString viaLibpq = conn->quoteIdent(name);
        QCOMPARE(offlineIdentQuoter()(name), viaLibpq);
        // And the quoted name really is that column on the server.
        conn->exec(QStringLiteral("DROP TABLE IF EXISTS quoting"));
        conn->exec(QStringLiteral("CREATE TABLE quoting (%1 integer)").arg(viaLibpq));
        auto r = conn->exec(QStringLiteral("SELECT attname FROM pg_attribute WHERE attrelid = 'quoting'::regclass AND attnum = 1"));
        QCOMPARE(r.value(0, 0), name);
    }
};

QTEST_GUILESS_MAIN(TestIdentQuoting)
#include "test_ident_quoting.moc"
