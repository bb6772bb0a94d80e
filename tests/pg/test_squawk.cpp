// SPDX-License-Identifier: GPL-3.0-or-later
// The `sql` script of every change shape passes squawk (npm squawk-cli) with no warnings, except style
// rules that the user's own choice triggers (listed below with the reason).
#include "tests/support/pg_fixture.h"
#include "tests/support/shape_fixtures.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace lockstep::test;

namespace {
// Rules a user's own choice triggers, not the plan's way of doing it.
const QStringList kUserChoiceRules{
    QStringLiteral("prefer-bigint-over-int"),      // the user chose integer
    QStringLiteral("prefer-bigint-over-smallint"), // the user chose smallint
    QStringLiteral("prefer-text-field"),           // the user chose varchar(n)
    QStringLiteral("prefer-timestamptz"),          // the user chose timestamp
    QStringLiteral("ban-char-field"),              // the user chose char(n)
    QStringLiteral("prefer-identity"),             // the user chose serial
};
// A replace drops the old column at contract: that is what the user asked for.
const QString kReplaceOnlyRule = QStringLiteral("ban-drop-column");
} // namespace

class TestSquawk : public QObject {
    Q_OBJECT
private:
    QString m_db;
    QString m_squawk;

private slots:
    void initTestCase()
    {
        m_squawk = QStandardPaths::findExecutable(QStringLiteral("squawk"));
        QVERIFY2(!m_squawk.isEmpty(), "squawk is not on PATH (npm install -g squawk-cli; .ci/run installs it)");
        m_db = freshDatabase(QStringLiteral("squawk"));
        lockstep::test::connect(m_db)->execScript(shapeFixtureSql(100));
    }

    void scriptPassesSquawk_data()
    {
        QTest::addColumn<int>("index");
        const auto shapes = changeShapes();
        for (int i = 0; i < shapes.size(); ++i)
            QTest::newRow(qPrintable(shapes[i].name)) << i;
    }

    void scriptPassesSquawk()
    {
        QFETCH(int, index);
        const ChangeShape shape = changeShapes().at(index);
        QStringList args{QStringLiteral("plan"), QStringLiteral("--db"), m_db, QStringLiteral("--format"), QStringLiteral("sql")};
        args << shape.flags;
        const ProcessResult plan = runLockstep(args);
        QVERIFY2(plan.exitCode == 0, plan.err.constData());
        QTemporaryDir dir;
        const QString path = dir.filePath(shape.name + QStringLiteral(".sql"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(plan.out);
        f.close();

        const ProcessResult lint = runProcess(m_squawk, {QStringLiteral("--reporter"), QStringLiteral("json"),
                                                         QStringLiteral("--pg-version"), QStringLiteral("15"), path});
        const QJsonDocument doc = QJsonDocument::fromJson(lint.out);
        QVERIFY2(doc.isArray(), lint.out.constData());
        QStringList unexpected;
        for (const auto& v : doc.array()) {
            const QJsonObject w = v.toObject();
            const QString rule = w.value(QStringLiteral("rule_name")).toString();
            if (kUserChoiceRules.contains(rule) || (shape.replace && rule == kReplaceOnlyRule))
                continue;
            unexpected << QStringLiteral("line %1: %2: %3").arg(w.value(QStringLiteral("line")).toInt() + 1)
                              .arg(rule, w.value(QStringLiteral("message")).toString());
        }
        QVERIFY2(unexpected.isEmpty(), qPrintable(unexpected.join(QLatin1Char('\n'))));
        // Exit status agrees: non-zero only when some warning was reported.
        QCOMPARE(lint.exitCode != 0, !doc.array().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSquawk)
#include "test_squawk.moc"
