// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/status_command.h"

#include "app/cli/cli.h"
#include "app/cli/console.h"
#include "core/store/journal.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace lockstep::cli {

namespace {
QString isoOrNull(const QDateTime& t) { return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString(); }

QJsonObject runJson(const store::RunRecord& run, const QVector<store::StepRecord>& steps)
{
    QJsonArray stepArray;
    for (const store::StepRecord& s : steps) {
        const Step* planned = s.index < run.plan.steps.size() ? &run.plan.steps[s.index] : nullptr;
        stepArray.append(QJsonObject{
            {QStringLiteral("index"), s.index},
            {QStringLiteral("id"), s.stepId},
            {QStringLiteral("phase"), planned ? phaseName(planned->phase) : QString()},
            {QStringLiteral("title"), planned ? planned->title : QString()},
            {QStringLiteral("state"), store::stepStateName(s.state)},
            {QStringLiteral("attempts"), s.attempts},
            {QStringLiteral("started_at"), isoOrNull(s.startedAt)},
            {QStringLiteral("ended_at"), isoOrNull(s.endedAt)},
            {QStringLiteral("error_sqlstate"), s.errorSqlstate},
            {QStringLiteral("error"), s.errorMessage},
        });
    }
    return QJsonObject{
        {QStringLiteral("id"), run.id},
        {QStringLiteral("state"), store::runStateName(run.state)},
        {QStringLiteral("table"), run.table},
        {QStringLiteral("server"), run.server},
        {QStringLiteral("until"), run.untilPhase},
        {QStringLiteral("started_at"), isoOrNull(run.startedAt)},
        {QStringLiteral("ended_at"), isoOrNull(run.endedAt)},
        {QStringLiteral("error"), run.lastError},
        {QStringLiteral("options"), run.options},   // what a resume uses (run/run_options_json.h)
        {QStringLiteral("steps"), stepArray},
    };
}

QJsonObject rehearsalJson(const store::RehearsalRecord& r)
{
    return QJsonObject{{QStringLiteral("id"), r.id}, {QStringLiteral("at"), isoOrNull(r.at)}, {QStringLiteral("server"), r.server},
                       {QStringLiteral("table"), r.table}, {QStringLiteral("change"), r.change}, {QStringLiteral("ok"), r.ok},
                       {QStringLiteral("report"), r.report}};
}

void printRehearsalText(const store::RehearsalRecord& r)
{
    const QJsonObject report = r.report;
    out() << "rehearsal " << r.id << "  " << (r.ok ? "ok" : "PROBLEMS") << "  " << r.table << "  (" << r.server << ")  "
          << r.at.toLocalTime().toString(Qt::ISODate) << "  " << r.change << ", "
          << qint64(report.value(QStringLiteral("copy_rows")).toDouble()) << " rows\n";
    for (const QJsonValue& p : report.value(QStringLiteral("problems")).toArray())
        out() << "  problem: " << p.toString() << "\n";
}

void printRunText(const store::RunRecord& run, const QVector<store::StepRecord>& steps, bool withSteps)
{
    out() << "run " << run.id << "  " << store::runStateName(run.state) << "  " << run.table << "  (" << run.server
          << ")  started " << run.startedAt.toLocalTime().toString(Qt::ISODate) << "\n";
    if (!run.lastError.isEmpty())
        out() << "  error: " << run.lastError << "\n";
    if (!withSteps)
        return;
    for (const store::StepRecord& s : steps) {
        const Step* planned = s.index < run.plan.steps.size() ? &run.plan.steps[s.index] : nullptr;
        out() << QStringLiteral("  %1. %2 %3 %4").arg(s.index + 1, 2)
                     .arg(store::stepStateName(s.state), -17)
                     .arg(planned ? phaseName(planned->phase) : QString(), -10)
                     .arg(planned ? planned->title : s.stepId);
        if (s.attempts > 1)
            out() << QStringLiteral("  (%1 attempts)").arg(s.attempts);
        if (!s.errorMessage.isEmpty())
            out() << "\n      " << s.errorSqlstate << " " << s.errorMessage;
        out() << "\n";
    }
}

int printRehearsals(const QString& path, const QString& format)
{
    // Reading must not create an empty journal where none was.
    const QVector<store::RehearsalRecord> rehearsals = QFileInfo::exists(path) ? store::Journal(path).rehearsals()
                                                                               : QVector<store::RehearsalRecord>{};
    if (format == QLatin1String("json")) {
        QJsonArray array;
        for (const store::RehearsalRecord& r : rehearsals)
            array.append(rehearsalJson(r));
        out() << QJsonDocument(array).toJson(QJsonDocument::Indented);
    } else if (rehearsals.isEmpty()) {
        out() << "no rehearsals in " << path << "\n";
    } else {
        for (const store::RehearsalRecord& r : rehearsals)
            printRehearsalText(r);
    }
    out().flush();
    return ExitOk;
}
} // namespace

int statusCommand(const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Show runs from the journal: their state and each step's state.\n"
                                               "With RUN_ID, that run only."));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("RUN_ID"), QStringLiteral("A run id (optional)."), QStringLiteral("[RUN_ID]"));
    p.addOption({QStringLiteral("format"), QStringLiteral("Output: text (default) or json (a list of runs, each with id, state, steps)."),
                 QStringLiteral("FORMAT"), QStringLiteral("text")});
    p.addOption({QStringLiteral("journal"), QStringLiteral("The journal file (default: %1).").arg(store::Journal::defaultPath()),
                 QStringLiteral("PATH"), store::Journal::defaultPath()});
    p.addOption({QStringLiteral("rehearsals"), QStringLiteral("List the rehearsals (lockstep rehearse) instead of the runs: json gives a "
                                                              "list, each with id, at, server, table, change, ok and its report.")});
    if (!p.parse(args))
        return usageError(p.errorText());
    if (p.isSet(QStringLiteral("help"))) {
        out() << subcommandHelp(p.helpText(), QStringLiteral("status"));
        return ExitOk;
    }
    const QString format = p.value(QStringLiteral("format"));
    if (format != QLatin1String("text") && format != QLatin1String("json"))
        return usageError(QStringLiteral("--format: \"%1\" is not one of text, json").arg(format));
    const QStringList positional = p.positionalArguments();
    if (positional.size() > 1)
        return usageError(QStringLiteral("RUN_ID: give at most one run id"));
    qint64 runId = 0;
    if (!positional.isEmpty()) {
        bool ok = false;
        runId = positional.first().toLongLong(&ok);
        if (!ok || runId <= 0)
            return usageError(QStringLiteral("RUN_ID: \"%1\" is not a run id").arg(positional.first()));
    }
    const QString path = p.value(QStringLiteral("journal"));
    if (p.isSet(QStringLiteral("rehearsals"))) {
        if (runId)
            return usageError(QStringLiteral("--rehearsals: lists every rehearsal; give no RUN_ID"));
        return printRehearsals(path, format);
    }
    // Reading must not create an empty journal where none was: no file means no runs.
    QVector<store::RunRecord> runs;
    if (QFileInfo::exists(path)) {
        store::Journal journal(path);
        if (runId) {
            const auto run = journal.run(runId);
            if (!run)
                return usageError(QStringLiteral("RUN_ID: no run %1 in %2").arg(runId).arg(path));
            runs << *run;
        } else {
            runs = journal.runs();
        }
        QJsonArray array;
        for (const store::RunRecord& run : runs) {
            const auto steps = journal.steps(run.id);
            if (format == QLatin1String("json"))
                array.append(runJson(run, steps));
            else
                printRunText(run, steps, runId != 0 || runs.size() == 1);
        }
        if (format == QLatin1String("json"))
            out() << QJsonDocument(array).toJson(QJsonDocument::Indented);
    } else if (runId) {
        return usageError(QStringLiteral("RUN_ID: no run %1 (no journal at %2)").arg(runId).arg(path));
    } else if (format == QLatin1String("json")) {
        out() << "[]\n";
    }
    if (runs.isEmpty() && format == QLatin1String("text"))
        out() << "no runs in " << path << "\n";
    if (!runId && format == QLatin1String("text") && QFileInfo::exists(path)) {
        const QVector<store::RehearsalRecord> rehearsals = store::Journal(path).rehearsals();
        if (!rehearsals.isEmpty())
            out() << "rehearsals: " << rehearsals.size() << ", the last on " << rehearsals.first().table
                  << (rehearsals.first().ok ? " (ok)" : " (problems found)") << "; lockstep status --rehearsals lists them\n";
    }
    out().flush();
    return ExitOk;
}

} // namespace lockstep::cli
