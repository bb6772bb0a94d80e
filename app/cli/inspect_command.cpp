// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/inspect_command.h"

#include "app/cli/cli.h"
#include "app/cli/console.h"
#include "app/cli/plan_builder.h"
#include "core/pg/catalog.h"
#include "core/pg/catalog_reader.h"
#include "core/plan/lock_risk.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <optional>

namespace lockstep::cli {

namespace {

void printServer(const pg::CatalogSnapshot& s)
{
    const pg::ServerInfo& server = s.server;
    out() << "server    PostgreSQL " << server.version << " at " << server.host << ", database " << server.database
          << (server.inRecovery ? " (standby)" : " (primary)") << "\n";
    if (server.replicas.isEmpty())
        out() << "replicas  none\n";
    for (const pg::ReplicaInfo& r : server.replicas)
        out() << "replica   " << r.name << " " << r.state << ", " << humanDuration(r.replayLagSeconds) << " behind ("
              << humanBytes(r.replayLagBytes) << " of WAL)\n";
    if (server.hiddenSessions > 0) {
        // Not "none": another role's transaction may be open for hours, and this role cannot tell.
        out() << "long transactions  unknown for " << server.hiddenSessions << " session(s) of other roles: " << server.role
              << " cannot see other roles' sessions (GRANT pg_monitor TO " << server.role << ")";
        if (!server.hiddenLockedTables.isEmpty())
            out() << "; they hold locks on " << server.hiddenLockedTables.join(QStringLiteral(", "));
        out() << "\n";
    } else if (server.longTransactions.isEmpty()) {
        out() << "long transactions  none\n";
    }
    for (const pg::LongTransaction& t : server.longTransactions) {
        out() << "long transaction   pid " << t.pid << " (" << t.user << ", " << t.state << ") open "
              << humanDuration(t.ageSeconds);
        if (!t.lockedTables.isEmpty())
            out() << ", holds locks on " << t.lockedTables.join(QStringLiteral(", "));
        out() << "\n    " << t.query.simplified().left(120) << "\n";
    }
}

void printTables(const pg::CatalogSnapshot& s)
{
    QVector<const pg::TableStats*> order;
    order.reserve(s.tables.size());
    for (const pg::TableStats& t : s.tables)
        order.append(&t);
    std::stable_sort(order.begin(), order.end(), [](const pg::TableStats* a, const pg::TableStats* b) {
        return a->risk > b->risk;
    });
    out() << s.tables.size() << (s.tables.size() == 1 ? " table" : " tables");
    if (s.rateIntervalSeconds > 0)
        out() << QStringLiteral(", rates over %1 s").arg(s.rateIntervalSeconds, 0, 'f', 1);
    else
        out() << ", no rates (one sample)";
    out() << "\n";
    if (order.isEmpty())
        return;
    out() << QStringLiteral("%1  %2  %3  %4  %5  %6  %7\n")
                 .arg(QStringLiteral("RISK"), 4).arg(QStringLiteral("TABLE"), -32).arg(QStringLiteral("SIZE"), 9)
                 .arg(QStringLiteral("ROWS"), 11).arg(QStringLiteral("WRITES/S"), 9).arg(QStringLiteral("READS/S"), 9)
                 .arg(QStringLiteral("WHY"));
    for (const pg::TableStats* t : order) {
        QString name = t->qualifiedName();
        if (t->relkind == 'p')
            name += QStringLiteral(" (partitioned)");
        out() << QStringLiteral("%1  %2  %3  %4  %5  %6  %7\n")
                     .arg(t->risk, 4).arg(name, -32)
                     .arg((t->sizesEstimated ? QStringLiteral("~") : QString()) + humanBytes(t->totalBytes), 9)
                     .arg(QString::number(qint64(t->rows)), 11).arg(humanRate(t->writesPerSecond), 9)
                     .arg(humanRate(t->readsPerSecond), 9)
                     .arg(t->riskReasons.isEmpty() ? QStringLiteral("-") : t->riskReasons.join(QStringLiteral("; ")));
    }
}

QJsonObject detailsJson(const TableSnapshot& t)
{
    QJsonArray columns, indexes, constraints;
    for (const ColumnInfo& c : t.columns)
        columns.append(QJsonObject{{QStringLiteral("name"), c.name}, {QStringLiteral("type"), c.type},
                                   {QStringLiteral("not_null"), c.notNull}, {QStringLiteral("default"), c.defaultExpr}});
    for (const IndexInfo& i : t.indexes)
        indexes.append(QJsonObject{{QStringLiteral("name"), i.name}, {QStringLiteral("definition"), i.definition},
                                   {QStringLiteral("valid"), i.valid}});
    for (const ConstraintInfo& c : t.constraints)
        constraints.append(QJsonObject{{QStringLiteral("name"), c.name}, {QStringLiteral("definition"), c.definition},
                                       {QStringLiteral("validated"), c.validated}});
    return QJsonObject{{QStringLiteral("columns"), columns}, {QStringLiteral("indexes"), indexes},
                       {QStringLiteral("constraints"), constraints},
                       {QStringLiteral("triggers"), QJsonArray::fromStringList(t.triggerNames)}};
}

void printDetails(const TableSnapshot& t)
{
    out() << "columns\n";
    for (const ColumnInfo& c : t.columns)
        out() << "  " << c.name << " " << c.type << (c.notNull ? " NOT NULL" : "")
              << (c.defaultExpr.isEmpty() ? QString() : QStringLiteral(" DEFAULT ") + c.defaultExpr) << "\n";
    out() << "indexes" << (t.indexes.isEmpty() ? "  none" : "") << "\n";
    for (const IndexInfo& i : t.indexes)
        out() << "  " << i.definition << (i.valid ? "" : "  (INVALID)") << "\n";
    out() << "constraints" << (t.constraints.isEmpty() ? "  none" : "") << "\n";
    for (const ConstraintInfo& c : t.constraints)
        out() << "  " << c.name << " " << c.definition << "\n";
    out() << "triggers  " << (t.triggerNames.isEmpty() ? QStringLiteral("none") : t.triggerNames.join(QStringLiteral(", ")))
          << "\n";
}

// One consistent, read-only picture of one table's details.
TableSnapshot readDetails(pg::Connection& conn, quint32 oid)
{
    conn.exec(QStringLiteral("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
    try {
        TableSnapshot t = pg::readTableSnapshot(conn, oid);
        conn.exec(QStringLiteral("COMMIT"));
        return t;
    } catch (...) {
        if (conn.isOk())
            conn.exec(QStringLiteral("ROLLBACK"));
        throw;
    }
}

} // namespace

int inspectCommand(const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Show the server (version, replicas and their lag, long transactions and the tables they lock) and\n"
        "every user table with its size, rows, writes/s and reads/s, and its lock risk 0-100 with the reasons,\n"
        "riskiest first. Reads the catalog only (never waits for a lock)."));
    p.addHelpOption();
    p.addOption({QStringLiteral("db"), QStringLiteral("libpq connection string or URI (PG* variables, ~/.pgpass and services apply)."),
                 QStringLiteral("CONNINFO")});
    p.addOption({QStringLiteral("format"),
                 QStringLiteral("Output: text (default) or json (an object with server and tables; each table with "
                                "schema, name, total_bytes, rows, risk, risk_reasons, ...)."),
                 QStringLiteral("FORMAT"), QStringLiteral("text")});
    p.addOption({QStringLiteral("sample-ms"),
                 QStringLiteral("Wait this long between two samples of the counters for the rates (default 1000; 0: no rates)."),
                 QStringLiteral("MS"), QStringLiteral("1000")});
    p.addOption({QStringLiteral("long-transaction-seconds"),
                 QStringLiteral("Report transactions open at least this long (default 30)."), QStringLiteral("S"), QStringLiteral("30")});
    p.addOption({QStringLiteral("table"), QStringLiteral("Only this table (schema.name), with its columns, indexes, constraints and triggers."),
                 QStringLiteral("NAME")});
    if (!p.parse(args))
        return usageError(p.errorText());
    if (p.isSet(QStringLiteral("help"))) {
        out() << subcommandHelp(p.helpText(), QStringLiteral("inspect"));
        return ExitOk;
    }
    const QString format = p.value(QStringLiteral("format"));
    if (format != QLatin1String("text") && format != QLatin1String("json"))
        return usageError(QStringLiteral("--format: \"%1\" is not one of text, json").arg(format));
    bool ok = false;
    const int sampleMs = p.value(QStringLiteral("sample-ms")).toInt(&ok);
    if (!ok || sampleMs < 0 || sampleMs > 60000)
        return usageError(QStringLiteral("--sample-ms: \"%1\" is not a number of milliseconds from 0 to 60000")
                              .arg(p.value(QStringLiteral("sample-ms"))));
    const double longSeconds = p.value(QStringLiteral("long-transaction-seconds")).toDouble(&ok);
    if (!ok || longSeconds < 0 || longSeconds > 86400 * 30)
        return usageError(QStringLiteral("--long-transaction-seconds: \"%1\" is not a number of seconds from 0 to 2592000")
                              .arg(p.value(QStringLiteral("long-transaction-seconds"))));
    if (!p.isSet(QStringLiteral("db")))
        return usageError(QStringLiteral("--db: give a connection string, e.g. --db \"host=localhost dbname=app\""));
    if (!p.positionalArguments().isEmpty())
        return usageError(QStringLiteral("unexpected argument \"%1\"").arg(p.positionalArguments().first()));

    int rc = ExitOk;
    const auto conn = connectOrReport(p.value(QStringLiteral("db")), QStringLiteral("inspect"), &rc);
    if (!conn)
        return rc;
    try {
        pg::CatalogSnapshot snapshot = pg::readCatalog(*conn, sampleMs, longSeconds);
        std::optional<TableSnapshot> details;
        if (p.isSet(QStringLiteral("table"))) {
            const QString name = p.value(QStringLiteral("table"));
            const pg::Result r = conn->exec(QStringLiteral("SELECT to_regclass($1)::oid"), {name});
            const quint32 oid = r.isNull(0, 0) ? 0 : r.value(0, 0).toUInt();
            const auto it = std::find_if(snapshot.tables.cbegin(), snapshot.tables.cend(),
                                         [oid](const pg::TableStats& t) { return t.oid == oid; });
            if (oid == 0 || it == snapshot.tables.cend())
                return usageError(QStringLiteral("--table: no user table \"%1\"").arg(name));
            const pg::TableStats only = *it;
            snapshot.tables = {only};
            details = readDetails(*conn, oid);
        }
        if (format == QLatin1String("json")) {
            QJsonObject json = pg::toJson(snapshot);
            if (details)
                json.insert(QStringLiteral("details"), detailsJson(*details));
            out() << QJsonDocument(json).toJson(QJsonDocument::Indented);
        } else {
            printServer(snapshot);
            printTables(snapshot);
            if (details)
                printDetails(*details);
        }
    } catch (const pg::PgException& e) {
        if (e.error().isConnectionError() || !conn->isOk()) {
            err() << "lockstep inspect: lost the connection: " << e.error().toString() << Qt::endl;
            return ExitCannotConnect;
        }
        err() << "lockstep inspect: the server refused a catalog query: " << e.error().toString() << Qt::endl;
        return ExitFailure;
    }
    out().flush();
    return ExitOk;
}

} // namespace lockstep::cli
