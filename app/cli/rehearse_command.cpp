// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/rehearse_command.h"

#include "app/cli/change_options.h"
#include "app/cli/cli.h"
#include "app/cli/console.h"
#include "app/cli/plan_builder.h"
#include "core/pg/catalog_reader.h"
#include "core/rehearse/rehearsal_report.h"
#include "core/store/journal.h"
#include "core/store/measured_rates.h"

#include <QCommandLineParser>
#include <QJsonDocument>

namespace lockstep::cli {

namespace {
std::optional<qint64> rowsFlag(const QCommandLineParser& p, const QString& flag, qint64 min, QString* error)
{
    bool ok = false;
    const qint64 v = p.value(flag).toLongLong(&ok);
    if (!ok || v < min || v > 1000000000LL) {
        *error = QStringLiteral("--%1: expected a whole number of rows from %2 to 1000000000").arg(flag).arg(min);
        return std::nullopt;
    }
    return v;
}

// Kept with the runs, for `status --rehearsals` and a change review; a journal that cannot be written is
// said and does not fail the rehearsal.
void saveInJournal(const QString& path, const QString& conninfo, const rehearse::RehearsalReport& report)
{
    try {
        store::Journal journal(path);
        store::RehearsalRecord r;
        r.server = store::serverAddress(conninfo);
        r.table = report.table;
        r.change = report.change;
        r.ok = report.ok();
        r.report = rehearse::toJson(report);
        const qint64 id = journal.addRehearsal(r);
        err() << "lockstep rehearse: saved as rehearsal " << id << " in " << path << Qt::endl;
    } catch (const std::exception& e) {
        err() << "lockstep rehearse: not saved in " << path << ": " << e.what() << Qt::endl;
    }
}
} // namespace

int rehearseCommand(const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Rehearse a new-column change: build a private copy of the table on a throwaway PostgreSQL server,\n"
        "fill it with synthetic rows shaped by the table's statistics (never its values), run the plan there\n"
        "as production would, and report each step's estimated and rehearsed time. Production is only read."));
    p.addHelpOption();
    p.addOption({QStringLiteral("db"), QStringLiteral("The production server: libpq connection string or URI (read only)."), QStringLiteral("CONNINFO")});
    addChangeOptions(p);
    p.addOption({QStringLiteral("until"), QStringLiteral("Last phase to rehearse: expand, backfill, constrain (default), switch, contract."),
                 QStringLiteral("PHASE"), QStringLiteral("constrain")});
    p.addOption({QStringLiteral("rows"), QStringLiteral("Rows in the copy (default: the table's row estimate)."), QStringLiteral("N"), QStringLiteral("0")});
    p.addOption({QStringLiteral("max-rows"), QStringLiteral("At most this many rows in the copy; row-bound steps are scaled to the real "
                                                            "count (default 1000000)."), QStringLiteral("N"), QStringLiteral("1000000")});
    p.addOption({QStringLiteral("writes-per-sec"), QStringLiteral("Replay this many writes a second on the copy (30 % inserts, 60 % "
                                                                  "updates, 10 % deletes) instead of the table's measured rates."),
                 QStringLiteral("N")});
    p.addOption({QStringLiteral("reads-per-sec"), QStringLiteral("Replay this many key lookups a second instead of the measured rate."),
                 QStringLiteral("N")});
    p.addOption({QStringLiteral("no-traffic"), QStringLiteral("Replay no traffic on the copy.")});
    p.addOption({QStringLiteral("format"), QStringLiteral("Output: text (default), json, markdown (for a change review)."),
                 QStringLiteral("FORMAT"), QStringLiteral("text")});
    p.addOption({QStringLiteral("journal"), QStringLiteral("The journal the rehearsal is saved in (lockstep status --rehearsals lists "
                                                           "them), whose earlier runs on this server also calibrate the estimates "
                                                           "(default: %1).").arg(store::Journal::defaultPath()),
                 QStringLiteral("PATH"), store::Journal::defaultPath()});
    if (!p.parse(args))
        return usageError(p.errorText());
    if (p.isSet(QStringLiteral("help"))) {
        out() << subcommandHelp(p.helpText(), QStringLiteral("rehearse"));
        return ExitOk;
    }
    if (!p.positionalArguments().isEmpty())
        return usageError(QStringLiteral("unexpected argument: %1").arg(p.positionalArguments().first()));
    const QString format = p.value(QStringLiteral("format"));
    if (format != QLatin1String("text") && format != QLatin1String("json") && format != QLatin1String("markdown"))
        return usageError(QStringLiteral("--format: \"%1\" is not one of text, json, markdown").arg(format));
    const auto until = phaseFromName(p.value(QStringLiteral("until")));
    if (!until)
        return usageError(QStringLiteral("--until: \"%1\" is not a phase (expand, backfill, constrain, switch, contract)")
                              .arg(p.value(QStringLiteral("until"))));
    QString error;
    rehearse::RehearsalOptions options;
    const auto rows = rowsFlag(p, QStringLiteral("rows"), 0, &error);
    const auto maxRows = rows ? rowsFlag(p, QStringLiteral("max-rows"), 1, &error) : std::nullopt;
    const auto change = maxRows ? changeFromOptions(p, &error) : std::nullopt;
    if (!change)
        return usageError(error);
    if (const int rc = validateOffline(*change))
        return rc;
    if (change->referencesTable)
        return usageError(QStringLiteral("--references: a rehearsal does not copy the referenced table yet; rehearse the "
                                         "column without it"));
    options.rows = *rows;
    options.maxRows = *maxRows;
    options.until = *until;
    if (p.isSet(QStringLiteral("no-traffic"))) {
        options.traffic = rehearse::TrafficRates{};
    } else if (p.isSet(QStringLiteral("writes-per-sec")) || p.isSet(QStringLiteral("reads-per-sec"))) {
        // Given rates replace the measured ones (what if the traffic doubles?).
        auto rate = [&](const QString& flag, double* value) {
            bool ok = true;
            *value = p.isSet(flag) ? p.value(flag).toDouble(&ok) : 0;
            if (!ok || *value < 0 || *value > 100000)
                error = QStringLiteral("--%1: expected a rate from 0 to 100000 a second").arg(flag);
            return error.isEmpty();
        };
        double writes = 0, reads = 0;
        if (!rate(QStringLiteral("writes-per-sec"), &writes) || !rate(QStringLiteral("reads-per-sec"), &reads))
            return usageError(error);
        options.traffic = rehearse::TrafficRates{writes * 0.3, writes * 0.6, writes * 0.1, reads};
    }

    int rc = ExitOk;
    const QString conninfo = p.value(QStringLiteral("db"));
    const auto conn = connectOrReport(conninfo, QStringLiteral("rehearse"), &rc);
    if (!conn)
        return rc;
    PlannerOptions planner = store::calibratedFromJournal(PlannerOptions{}, p.value(QStringLiteral("journal")), conninfo);
    Plan plan;
    if ((rc = resolveAndPlan(*conn, *change, planner, QStringLiteral("rehearse"), &plan)))
        return rc;
    plan = plan.until(*until);
    try {
        const TableSnapshot table = pg::readTableSnapshot(*conn, plan.tableOid);
        if (table.relkind == 'p')
            return usageError(QStringLiteral("--table: %1 is partitioned; a rehearsal copies plain tables only for now").arg(plan.table));
        const rehearse::RehearsalReport report = rehearse::rehearse(*conn, table, plan, options, [](const QString& what) {
            err() << "lockstep rehearse: " << what << Qt::endl;
        });
        saveInJournal(p.value(QStringLiteral("journal")), conninfo, report);
        if (format == QLatin1String("json"))
            out() << QJsonDocument(rehearse::toJson(report)).toJson(QJsonDocument::Indented);
        else if (format == QLatin1String("markdown"))
            out() << rehearse::renderMarkdown(report);
        else
            out() << rehearse::renderText(report);
        out().flush();
        return report.ok() ? ExitOk : ExitStepFailed;
    } catch (const pg::PgException& e) {
        err() << "lockstep rehearse: " << e.error().toString() << Qt::endl;
        return conn->isOk() ? ExitFailure : ExitCannotConnect;
    } catch (const std::runtime_error& e) {
        err() << "lockstep rehearse: " << e.what() << Qt::endl;
        return ExitFailure;
    }
}

} // namespace lockstep::cli
