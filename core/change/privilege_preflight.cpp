// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/change/privilege_preflight.h"

#include "core/pg/catalog_reader.h"

#include <QJsonObject>

namespace lockstep {

namespace {
bool planCreatesSchemaObjects(const Plan& plan)
{
    for (const Step& s : plan.steps)
        if (s.sql.contains(QLatin1String("CREATE OR REPLACE FUNCTION")) || s.sql.contains(QLatin1String("CREATE TABLE")))
            return true;
    return false;
}
// The backfill's spec when the table has triggers an UPDATE of the new column fires, else nullptr.
const BackfillSpec* triggeredBackfill(const Plan& plan)
{
    for (const Step& s : plan.steps)
        if (s.backfill && !s.backfill->applicationTriggers.isEmpty())
            return &*s.backfill;
    return nullptr;
}
} // namespace

QVector<PrivilegeCheck> privilegePreflight(pg::Connection& conn, const Plan& plan)
{
    const QString target = plan.change.referencesTable.value_or(QString());
    const auto r = conn.exec(pg::sqlResource(QStringLiteral("preflight_privileges")),
                             {plan.table, target.isEmpty() ? QVariant() : QVariant(target)});
    QVector<PrivilegeCheck> out;
    if (r.rows() == 0)
        return out;
    auto yes = [&](const char* column) { return r.value(0, column) == QLatin1String("t"); };
    const QString role = conn.quoteIdent(r.value(0, "role"));
    const QString schema = conn.quoteIdent(r.value(0, "schema"));
    out << PrivilegeCheck{QStringLiteral("table ownership (owner: %1)").arg(r.value(0, "owner")), yes("owns_table"), true,
                          QStringLiteral("ALTER TABLE: the column, its constraints and its triggers"),
                          QStringLiteral("GRANT %1 TO %2;").arg(conn.quoteIdent(r.value(0, "owner")), role)};
    if (planCreatesSchemaObjects(plan))
        out << PrivilegeCheck{QStringLiteral("CREATE on schema %1").arg(r.value(0, "schema")), yes("schema_create"), true,
                              QStringLiteral("the sync functions and the helper tables next to the table"),
                              QStringLiteral("GRANT CREATE ON SCHEMA %1 TO %2;").arg(schema, role)};
    out << PrivilegeCheck{QStringLiteral("TRIGGER on %1").arg(plan.table), yes("table_trigger"), true,
                          QStringLiteral("the sync triggers"), QStringLiteral("GRANT TRIGGER ON %1 TO %2;").arg(plan.table, role)};
    if (!target.isEmpty())
        out << PrivilegeCheck{QStringLiteral("REFERENCES on %1").arg(target), yes("fk_references"), true,
                              QStringLiteral("the foreign key"), QStringLiteral("GRANT REFERENCES ON %1 TO %2;").arg(target, role)};
    if (const BackfillSpec* spec = triggeredBackfill(plan)) {
        // Required when the plan relies on it (planned by a role that could): the backfill would refuse to start.
        const QString fix = conn.serverVersionNum() >= 150000
                                ? QStringLiteral("GRANT SET ON PARAMETER session_replication_role TO %1;").arg(role)
                                : QStringLiteral("ALTER ROLE %1 SUPERUSER; (before PostgreSQL 15 only a superuser may)").arg(role);
        out << PrivilegeCheck{QStringLiteral("SET session_replication_role"), pg::roleMaySilenceTriggers(conn), spec->silenceTriggers,
                              QStringLiteral("keeping the table's triggers %1 from firing on every backfilled row (they "
                                             "could refuse the update or change other columns)")
                                  .arg(spec->applicationTriggers.join(QStringLiteral(", "))),
                              fix};
    }
    out << PrivilegeCheck{QStringLiteral("pg_monitor (pg_read_all_stats)"), yes("sees_sessions"), false,
                          QStringLiteral("seeing other roles' sessions: long transactions and who blocks a lock; replica lag"),
                          QStringLiteral("GRANT pg_monitor TO %1;").arg(role)};
    out << PrivilegeCheck{QStringLiteral("pg_signal_backend"), yes("signal_backend"), false,
                          QStringLiteral("cancelling a session that blocks a step, from the window"),
                          QStringLiteral("GRANT pg_signal_backend TO %1;").arg(role)};
    return out;
}

QVector<PrivilegeCheck> missingRequired(const QVector<PrivilegeCheck>& checks)
{
    QVector<PrivilegeCheck> out;
    for (const PrivilegeCheck& c : checks)
        if (c.required && !c.granted)
            out << c;
    return out;
}

QStringList describePrivileges(const QVector<PrivilegeCheck>& checks)
{
    QStringList out;
    for (const PrivilegeCheck& c : checks) {
        const QString mark = c.granted ? QStringLiteral("ok     ") : c.required ? QStringLiteral("MISSING") : QStringLiteral("absent ");
        QString line = QStringLiteral("%1 %2 -- %3").arg(mark, c.name, c.neededFor);
        if (!c.granted)
            line += c.required ? QStringLiteral("; fix: %1").arg(c.fix)
                               : QStringLiteral("; without it Lockstep says so instead of guessing; fix: %1").arg(c.fix);
        out << line;
    }
    return out;
}

QStringList privilegeNotes(const QVector<PrivilegeCheck>& checks)
{
    QStringList out;
    for (const PrivilegeCheck& c : checks)
        if (!c.granted)
            out << QStringLiteral("%1 %2: needed for %3 — %4")
                       .arg(c.required ? QStringLiteral("⚠ This role lacks") : QStringLiteral("This role has no"), c.name,
                            c.neededFor, c.fix);
    return out;
}

QJsonArray privilegesJson(const QVector<PrivilegeCheck>& checks)
{
    QJsonArray out;
    for (const PrivilegeCheck& c : checks)
        out.append(QJsonObject{{QStringLiteral("name"), c.name},
                               {QStringLiteral("granted"), c.granted},
                               {QStringLiteral("required"), c.required},
                               {QStringLiteral("needed_for"), c.neededFor},
                               {QStringLiteral("fix"), c.fix}});
    return out;
}

} // namespace lockstep
