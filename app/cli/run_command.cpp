// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/run_command.h"

#include "app/cli/change_options.h"
#include "app/cli/cli.h"
#include "app/cli/console.h"
#include "app/cli/plan_builder.h"
#include "app/cli/pooler_guard.h"
#include "app/cli/run_driver.h"
#include "app/cli/run_options.h"
#include "core/change/privilege_preflight.h"
#include "core/pg/conninfo_redaction.h"
#include "core/run/run_creation.h"
#include "core/run/run_ownership.h"
#include "core/run/table_claim.h"
#include "core/store/journal.h"
#include "core/store/measured_rates.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonDocument>

namespace lockstep::cli {

namespace {
int planFromFile(const QString& path, Plan* plan)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return usageError(QStringLiteral("--plan: cannot read %1: %2").arg(path, f.errorString()));
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll());
    if (!doc.isObject() || !doc.object().value(QStringLiteral("steps")).isArray())
        return usageError(QStringLiteral("--plan: %1 is not a plan (lockstep plan --format json)").arg(path));
    *plan = Plan::fromJson(doc.object());
    if (plan->steps.isEmpty())
        return usageError(QStringLiteral("--plan: %1 has no steps").arg(path));
    return ExitOk;
}

// resume and rollback: the run from the journal, on the journal's connection (or --db's).
int continueRun(const QStringList& args, const QString& command, RunAction action, const QString& description)
{
    QCommandLineParser p;
    p.setApplicationDescription(description);
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("RUN_ID"), QStringLiteral("The run (see lockstep status)."));
    addRunTuningOptions(p, false);
    if (!p.parse(args))
        return usageError(p.errorText());
    if (p.isSet(QStringLiteral("help"))) {
        out() << subcommandHelp(p.helpText(), command);
        return ExitOk;
    }
    QString error;
    const auto runId = runIdFrom(p, &error);
    const auto options = runId ? runOptionsFrom(p, &error) : std::nullopt;
    const auto maxLag = options ? maxLagSecondsFrom(p, &error) : std::nullopt;
    if (!maxLag)
        return usageError(error);
    const QString journalPath = p.value(QStringLiteral("journal"));
    if (!QFile::exists(journalPath))
        return usageError(QStringLiteral("RUN_ID: no journal at %1").arg(journalPath));
    std::optional<store::RunRecord> run;
    {
        store::Journal journal(journalPath);
        run = journal.run(*runId);
    }
    if (!run)
        return usageError(QStringLiteral("RUN_ID: no run %1 in %2").arg(*runId).arg(journalPath));
    const QString conninfo = p.isSet(QStringLiteral("db")) ? p.value(QStringLiteral("db")) : run->conninfo;
    int rc = ExitOk;
    const auto conn = connectOrReport(conninfo, command, &rc);
    if (!conn)
        return rc;
    if (refusedThroughPooler(*conn, conninfo, command))
        return ExitInvalidInput;
    // The run's own options (rate cap, batch target, lag limit, lock waits, pacing); a flag given here
    // overrides one, said and journaled.
    const run::JournaledOptions journaled = run::optionsFromJson(run->options);
    const run::JournaledOptions used = resumedOptions(p, journaled, *options, *maxLag);
    const QStringList changed = run::changedOptions(journaled, used);
    if (changed.isEmpty()) {
        err() << QStringLiteral("run %1 %2 with its journaled options: %3")
                     .arg(*runId).arg(command == QLatin1String("resume") ? QStringLiteral("resumes") : QStringLiteral("rolls back"),
                                      run::optionsAsFlags(used)) << Qt::endl;
    } else {
        err() << QStringLiteral("run %1: options changed for this %2: %3").arg(*runId).arg(command, changed.join(QStringLiteral(", ")))
              << Qt::endl;
        store::Journal journal(journalPath);
        journal.setRunOptions(*runId, run::optionsToJson(used));
        journal.addEvent(*runId, QStringLiteral("options"),
                         QStringLiteral("%1 with options changed: %2").arg(command, changed.join(QStringLiteral(", "))));
    }
    return driveRun(conninfo, journalPath, *runId, used.run, used.maxLagSeconds, action);
}
} // namespace

int runCommand(const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Plan a new-column change and execute it, journaled: DDL under lock_timeout with retries, the backfill\n"
        "in adaptive batches. Stops after --until (default constrain: nothing irreversible without asking\n"
        "again). Ctrl+C stops cleanly; the run can be resumed (lockstep resume) or undone (lockstep rollback)."));
    p.addHelpOption();
    addChangeOptions(p);
    addTakeOverOption(p);
    p.addOption({QStringLiteral("plan"), QStringLiteral("Execute this plan (lockstep plan --format json) instead of planning from flags."),
                 QStringLiteral("FILE.json")});
    p.addOption({QStringLiteral("until"), QStringLiteral("Last phase to run: expand, backfill, constrain (default), switch, contract."),
                 QStringLiteral("PHASE"), QStringLiteral("constrain")});
    addRunTuningOptions(p, true);
    if (!p.parse(args))
        return usageError(p.errorText());
    if (p.isSet(QStringLiteral("help"))) {
        out() << subcommandHelp(p.helpText(), QStringLiteral("run"));
        return ExitOk;
    }
    if (!p.positionalArguments().isEmpty())
        return usageError(QStringLiteral("unexpected argument: %1").arg(p.positionalArguments().first()));
    const auto until = phaseFromName(p.value(QStringLiteral("until")));
    if (!until)
        return usageError(QStringLiteral("--until: \"%1\" is not a phase (expand, backfill, constrain, switch, contract)")
                              .arg(p.value(QStringLiteral("until"))));
    QString error;
    const auto options = runOptionsFrom(p, &error);
    const auto maxLag = options ? maxLagSecondsFrom(p, &error) : std::nullopt;
    if (!maxLag)
        return usageError(error);

    Plan plan;
    std::optional<NewColumnChange> change;
    if (p.isSet(QStringLiteral("plan"))) {
        if (const int rc = planFromFile(p.value(QStringLiteral("plan")), &plan))
            return rc;
    } else {
        change = changeFromOptions(p, &error);
        if (!change)
            return usageError(error);
        if (const int rc = validateOffline(*change))
            return rc;
    }
    const QString conninfo = p.value(QStringLiteral("db"));
    int rc = ExitOk;
    const auto conn = connectOrReport(conninfo, QStringLiteral("run"), &rc);
    if (!conn)
        return rc;
    {
        // One run per change: a second one would find the first one's steps "already done", and a rollback
        // of either would drop the column the other owns. Checked before planning: the owner's column
        // exists, so the resolver would only say that.
        const QString table = change ? change->table : plan.table;
        const QString column = change ? change->column : plan.change.column;
        store::Journal journal(p.value(QStringLiteral("journal")));
        if (const auto owner = run::owningRun(journal, conninfo, table, column)) {
            err() << QStringLiteral("lockstep run: column %1 of %2 is owned by %3; continue it (lockstep resume %4) or "
                                    "undo it (lockstep rollback %4) instead of starting another run")
                         .arg(column, table, run::describeOwner(journal, *owner)).arg(owner->id)
                  << Qt::endl;
            return ExitOwned;
        }
    }
    if (change) {
        PlannerOptions planner;
        planner.lockTimeoutMs = options->lockTimeoutMs;
        // The backfill's estimate from what earlier runs on this server measured (the journal), when any.
        planner = store::calibratedFromJournal(planner, p.value(QStringLiteral("journal")), conninfo);
        if ((rc = resolveAndPlan(*conn, *change, planner, QStringLiteral("run"), &plan, p.isSet(QStringLiteral("take-over")))))
            return rc;
    } else {
        // A plan file was proven when it was made; rows written since may not convert: again, before expand.
        Plan fresh;
        if ((rc = resolveAndPlan(*conn, plan.change, PlannerOptions{}, QStringLiteral("run"), &fresh, !plan.takesOver.isEmpty())))
            return rc;
    }

    if (refusedThroughPooler(*conn, conninfo, QStringLiteral("run")))
        return ExitInvalidInput;
    // A role without a privilege the plan needs would fail part-way (managed services give no superuser):
    // refused now, with the GRANT; the optional ones are said.
    {
        const QVector<PrivilegeCheck> privileges = privilegePreflight(*conn, plan);
        const QVector<PrivilegeCheck> missing = missingRequired(privileges);
        if (!missing.isEmpty()) {
            err() << "lockstep run: this role lacks what the plan needs; nothing was done:\n";
            for (const QString& line : describePrivileges(missing))
                err() << "  " << line << "\n";
            err().flush();
            return ExitInvalidInput;
        }
        for (const PrivilegeCheck& c : privileges)
            if (!c.granted)
                err() << QStringLiteral("warning: no %1 (%2); %3").arg(c.name, c.neededFor, c.fix) << Qt::endl;
    }
    // Another operator's run working on the table right now (its claim, on the server): refused before
    // anything is journaled. Two started at the same instant both pass here; the Runner's claim decides.
    if (const auto holder = run::tableClaimHolder(*conn, plan.table)) {
        err() << QStringLiteral("lockstep run: another run is working on %1: %2; nothing was done. Wait for it to "
                                "finish, or ask its operator").arg(plan.table, holder->describe()) << Qt::endl;
        return ExitOwned;
    }
    qint64 runId = 0;
    {
        store::Journal journal(p.value(QStringLiteral("journal")));
        runId = run::createRun(journal, plan, pg::conninfoWithoutPassword(conninfo), *until);
        journal.setRunOptions(runId, run::optionsToJson({*options, *maxLag}));
    }
    err() << QStringLiteral("run %1: %2, until %3 (journal %4)")
                 .arg(runId).arg(plan.table, phaseName(*until), p.value(QStringLiteral("journal"))) << Qt::endl;
    // The full conninfo (with a password, if one was given) stays in memory for this process only.
    return driveRun(conninfo, p.value(QStringLiteral("journal")), runId, *options, *maxLag, RunAction::Start);
}

int resumeCommand(const QStringList& args)
{
    return continueRun(args, QStringLiteral("resume"), RunAction::Start,
                       QStringLiteral("Continue a journaled run from where it stopped: the step that was running is\n"
                                      "checked against the catalog, the backfill continues from its last checkpoint."));
}

int rollbackCommand(const QStringList& args)
{
    return continueRun(args, QStringLiteral("rollback"), RunAction::Rollback,
                       QStringLiteral("Undo a run: the rollback SQL of its completed steps, last first, under the same\n"
                                      "lock_timeout and retry rules. Refused once the old column was dropped."));
}

} // namespace lockstep::cli
