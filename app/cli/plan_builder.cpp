// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/plan_builder.h"

#include "app/cli/cli.h"
#include "app/cli/console.h"
#include "core/change/change_error.h"
#include "core/change/change_resolver.h"
#include "core/change/change_validator.h"

namespace lockstep::cli {

std::unique_ptr<pg::Connection> connectOrReport(const QString& conninfo, const QString& command, int* exitCode)
{
    try {
        *exitCode = ExitOk;
        return pg::Connection::open(conninfo);
    } catch (const pg::PgException& e) {
        err() << "lockstep " << command << ": cannot connect: " << e.error().message << Qt::endl;
        *exitCode = ExitCannotConnect;
        return nullptr;
    }
}

int validateOffline(const NewColumnChange& change)
{
    try {
        validateChange(change);
        return ExitOk;
    } catch (const ChangeError& e) {
        return usageError(QString::fromUtf8(e.what()));
    }
}

void addTakeOverOption(QCommandLineParser& parser)
{
    parser.addOption({QStringLiteral("take-over"),
                      QStringLiteral("The new column was left by an unfinished run whose machine or journal is gone: plan "
                                     "the same change as that run, adopting what it left (refused while it still runs).")});
}

int resolveAndPlan(pg::Connection& conn, const NewColumnChange& change, const PlannerOptions& options,
                   const QString& command, Plan* plan, bool takeOver)
{
    try {
        ChangeResolver resolver(conn);
        resolver.setTakeOver(takeOver);
        const auto resolved = resolver.resolve(change);
        const pg::Connection& c = conn;
        Planner planner([&c](const QString& name) { return c.quoteIdent(name); }, options);
        *plan = planner.plan(resolved.table, resolved.change);
        plan->takesOver = resolved.takesOver ? resolved.takesOver->mark() : QString();
        return ExitOk;
    } catch (const ChangeError& e) {
        return usageError(QString::fromUtf8(e.what()));
    } catch (const pg::PgException& e) {
        if (e.error().isConnectionError() || !conn.isOk()) {
            err() << "lockstep " << command << ": lost the connection: " << e.error().toString() << Qt::endl;
            return ExitCannotConnect;
        }
        err() << "lockstep " << command << ": the server refused a catalog query: " << e.error().toString() << Qt::endl;
        return ExitFailure;
    }
}

} // namespace lockstep::cli
