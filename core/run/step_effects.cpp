// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/run/step_effects.h"

#include "core/run/owner_marks.h"
#include "core/run/statement_facts.h"
#include "core/run/statement_splitter.h"

#include <functional>

namespace lockstep::run {

namespace {
using Kind = StatementFact::Kind;

enum class Check {
    None,
    ColumnAdded,          // the column exists with the planned type
    TriggersCreated,      // every CREATE TRIGGER's trigger exists
    ConstraintsAdded,     // every ADD CONSTRAINT's constraint exists
    ConstraintsValidated, // every VALIDATE CONSTRAINT's constraint is validated
    ColumnNotNull,        // every SET NOT NULL column is NOT NULL
    ColumnIdentity,       // every ADD GENERATED AS IDENTITY column is an identity column
    ConstraintsDropped,   // every DROP CONSTRAINT's constraint is gone
    IndexesBuilt,         // every CREATE INDEX's index exists and is valid
    TriggersDropped,      // every DROP TRIGGER's trigger is gone
    ColumnDropped,        // every DROP COLUMN's column is gone
};

// The one place that says which catalog fact proves which step done.
struct CheckRule {
    const char* stepId;
    Check check;
};
constexpr CheckRule kRules[] = {
    {"add_column", Check::ColumnAdded},
    {"sync_trigger", Check::TriggersCreated},
    {"not_null_check", Check::ConstraintsAdded},
    {"not_null_validate", Check::ConstraintsValidated},
    {"not_null_set", Check::ColumnNotNull},
    {"not_null_drop_check", Check::ConstraintsDropped},
    {"identity", Check::ColumnIdentity},
    {"index", Check::IndexesBuilt},
    {"unique_index", Check::IndexesBuilt},
    {"unique_constraint", Check::ConstraintsAdded},
    {"foreign_key", Check::ConstraintsAdded},
    {"foreign_key_validate", Check::ConstraintsValidated},
    {"check", Check::ConstraintsAdded},
    {"check_validate", Check::ConstraintsValidated},
    {"switch", Check::TriggersCreated},
    {"contract_drop_sync", Check::TriggersDropped},
    {"contract_drop_old_column", Check::ColumnDropped},
};

Check checkFor(const QString& stepId)
{
    for (const CheckRule& r : kRules) {
        if (stepId == QLatin1String(r.stepId))
            return r.check;
    }
    return Check::None;
}

Kind factKind(Check check)
{
    switch (check) {
    case Check::ColumnAdded: return Kind::AddColumn;
    case Check::TriggersCreated: return Kind::CreateTrigger;
    case Check::ConstraintsAdded: return Kind::AddConstraint;
    case Check::ConstraintsValidated: return Kind::ValidateConstraint;
    case Check::ColumnNotNull: return Kind::SetNotNull;
    case Check::ColumnIdentity: return Kind::AddIdentity;
    case Check::ConstraintsDropped: return Kind::DropConstraint;
    case Check::IndexesBuilt: return Kind::CreateIndex;
    case Check::TriggersDropped: return Kind::DropTrigger;
    case Check::ColumnDropped: return Kind::DropColumn;
    case Check::None: break;
    }
    return Kind::Other;
}
} // namespace

StepEffectState stepEffectState(pg::Connection& conn, const QString& table, const Step& step, const QString& ownUid)
{
    StepEffectState state;
    const Check check = checkFor(step.id);
    if (check == Check::None)
        return state;
    QVector<StatementFact> facts;
    for (const QString& s : stepStatements(step.statements, step.sql)) {
        for (const StatementFact& f : statementFacts(s)) {
            if (f.kind == factKind(check))
                facts << f;
        }
    }
    if (facts.isEmpty())
        return state;   // nothing we know how to check: run it (its statements are re-runnable)

    bool allDone = true;
    QStringList found;
    for (const StatementFact& f : facts) {
        bool done = false;
        switch (check) {
        case Check::ColumnAdded: {
            auto r = conn.exec(pg::sqlResource(QStringLiteral("run_column_state")), {table, f.name, f.detail});
            if (r.rows() > 0) {
                if (r.value(0, "same_type") != QLatin1String("t")) {
                    state.conflict = QStringLiteral("column \"%1\" already exists with type %2, not %3")
                                         .arg(f.name, r.value(0, "type"), f.detail);
                    return state;
                }
                done = true;
            }
            break;
        }
        case Check::ColumnNotNull: {
            auto r = conn.exec(pg::sqlResource(QStringLiteral("run_column_state")), {table, f.name, QVariant()});
            done = r.rows() > 0 && r.value(0, "not_null") == QLatin1String("t");
            break;
        }
        case Check::ColumnIdentity: {
            auto r = conn.exec(pg::sqlResource(QStringLiteral("run_column_state")), {table, f.name, QVariant()});
            done = r.rows() > 0 && r.value(0, "identity") == QLatin1String("t");
            break;
        }
        case Check::ColumnDropped: {
            auto r = conn.exec(pg::sqlResource(QStringLiteral("run_column_state")), {table, f.name, QVariant()});
            done = r.rows() == 0;
            break;
        }
        case Check::TriggersCreated:
        case Check::TriggersDropped: {
            auto r = conn.exec(pg::sqlResource(QStringLiteral("run_trigger_exists")), {table, f.name});
            const bool present = r.value(0, 0) == QLatin1String("t");
            done = check == Check::TriggersCreated ? present : !present;
            break;
        }
        case Check::ConstraintsAdded:
        case Check::ConstraintsDropped:
        case Check::ConstraintsValidated: {
            auto r = conn.exec(pg::sqlResource(QStringLiteral("run_constraint_state")), {table, f.name});
            if (check == Check::ConstraintsAdded)
                done = r.rows() > 0;
            else if (check == Check::ConstraintsDropped)
                done = r.rows() == 0;
            else
                done = r.rows() > 0 && r.value(0, "validated") == QLatin1String("t");
            break;
        }
        case Check::IndexesBuilt: {
            auto r = conn.exec(pg::sqlResource(QStringLiteral("run_index_state")), {table, f.name});
            if (r.rows() > 0) {
                done = r.value(0, "valid") == QLatin1String("t");
                if (!done)
                    state.invalidIndexes << conn.quoteIdent(r.value(0, "schema")) + QLatin1Char('.') + conn.quoteIdent(f.name);
            }
            break;
        }
        case Check::None:
            break;
        }
        const bool creates = check == Check::ColumnAdded || check == Check::TriggersCreated
                             || check == Check::ConstraintsAdded || check == Check::IndexesBuilt;
        if (done && creates && !ownUid.isEmpty()) {
            const auto owner = objectOwner(conn, table, f);
            if (owner && owner->uid != ownUid) {
                state.conflict = QStringLiteral("%1 already exists and belongs to lockstep %2; it is not adopted (resume "
                                                "or roll back that run from its own journal)")
                                     .arg(objectLabel(f), owner->describe());
                return state;
            }
        }
        if (done)
            found << f.name;
        allDone = allDone && done;
    }
    state.done = allDone;
    if (allDone)
        state.note = QStringLiteral("already in the catalog: %1").arg(found.join(QStringLiteral(", ")));
    return state;
}

QString objectOwnedByAnotherRun(pg::Connection& conn, const QString& table, const Step& step, const QString& ownUid)
{
    if (ownUid.isEmpty())
        return {};
    for (const QString& s : stepStatements(step.statements, step.sql)) {
        for (const StatementFact& f : statementFacts(s)) {
            const auto owner = objectOwner(conn, table, f);
            if (owner && owner->uid != ownUid)
                return QStringLiteral("%1 belongs to lockstep %2").arg(objectLabel(f), owner->describe());
        }
    }
    return {};
}

} // namespace lockstep::run
