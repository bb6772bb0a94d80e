// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/lint/action_resolver.h"

#include "core/lint/default_volatility.h"

namespace lockstep::lint {

namespace {
using Op = DdlOperation;

void resolveTypeChange(ResolvedAction* r, const QString& table, const LintSession& session, const LintOptions& options)
{
    const Action& a = r->action;
    r->currentType = session.columnType(table, a.column);
    if (!r->currentType && options.schema) {
        const QString written = options.schema->columnType(table, a.column);
        if (!written.isEmpty())
            r->currentType = typeSpecFromText(written);
    }
    if (a.usingExpression)
        return;   // USING computes every value anew: a rewrite whatever the types
    if (!r->currentType) {
        r->uncertainty = options.schema ? QStringLiteral("current type of %1 unknown").arg(a.column)
                                        : QStringLiteral("unknown current type: run with --db to check");
        return;
    }
    if (a.type && isBinaryCoercible(*r->currentType, *a.type))
        r->action.op = Op::AlterColumnTypeBinaryCoercible;
}

void resolveDefaultVolatility(ResolvedAction* r, const LintSession& session, const LintOptions& options)
{
    QStringList unknown;
    for (const QString& f : r->action.unknownFunctions) {
        std::optional<bool> isVolatile = session.functionIsVolatile(f);
        if (!isVolatile && options.schema)
            isVolatile = options.schema->functionIsVolatile(f);
        if (isVolatile && *isVolatile && r->action.volatileFunction.isEmpty())
            r->action.volatileFunction = f;
        else if (!isVolatile)
            unknown << f;
    }
    if (!r->action.volatileFunction.isEmpty()) {
        r->action.op = Op::AddColumnVolatileDefault;
    } else if (!unknown.isEmpty()) {
        // A function PostgreSQL does not know better about is VOLATILE (CREATE FUNCTION's default).
        r->action.op = Op::AddColumnVolatileDefault;
        r->action.volatileFunction = unknown.first();
        r->uncertainty = options.schema ? QStringLiteral("%1() not found on the server").arg(unknown.first())
                                        : QStringLiteral("volatility of %1() unknown: run with --db to check").arg(unknown.first());
    }
}
} // namespace

ResolvedAction resolveAction(const Action& action, const QString& table, const LintSession& session,
                             const LintOptions& options)
{
    ResolvedAction r;
    r.action = action;
    switch (action.op) {
    case Op::AlterColumnTypeRewrite:
        resolveTypeChange(&r, table, session, options);
        break;
    case Op::AddColumnConstantDefault:
        resolveDefaultVolatility(&r, session, options);
        break;
    case Op::SetNotNull:
        // PostgreSQL skips the scan for a column that is NOT NULL already (ATExecSetNotNull returns early).
        if (options.schema && options.schema->columnIsNotNull(table, action.column))
            r.action.op = Op::SetNotNullAlreadyNotNull;
        else if (session.hasValidatedNotNullCheck(table, action.column)
            || (options.schema && options.schema->hasValidatedNotNullCheck(table, action.column)))
            r.action.op = Op::SetNotNullWithValidatedCheck;
        break;
    case Op::ValidateConstraint:
        if (session.isForeignKey(table, action.constraint))
            r.action.op = Op::ValidateForeignKey;
        break;
    case Op::DropConstraint:
        if (session.isForeignKey(table, action.constraint))
            r.action.op = Op::DropForeignKey;
        break;
    default:
        break;
    }
    r.rule = &lockRuleFor(r.action.op, options.serverVersionNum);
    return r;
}

void recordAction(const ResolvedAction& resolved, const QString& table, LintSession* session)
{
    const Action& a = resolved.action;
    switch (a.op) {
    case Op::AddColumn:
    case Op::AddColumnConstantDefault:
    case Op::AddColumnVolatileDefault:
    case Op::AddColumnNotNull:
    case Op::AddColumnSerialOrIdentity:
    case Op::AddColumnStoredGenerated:
    case Op::AlterColumnTypeRewrite:
    case Op::AlterColumnTypeBinaryCoercible:
        if (a.type)
            session->columnTyped(table, a.column, *a.type);
        break;
    case Op::AddCheck:
    case Op::AddCheckNotValid:
    case Op::AddForeignKey:
    case Op::AddForeignKeyNotValid:
        session->constraintAdded(table, a, resolved.rule->lock.value_or(LockMode::AccessExclusive));
        break;
    case Op::ValidateConstraint:
    case Op::ValidateForeignKey:
        session->constraintValidated(table, a.constraint);
        break;
    case Op::DropConstraint:
    case Op::DropForeignKey:
        session->constraintDropped(table, a.constraint);
        break;
    default:
        break;
    }
}

} // namespace lockstep::lint
