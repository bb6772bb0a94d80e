// SPDX-License-Identifier: GPL-3.0-or-later
// Plans written to disk: the psql script, numbered files for Flyway or sqitch, the JSON.
#include "core/plan/plan_export.h"

#include "core/plan/plan_render.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>

namespace lockstep {

namespace {
QString commented(const QString& text)
{
    QString out;
    for (const QString& line : text.split(QLatin1Char('\n')))
        out += (line.startsWith(QLatin1String("--")) ? line
                : line.trimmed().isEmpty()           ? QStringLiteral("--")
                                                     : QStringLiteral("-- ") + line)
               + QLatin1Char('\n');
    return out;
}

QString safeId(const QString& id)
{
    QString out;
    for (const QChar c : id)
        out += (c.isLetterOrNumber() && c.unicode() < 128) || c == QLatin1Char('_') ? c : QLatin1Char('_');
    return out.isEmpty() ? QStringLiteral("step") : out;
}

bool psqlOnly(const Step& s)
{
    for (const QString& st : s.statements)
        if (st.contains(QLatin1String("\\gexec")))
            return true;
    return false;
}

QString lockDescription(const Step& s)
{
    if (!s.lock)
        return QStringLiteral("none");
    const QStringList blocks = lockBlocks(*s.lock);
    return lockModeName(*s.lock)
           + (blocks.isEmpty() ? QStringLiteral(" (blocks no reads or writes)")
                               : QStringLiteral(" (blocks %1)").arg(blocks.join(QLatin1String(" and "))));
}

// The comment every numbered file opens with: which plan, which step, what it locks, and why.
QString stepHeader(const Plan& plan, int index)
{
    const Step& s = plan.steps[index];
    QString out = QStringLiteral("-- Lockstep plan: %1 on %2\n").arg(commentSafe(describeChange(plan)), commentSafe(plan.table));
    out += QStringLiteral("-- Step %1 of %2 (%3): %4 - %5\n")
               .arg(QString::number(index + 1), QString::number(plan.steps.size()), phaseName(s.phase), s.id,
                    commentSafe(s.title));
    QStringList flags{QStringLiteral("Lock: ") + lockDescription(s)};
    if (s.rewrites)
        flags << QStringLiteral("rewrites the table");
    if (s.scans)
        flags << QStringLiteral("scans the table");
    flags << QStringLiteral("est. ") + formatDuration(s.estimatedSeconds);
    out += QStringLiteral("-- ") + flags.join(QLatin1String("; ")) + QLatin1Char('\n');
    out += QStringLiteral("-- Why: ") + commentSafe(s.why) + QLatin1Char('\n');
    if (!s.reversible)
        out += QStringLiteral("-- IRREVERSIBLE: the point of no return; nothing can undo this step.\n");
    if (!s.statements.isEmpty() && !s.transactional)
        out += QStringLiteral("-- must run outside a transaction\n");
    if (psqlOnly(s))
        out += QStringLiteral("-- psql only: this script uses \\gexec; run it with psql -v ON_ERROR_STOP=1 -f, not a "
                              "migration tool's SQL runner.\n");
    return out + QLatin1Char('\n');
}

QString gateBody(const Step& s)
{
    return QStringLiteral("-- Nothing to run: this step is a gate. Do what it says before running the next step.\n")
           + commented(s.sql.trimmed().isEmpty() ? s.title : s.sql.trimmed());
}

QString statementsBody(const QStringList& statements, bool wrapInTransaction)
{
    QString out;
    if (wrapInTransaction)
        out += QStringLiteral("BEGIN;\n");
    out += statements.join(QLatin1Char('\n')) + QLatin1Char('\n');
    if (wrapInTransaction)
        out += QStringLiteral("COMMIT;\n");
    return out;
}

QStringList rollbackStatementsOf(const Step& s)
{
    if (!s.rollbackStatements.isEmpty())
        return s.rollbackStatements;
    return s.rollbackSql.trimmed().isEmpty() ? QStringList() : QStringList{s.rollbackSql.trimmed()};
}

ExportFile flywayFile(const Plan& plan, int index, int number)
{
    const Step& s = plan.steps[index];
    QString body = stepHeader(plan, index);
    // Flyway opens the transaction itself; a BEGIN inside would nest badly.
    body += s.statements.isEmpty() ? gateBody(s) : statementsBody(s.statements, false);
    body += QStringLiteral("\n-- Rollback (not executed by Flyway; run by hand to undo this step):\n");
    const QStringList rollback = rollbackStatementsOf(s);
    if (!s.reversible)
        body += QStringLiteral("--   none: irreversible\n");
    else if (rollback.isEmpty())
        body += QStringLiteral("--   nothing to undo\n");
    else
        for (const QString& line : rollback.join(QLatin1Char('\n')).split(QLatin1Char('\n')))
            body += QStringLiteral("--   ") + line + QLatin1Char('\n');
    return {QStringLiteral("V%1__%2.sql").arg(number).arg(safeId(s.id)), body.toUtf8()};
}

ExportFile sqitchDeploy(const Plan& plan, int index, const QString& name)
{
    const Step& s = plan.steps[index];
    QString body = stepHeader(plan, index);
    body += s.statements.isEmpty() ? gateBody(s) : statementsBody(s.statements, s.transactional);
    return {QStringLiteral("deploy/") + name, body.toUtf8()};
}

ExportFile sqitchRevert(const Plan& plan, int index, const QString& name)
{
    const Step& s = plan.steps[index];
    QString body = QStringLiteral("-- Revert of step %1 of %2 (%3): %4 - %5\n")
                       .arg(QString::number(index + 1), QString::number(plan.steps.size()), phaseName(s.phase), s.id,
                            commentSafe(s.title));
    const QStringList rollback = rollbackStatementsOf(s);
    if (!s.reversible) {
        // Failing loudly beats a revert that reports success and undid nothing.
        body += QStringLiteral("-- IRREVERSIBLE: the point of no return; nothing can undo this step.\n\n"
                               "DO $lockstep$ BEGIN RAISE EXCEPTION 'step %1 (%2) cannot be reverted'; END $lockstep$;\n")
                    .arg(QString::number(index + 1), safeId(s.id));
    } else if (rollback.isEmpty()) {
        body += QStringLiteral("-- Nothing to undo.\n");
    } else {
        const bool concurrently = rollback.join(QLatin1Char(' ')).contains(QLatin1String("CONCURRENTLY"), Qt::CaseInsensitive);
        if (concurrently)
            body += QStringLiteral("-- must run outside a transaction\n");
        body += QLatin1Char('\n') + statementsBody(rollback, !concurrently);
    }
    return {QStringLiteral("revert/") + name, body.toUtf8()};
}

QString absoluteFor(const QString& dir, const QString& relative)
{
    return QDir(dir).absoluteFilePath(relative);
}
} // namespace

QVector<ExportFile> numberedFiles(const Plan& plan, NumberedStyle style, int firstNumber)
{
    QVector<ExportFile> files;
    for (int i = 0; i < plan.steps.size(); ++i) {
        const int number = firstNumber + i;
        const Step& s = plan.steps[i];
        if (style == NumberedStyle::Flyway) {
            const ExportFile file = flywayFile(plan, i, number);
            files << file;
            if (!s.statements.isEmpty() && !s.transactional)
                files << ExportFile{file.relativePath + QStringLiteral(".conf"), QByteArrayLiteral("executeInTransaction=false\n")};
        } else {
            const QString name = QStringLiteral("%1-%2.sql").arg(number, 3, 10, QLatin1Char('0')).arg(safeId(s.id));
            files << sqitchDeploy(plan, i, name) << sqitchRevert(plan, i, name);
        }
    }
    return files;
}

int nextMigrationNumber(const QString& dir, NumberedStyle style)
{
    const bool flyway = style == NumberedStyle::Flyway;
    static const QRegularExpression flywayName(QStringLiteral("^V(\\d+)__.*\\.sql$"));
    static const QRegularExpression sqitchName(QStringLiteral("^(\\d+)-.*\\.sql$"));
    const QDir d(flyway ? dir : QDir(dir).filePath(QStringLiteral("deploy")));
    int highest = 0;
    for (const QString& name : d.entryList(QDir::Files)) {
        const QRegularExpressionMatch m = (flyway ? flywayName : sqitchName).match(name);
        if (m.hasMatch())
            highest = qMax(highest, m.captured(1).toInt());
    }
    return highest + 1;
}

void writeFileAtomically(const QString& path, const QByteArray& data)
{
    const QFileInfo info(path);
    if (info.isDir())
        throw ExportError(QStringLiteral("Cannot write %1: it is a directory").arg(path).toStdString());
    const QString parent = info.absolutePath();
    if (!QDir().mkpath(parent))
        throw ExportError(QStringLiteral("Cannot create directory %1: check that the path exists and is writable").arg(parent).toStdString());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        throw ExportError(QStringLiteral("Cannot write %1: %2").arg(path, file.errorString()).toStdString());
    if (file.write(data) != data.size() || !file.commit())
        throw ExportError(QStringLiteral("Cannot write %1: %2").arg(path, file.errorString()).toStdString());
}

void exportSingleFile(const Plan& plan, const QString& path)
{
    writeFileAtomically(path, renderSqlScript(plan).toUtf8());
}

QStringList exportNumberedFiles(const Plan& plan, const QString& dir, NumberedStyle style, int firstNumber)
{
    if (QFileInfo(dir).exists() && !QFileInfo(dir).isDir())
        throw ExportError(QStringLiteral("Cannot export to %1: it is a file, not a directory").arg(dir).toStdString());
    if (!QDir().mkpath(dir))
        throw ExportError(QStringLiteral("Cannot create directory %1: check that the path exists and is writable").arg(dir).toStdString());
    QStringList written;
    for (const ExportFile& f : numberedFiles(plan, style, firstNumber)) {
        const QString path = absoluteFor(dir, f.relativePath);
        writeFileAtomically(path, f.contents);
        written << path;
    }
    return written;
}

void exportPlanJson(const Plan& plan, const QString& path)
{
    writeFileAtomically(path, QJsonDocument(plan.toJson()).toJson(QJsonDocument::Indented));
}

} // namespace lockstep
