// SPDX-License-Identifier: GPL-3.0-or-later
// lintSql: the text, statement by statement, as one session running it top to bottom would see it.
#include "core/lint/sql_lint.h"

#include "core/lint/action_resolver.h"
#include "core/lint/hazard_rules.h"
#include "core/lint/lint_parse.h"
#include "core/lint/lint_session.h"
#include "core/lint/statement_classifier.h"

#include <algorithm>

namespace lockstep::lint {

namespace {
using Kind = ClassifiedStatement::Kind;

void applyTransactionControl(const ClassifiedStatement& c, LintSession* session)
{
    switch (c.kind) {
    case Kind::Begin:
        session->begin();
        break;
    case Kind::Commit:
        session->commit();
        break;
    case Kind::Rollback:
        session->rollback();
        break;
    case Kind::CommitAndChain:
        session->commit();
        session->begin();
        break;
    case Kind::SetLockTimeout:
        session->setLockTimeout(c.lockTimeoutOn, c.local);
        break;
    case Kind::CreateTable:
        session->tableCreated(c.table);
        break;
    case Kind::CreateFunction:
        session->functionCreated(c.function, c.functionVolatile);
        break;
    default:
        break;
    }
}

void addUnique(QVector<Hazard>* out, const QVector<Hazard>& more)
{
    for (const Hazard& h : more) {
        const bool seen = std::any_of(out->cbegin(), out->cend(), [&h](const Hazard& o) {
            return o.rule == h.rule && o.message == h.message;
        });
        if (!seen)
            out->append(h);
    }
}
} // namespace

int LintResult::hazardCount() const
{
    int n = 0;
    for (const StatementReport& s : statements)
        n += s.hazards.size();
    return n;
}

LintResult lintSql(const QString& sql, const LintOptions& options)
{
    LintResult result;
    const ParsedText parsed = parseSqlText(sql);
    if (parsed.error) {
        result.error = parsed.error;
        return result;
    }
    LintSession session;
    PreviousStatement previous;
    for (int i = 0; i < parsed.statements.size(); ++i) {
        const ParsedStatement& p = parsed.statements[i];
        const ClassifiedStatement c = classifyStatement(p.type, p.node);
        StatementReport report;
        report.statement = i + 1;
        report.sql = p.sql;
        report.offset = p.offset;
        report.length = p.length;
        report.line = p.line;
        report.table = c.table;
        applyTransactionControl(c, &session);
        if (c.kind == Kind::CreateView) {
            // A view with the old name, in the transaction that renamed the table, keeps old queries working.
            if (const auto renamed = session.renamedInThisTransaction(c.table)) {
                QVector<Hazard>& earlier = result.statements[*renamed].hazards;
                earlier.erase(std::remove_if(earlier.begin(), earlier.end(),
                                             [](const Hazard& h) { return h.rule == rule::kRenameTable; }),
                              earlier.end());
            }
        }

        QVector<ResolvedAction> resolved;
        for (const Action& a : c.actions) {
            const ResolvedAction r = resolveAction(a, c.table, session, options);
            addUnique(&report.hazards, actionHazards(r, HazardContext{c, session, options}));
            recordAction(r, c.table, &session);
            if (r.action.op == DdlOperation::RenameTable)
                session.tableRenamed(c.table, i);
            resolved << r;
            if (r.rule->lock && (!report.lock || *r.rule->lock > *report.lock))
                report.lock = r.rule->lock;
            report.rewrites = report.rewrites || r.rule->rewrites;
            report.scans = report.scans || r.rule->scans;
        }
        if (report.lock) {
            report.blocks = lockBlocks(*report.lock);
            const auto held = session.heldLock(c.table);
            if (held && lockBlocks(*held).size() > report.blocks.size())
                report.heldLock = held;
        }
        addUnique(&report.hazards, statementHazards(report, resolved, HazardContext{c, session, options}, previous));

        previous = PreviousStatement{report.statement, c.table, isCombinableAlter(c, resolved)};
        if (report.lock)
            session.lockTaken(c.table, *report.lock);
        session.endStatement();
        result.statements << report;
    }
    return result;
}

QStringList hazardRuleNames()
{
    return {rule::kAddColumnVolatileDefault, rule::kAddColumnDefaultBefore11, rule::kAddColumnStoredGenerated,
            rule::kAddColumnSerialOrIdentity, rule::kAddColumnNotNullWithoutDefault, rule::kSetNotNullWithoutCheck,
            rule::kAddCheckWithoutNotValid, rule::kAddForeignKeyWithoutNotValid, rule::kValidateInSameTransaction,
            rule::kCreateIndexNotConcurrently, rule::kDropIndexNotConcurrently, rule::kConcurrentlyInTransaction,
            rule::kAddUniqueWithoutIndex, rule::kAddPrimaryKeyWithoutIndex, rule::kAlterColumnTypeRewrites,
            rule::kDropColumn, rule::kRenameColumn, rule::kRenameTable, rule::kMissingLockTimeout,
            rule::kCombineAlterTable};
}

LintTargets lintTargets(const QString& sql)
{
    LintTargets out;
    const ParsedText parsed = parseSqlText(sql);
    auto addTable = [&out](const QString& t) {
        if (!t.isEmpty() && !out.tables.contains(t))
            out.tables << t;
    };
    for (const ParsedStatement& p : parsed.statements) {
        const ClassifiedStatement c = classifyStatement(p.type, p.node);
        if (c.kind != Kind::Table)
            continue;
        addTable(c.table);
        for (const Action& a : c.actions) {
            addTable(a.referencedTable);
            for (const QString& f : a.unknownFunctions) {
                if (!out.functions.contains(f))
                    out.functions << f;
            }
        }
    }
    return out;
}

} // namespace lockstep::lint
