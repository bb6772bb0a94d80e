// SPDX-License-Identifier: GPL-3.0-or-later
// Plan export: the psql script file, numbered files for Flyway and sqitch (names, order, each step's SQL and
// rollback, the outside-a-transaction marks), the JSON round trip, and refusals of unwritable paths.
#include "core/lint/sql_lint.h"
#include "core/plan/plan_export.h"
#include "core/plan/plan_render.h"
#include "core/plan/planner.h"
#include "tests/unit/test_planner_support.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace lockstep;
using namespace lockstep::test;

namespace {
Plan planFor(const QString& shape, int version = 150004)
{
    const TableSnapshot t = snapshotFor(KeyShape::IntPk, version);
    return Planner(offlineIdentQuoter()).plan(t, shapeChange(shape, t));
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QByteArray();
    return f.readAll();
}

// The SQL lines of a file, without comments and blank lines.
QStringList codeLines(const QString& text)
{
    QStringList out;
    for (const QString& line : text.split(QLatin1Char('\n')))
        if (!line.startsWith(QLatin1String("--")) && !line.trimmed().isEmpty())
            out << line;
    return out;
}

// The statements' SQL lines, without comment lines (a linter directive, e.g. "-- squawk-ignore ...").
QStringList lines(const QStringList& statements)
{
    return codeLines(statements.join(QLatin1Char('\n')));
}
} // namespace

class TestPlanExport : public QObject {
    Q_OBJECT
private slots:
    void flywayNamesOrderAndContents()
    {
        const Plan plan = planFor(QStringLiteral("everything"));
        QVERIFY(plan.steps.size() >= 5);
        const QVector<ExportFile> files = numberedFiles(plan, NumberedStyle::Flyway, 1);

        int fileIndex = 0;
        int nonTransactional = 0;
        for (int i = 0; i < plan.steps.size(); ++i) {
            const Step& s = plan.steps[i];
            QVERIFY(fileIndex < files.size());
            const ExportFile& f = files[fileIndex++];
            QCOMPARE(f.relativePath, QStringLiteral("V%1__%2.sql").arg(i + 1).arg(s.id));
            const QString text = QString::fromUtf8(f.contents);
            QVERIFY2(text.contains(QStringLiteral("Step %1 of %2 (%3): %4").arg(i + 1).arg(plan.steps.size())
                                       .arg(phaseName(s.phase), s.id)),
                     qPrintable(text.left(300)));
            // Flyway owns the transaction: the file's SQL is exactly the step's statements.
            const QStringList code = codeLines(text);
            if (s.statements.isEmpty()) {
                QVERIFY2(code.isEmpty(), qPrintable(text));
                QVERIFY(text.contains(QLatin1String("Nothing to run: this step is a gate")));
            } else {
                QCOMPARE(code, lines(s.statements));
            }
            // The rollback is there, commented out.
            if (s.reversible && !s.rollbackStatements.isEmpty()) {
                for (const QString& line : lines(s.rollbackStatements))
                    QVERIFY2(text.contains(QStringLiteral("--   ") + line), qPrintable(line));
            }
            const bool outside = !s.statements.isEmpty() && !s.transactional;
            QCOMPARE(text.contains(QLatin1String("-- must run outside a transaction")), outside);
            if (outside) {
                ++nonTransactional;
                QVERIFY(fileIndex < files.size());
                const ExportFile& conf = files[fileIndex++];
                QCOMPARE(conf.relativePath, f.relativePath + QStringLiteral(".conf"));
                QCOMPARE(conf.contents, QByteArray("executeInTransaction=false\n"));
            }
        }
        QCOMPARE(fileIndex, files.size());
        QVERIFY2(nonTransactional >= 2, "the backfill and the CONCURRENTLY index build run outside a transaction");

        // Version numbers can continue an existing migration history.
        const QVector<ExportFile> later = numberedFiles(plan, NumberedStyle::Flyway, 42);
        QCOMPARE(later.first().relativePath, QStringLiteral("V42__%1.sql").arg(plan.steps.first().id));
    }

    void sqitchDeployRevertPairs()
    {
        const Plan plan = planFor(QStringLiteral("replace_int_to_bigint"));
        const QVector<ExportFile> files = numberedFiles(plan, NumberedStyle::Sqitch, 1);
        QCOMPARE(files.size(), plan.steps.size() * 2);
        bool sawIrreversible = false;
        for (int i = 0; i < plan.steps.size(); ++i) {
            const Step& s = plan.steps[i];
            const QString name = QStringLiteral("%1-%2.sql").arg(i + 1, 3, 10, QLatin1Char('0')).arg(s.id);
            QCOMPARE(files[2 * i].relativePath, QStringLiteral("deploy/") + name);
            QCOMPARE(files[2 * i + 1].relativePath, QStringLiteral("revert/") + name);
            const QStringList deploy = codeLines(QString::fromUtf8(files[2 * i].contents));
            const QStringList revert = codeLines(QString::fromUtf8(files[2 * i + 1].contents));
            if (s.statements.isEmpty()) {
                QVERIFY(deploy.isEmpty());
            } else if (s.transactional) {
                QCOMPARE(deploy, QStringList{QStringLiteral("BEGIN;")} + lines(s.statements) + QStringList{QStringLiteral("COMMIT;")});
            } else {
                QCOMPARE(deploy, lines(s.statements));
            }
            if (!s.reversible) {
                sawIrreversible = true;
                QCOMPARE(revert.size(), 1);
                QVERIFY(revert.first().contains(QLatin1String("RAISE EXCEPTION")));
            } else if (s.rollbackStatements.isEmpty()) {
                QVERIFY(revert.isEmpty());
            } else {
                for (const QString& line : lines(s.rollbackStatements))
                    QVERIFY2(revert.contains(line), qPrintable(line));
            }
        }
        QVERIFY2(sawIrreversible, "a replace plan ends with the irreversible drop of the old column");
    }

    void psqlOnlyBackfillIsMarked()
    {
        const Plan plan = planFor(QStringLiteral("add_not_null_backfill"), 100023);
        bool marked = false;
        for (const ExportFile& f : numberedFiles(plan, NumberedStyle::Flyway))
            marked = marked || (f.relativePath.contains(QLatin1String("backfill"))
                                && f.contents.contains("psql only: this script uses \\gexec"));
        QVERIFY(marked);
    }

    void writesFilesToDisk()
    {
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const Plan plan = planFor(QStringLiteral("everything"));
        const QString dir = tmp.filePath(QStringLiteral("migrations/new"));   // created on demand
        const QStringList written = exportNumberedFiles(plan, dir, NumberedStyle::Sqitch, 1);
        const QVector<ExportFile> expected = numberedFiles(plan, NumberedStyle::Sqitch, 1);
        QCOMPARE(written.size(), expected.size());
        for (int i = 0; i < expected.size(); ++i) {
            QCOMPARE(written[i], QDir(dir).absoluteFilePath(expected[i].relativePath));
            QCOMPARE(readAll(written[i]), expected[i].contents);
        }
        // Nothing else: no temporary files left behind.
        QCOMPARE(QDir(dir + QStringLiteral("/deploy")).entryList(QDir::Files).size(), plan.steps.size());
        QCOMPARE(QDir(dir + QStringLiteral("/revert")).entryList(QDir::Files).size(), plan.steps.size());
        QCOMPARE(QDir(dir).entryList(QDir::Files).size(), 0);

        // Flyway into a directory that already has files: ours replace theirs by name, others stay.
        const QString flyway = tmp.filePath(QStringLiteral("flyway"));
        QDir().mkpath(flyway);
        QFile old(flyway + QStringLiteral("/V1__") + plan.steps.first().id + QStringLiteral(".sql"));
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write(QByteArray(100000, 'x'));
        old.close();
        const QStringList flywayFiles = exportNumberedFiles(plan, flyway, NumberedStyle::Flyway, 1);
        QVERIFY(!readAll(flywayFiles.first()).contains("xxxx"));
        QCOMPARE(QDir(flyway).entryList(QDir::Files).size(), flywayFiles.size());

        // A second plan exported into the same folder continues the numbering.
        QCOMPARE(nextMigrationNumber(flyway, NumberedStyle::Flyway), plan.steps.size() + 1);
        QCOMPARE(nextMigrationNumber(dir, NumberedStyle::Sqitch), plan.steps.size() + 1);
        QCOMPARE(nextMigrationNumber(dir, NumberedStyle::Flyway), 1);   // no V files there
        QCOMPARE(nextMigrationNumber(tmp.filePath(QStringLiteral("missing")), NumberedStyle::Flyway), 1);
        const QStringList second = exportNumberedFiles(plan, flyway, NumberedStyle::Flyway,
                                                       nextMigrationNumber(flyway, NumberedStyle::Flyway));
        QVERIFY(second.first().endsWith(QStringLiteral("/V%1__%2.sql").arg(plan.steps.size() + 1).arg(plan.steps.first().id)));
        QCOMPARE(nextMigrationNumber(flyway, NumberedStyle::Flyway), 2 * plan.steps.size() + 1);
    }

    void singleFileIsThePsqlScript()
    {
        QTemporaryDir tmp;
        const Plan plan = planFor(QStringLiteral("unique"));
        const QString path = tmp.filePath(QStringLiteral("plan.sql"));
        exportSingleFile(plan, path);
        QCOMPARE(QString::fromUtf8(readAll(path)), renderSqlScript(plan));
    }

    void exportedSqlParsesBack()
    {
        // Read back with the SQL parser: every file a migration tool would run is valid SQL, and together
        // the deploy scripts hold exactly the plan's statements (plus sqitch's BEGIN/COMMIT).
        const Plan plan = planFor(QStringLiteral("everything"));
        int planStatements = 0;
        for (const Step& s : plan.steps)
            planStatements += lint::lintSql(s.statements.join(QLatin1Char('\n'))).statements.size();
        QVERIFY(planStatements > 5);
        QTemporaryDir tmp;
        const QString script = tmp.filePath(QStringLiteral("plan.sql"));
        exportSingleFile(plan, script);
        const lint::LintResult whole = lint::lintSql(QString::fromUtf8(readAll(script)));
        QVERIFY2(!whole.error, qPrintable(whole.error ? whole.error->message : QString()));
        QVERIFY(whole.statements.size() >= planStatements);

        int flyway = 0;
        for (const QString& path : exportNumberedFiles(plan, tmp.filePath(QStringLiteral("fw")), NumberedStyle::Flyway)) {
            if (path.endsWith(QLatin1String(".conf")))
                continue;
            const lint::LintResult r = lint::lintSql(QString::fromUtf8(readAll(path)));
            QVERIFY2(!r.error, qPrintable(path + QLatin1String(": ") + (r.error ? r.error->message : QString())));
            flyway += r.statements.size();
        }
        QCOMPARE(flyway, planStatements);

        int deploy = 0, wrappers = 0;
        for (const QString& path : exportNumberedFiles(plan, tmp.filePath(QStringLiteral("sq")), NumberedStyle::Sqitch)) {
            const lint::LintResult r = lint::lintSql(QString::fromUtf8(readAll(path)));
            QVERIFY2(!r.error, qPrintable(path + QLatin1String(": ") + (r.error ? r.error->message : QString())));
            if (!path.contains(QLatin1String("/deploy/")))
                continue;
            for (const lint::StatementReport& st : r.statements)
                wrappers += st.sql == QLatin1String("BEGIN") || st.sql == QLatin1String("COMMIT");
            deploy += r.statements.size();
        }
        QCOMPARE(deploy - wrappers, planStatements);
    }

    void jsonRoundTrips()
    {
        QTemporaryDir tmp;
        for (const QString& shape : {QStringLiteral("everything"), QStringLiteral("replace_transform")}) {
            const Plan plan = planFor(shape);
            const QString path = tmp.filePath(shape + QStringLiteral(".json"));
            exportPlanJson(plan, path);
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(readAll(path), &error);
            QCOMPARE(error.error, QJsonParseError::NoError);
            const Plan back = Plan::fromJson(doc.object());
            QCOMPARE(back.toJson(), plan.toJson());
            QCOMPARE(back.steps.size(), plan.steps.size());
            QCOMPARE(back.steps.last().sql, plan.steps.last().sql);
            QCOMPARE(back.steps.last().rollbackSql, plan.steps.last().rollbackSql);
        }
    }

    void unwritablePathsAreRefused()
    {
        QTemporaryDir tmp;
        const Plan plan = planFor(QStringLiteral("index"));
        const QString blocker = tmp.filePath(QStringLiteral("a-file"));
        QFile f(blocker);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();

        // A parent that is a file cannot become a directory (this holds for root too).
        const QString under = blocker + QStringLiteral("/sub/plan.sql");
        try {
            exportSingleFile(plan, under);
            QFAIL("exported under a file");
        } catch (const ExportError& e) {
            const QString message = QString::fromStdString(e.what());
            QVERIFY2(message.startsWith(QLatin1String("Cannot create directory")), qPrintable(message));
            QVERIFY2(message.contains(blocker), qPrintable(message));
        }
        QVERIFY_THROWS_EXCEPTION(ExportError, exportPlanJson(plan, under));
        QVERIFY_THROWS_EXCEPTION(ExportError, exportNumberedFiles(plan, blocker, NumberedStyle::Flyway));
        QVERIFY_THROWS_EXCEPTION(ExportError, exportNumberedFiles(plan, blocker + QStringLiteral("/dir"), NumberedStyle::Sqitch));
        // A directory in place of the file.
        QVERIFY_THROWS_EXCEPTION(ExportError, exportSingleFile(plan, tmp.path()));
        QVERIFY(QFileInfo(blocker).isFile());
        QCOMPARE(QFileInfo(blocker).size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestPlanExport)
#include "test_plan_export.moc"
