// SPDX-License-Identifier: GPL-3.0-or-later
// A unique key over backfilled values that repeat is refused at plan time (core/change/unique_proof.h),
// with the value and where it was found: all rows of a small table, a block sample of a large one. Values
// that do not repeat pass (a sample says it proves nothing more); a volatile backfill is not checked.
#include "core/change/change_error.h"
#include "core/change/change_resolver.h"
#include "tests/pg/test_runner_support.h"

#include <QtTest>

using namespace lockstep;
using namespace lockstep::test;

namespace {
NewColumnChange uniqueChange(const QString& backfill)
{
    NewColumnChange ch;
    ch.table = QStringLiteral("big");
    ch.column = QStringLiteral("k");
    ch.type = QStringLiteral("bigint");
    ch.backfill = backfill;
    ch.unique = true;
    return ch;
}

// The resolver's refusal on `field`, or empty when the change resolves; *proof gets the proof text.
QString refusal(pg::Connection& conn, const NewColumnChange& change, QString* proof = nullptr)
{
    try {
        const auto resolved = ChangeResolver(conn).resolve(change);
        if (proof)
            *proof = resolved.change.proof;
        return {};
    } catch (const ChangeError& e) {
        return e.field + QStringLiteral(": ") + e.reason;
    }
}
} // namespace

class TestUniqueProof : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { sharedCluster(); }

    void smallTableEveryRow()
    {
        const QString db = freshDatabase(QStringLiteral("unique_small"));
        auto conn = lockstep::test::connect(db);
        createBigTable(*conn, 1000);   // qty = id % 97
        const QString refused = refusal(*conn, uniqueChange(QStringLiteral("qty * 2")));
        QVERIFY2(refused.startsWith(QStringLiteral("unique: the new values repeat: '")) && refused.contains(QStringLiteral("in the table's rows")),
                 qPrintable(refused));
        QString proof;
        QCOMPARE(refusal(*conn, uniqueChange(QStringLiteral("id * 2")), &proof), QString());
        QVERIFY2(!proof.contains(QStringLiteral("sample")), qPrintable(proof));
        // A volatile backfill gives each row a new value: nothing to check here.
        QCOMPARE(refusal(*conn, uniqueChange(QStringLiteral("(random() * 5)::bigint"))), QString());
        // Nothing was left behind in the session: the statement_timeout is the server's again.
        QCOMPARE(conn->exec(QStringLiteral("SHOW statement_timeout")).value(0, 0), QStringLiteral("0"));
    }

    void largeTableSample()
    {
        const QString db = freshDatabase(QStringLiteral("unique_large"));
        auto conn = lockstep::test::connect(db);
        createBigTable(*conn, 200000);
        const QString refused = refusal(*conn, uniqueChange(QStringLiteral("qty")));
        QVERIFY2(refused.contains(QStringLiteral("times in a sample of the rows")), qPrintable(refused));
        QString proof;
        QCOMPARE(refusal(*conn, uniqueChange(QStringLiteral("id")), &proof), QString());
        QVERIFY2(proof.contains(QStringLiteral("no repeated value in a sample")), qPrintable(proof));
    }
};

QTEST_MAIN(TestUniqueProof)
#include "test_unique_proof.moc"
