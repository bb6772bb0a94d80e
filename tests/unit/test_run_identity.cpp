// SPDX-License-Identifier: GPL-3.0-or-later
// A run's identity on the server (core/run/run_identity.h): its mark reads back as the same run, any
// other comment is nobody's mark, and its application_name fits PostgreSQL's 63 bytes without cutting a
// character in half.
#include "core/run/run_identity.h"

#include <QtTest>

using namespace lockstep::run;

class TestRunIdentity : public QObject {
    Q_OBJECT
private slots:
    void markReadsBack()
    {
        const RunIdentity id{QStringLiteral("0123456789abcdef0123456789abcdef"), 42, QStringLiteral("alice@db-admin-1"),
                             QDateTime(QDate(2026, 12, 7), QTime(15, 12, 0), Qt::UTC)};
        const auto back = RunIdentity::fromMark(id.mark());
        QVERIFY(back);
        QCOMPARE(back->uid, id.uid);
        QCOMPARE(back->journalRunId, 42);
        QCOMPARE(back->operatorName, id.operatorName);
        QCOMPARE(back->startedAt, id.startedAt);
        QCOMPARE(id.describe(), QStringLiteral("run 42 by alice@db-admin-1 (started 2026-12-07 15:12 UTC)"));
    }

    void otherCommentsAreNoMark()
    {
        QVERIFY(!RunIdentity::fromMark(QStringLiteral("total in cents, see ticket 12")));
        QVERIFY(!RunIdentity::fromMark(QStringLiteral("lockstep run xyz: journal run 1 by a@b, started 2026-01-01T00:00:00Z")));
        QVERIFY(!RunIdentity::fromMark(QString()));
    }

    void applicationNameFits()
    {
        RunIdentity id{QStringLiteral("0123456789abcdef0123456789abcdef"), 1, QStringLiteral("bob@h"), QDateTime::currentDateTimeUtc()};
        QCOMPARE(id.applicationName(QStringLiteral("backfill")), QStringLiteral("lockstep 01234567 bob@h backfill"));
        id.operatorName = QStringLiteral("Ümit@") + QString(40, QChar(0x00E9));   // two bytes each in UTF-8
        const QByteArray name = id.applicationName(QStringLiteral("constrain not_null_set")).toUtf8();
        QVERIFY(name.size() <= 63);
        QVERIFY(QString::fromUtf8(name).toUtf8() == name);   // still valid UTF-8: no half character
        QVERIFY(localOperator().contains(QLatin1Char('@')));
    }
};

QTEST_GUILESS_MAIN(TestRunIdentity)
#include "test_run_identity.moc"
