// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/plan_command.h"

#include "app/cli/pooler_guard.h"
#include "core/change/privilege_preflight.h"

#include "app/cli/change_options.h"
#include "app/cli/plan_builder.h"
#include "app/cli/cli.h"
#include "app/cli/console.h"
#include "core/plan/plan_render.h"
#include "core/store/measured_rates.h"

#include <QCommandLineParser>
#include <QJsonDocument>
#include <QJsonObject>

namespace lockstep::cli {

int planCommand(const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Plan a zero-downtime new-column change: validate it against the server and print its phased steps\n"
        "(expand, backfill, constrain, switch, contract) with their SQL, locks and rollback SQL.\n"
        "Nothing is changed on the server."));
    p.addHelpOption();
    p.addOption({QStringLiteral("db"), QStringLiteral("libpq connection string or URI (PG* variables, ~/.pgpass and services apply)."), QStringLiteral("CONNINFO")});
    addChangeOptions(p);
    addTakeOverOption(p);
    p.addOption({QStringLiteral("until"), QStringLiteral("Stop the plan after this phase: expand, backfill, constrain, switch, contract (default)."), QStringLiteral("PHASE"), QStringLiteral("contract")});
    p.addOption({QStringLiteral("format"), QStringLiteral("Output: text (default), sql (a psql script), json."), QStringLiteral("FORMAT"), QStringLiteral("text")});
    p.addOption({QStringLiteral("lock-timeout"), QStringLiteral("lock_timeout in ms before each brief ACCESS EXCLUSIVE statement (default 1000)."), QStringLiteral("MS"), QStringLiteral("1000")});
    p.addOption({QStringLiteral("journal"), QStringLiteral("The run journal whose earlier runs on this server calibrate the backfill's estimate (default: %1; read only, not created).").arg(store::Journal::defaultPath()), QStringLiteral("PATH"), store::Journal::defaultPath()});

    if (!p.parse(args))
        return usageError(p.errorText());
    if (p.isSet(QStringLiteral("help"))) {
        out() << subcommandHelp(p.helpText(), QStringLiteral("plan"));
        return ExitOk;
    }
    if (!p.positionalArguments().isEmpty())
        return usageError(QStringLiteral("unexpected argument: %1").arg(p.positionalArguments().first()));

    const QString format = p.value(QStringLiteral("format"));
    if (format != QLatin1String("text") && format != QLatin1String("sql") && format != QLatin1String("json"))
        return usageError(QStringLiteral("--format: \"%1\" is not one of text, sql, json").arg(format));
    const auto until = phaseFromName(p.value(QStringLiteral("until")));
    if (!until)
        return usageError(QStringLiteral("--until: \"%1\" is not a phase (expand, backfill, constrain, switch, contract)")
                              .arg(p.value(QStringLiteral("until"))));
    bool ok = false;
    PlannerOptions options;
    options.lockTimeoutMs = p.value(QStringLiteral("lock-timeout")).toInt(&ok);
    if (!ok || options.lockTimeoutMs < 1 || options.lockTimeoutMs > 600000)
        return usageError(QStringLiteral("--lock-timeout: expected milliseconds between 1 and 600000"));

    QString error;
    const auto change = changeFromOptions(p, &error);
    if (!change)
        return usageError(error);
    // Everything that can be checked without the server is checked before connecting.
    if (const int rc = validateOffline(*change))
        return rc;
    int rc = ExitOk;
    const auto conn = connectOrReport(p.value(QStringLiteral("db")), QStringLiteral("plan"), &rc);
    if (!conn)
        return rc;
    notePooler(*conn, p.value(QStringLiteral("db")), QStringLiteral("plan"));
    // The backfill's estimate from what earlier runs on this server measured, when the journal has any.
    const QString journalPath = p.value(QStringLiteral("journal"));
    QString unreadable;
    options = store::calibratedFromJournal(options, journalPath, p.value(QStringLiteral("db")), &unreadable);
    if (!unreadable.isEmpty())
        err() << "lockstep plan: the journal " << journalPath << " could not be read (" << unreadable
              << "); the estimates use the default model" << Qt::endl;
    Plan plan;
    if ((rc = resolveAndPlan(*conn, *change, options, QStringLiteral("plan"), &plan, p.isSet(QStringLiteral("take-over")))))
        return rc;
    plan = plan.until(*until);
    // The privileges this role has for the plan; whoever runs it needs the required ones (`run` refuses
    // without them). The plan itself stays the same whoever runs it.
    const QVector<PrivilegeCheck> privileges = privilegePreflight(*conn, plan);
    if (format == QLatin1String("json")) {
        QJsonObject json = plan.toJson();
        json.insert(QStringLiteral("privileges"), privilegesJson(privileges));
        out() << QJsonDocument(json).toJson(QJsonDocument::Indented);
    } else if (format == QLatin1String("sql")) {
        out() << renderSqlScript(plan);
    } else {
        out() << renderText(plan);
        out() << "\nPrivileges of this role for the plan:\n";
        for (const QString& line : describePrivileges(privileges))
            out() << "  " << line << "\n";
    }
    out().flush();
    return ExitOk;
}

} // namespace lockstep::cli
