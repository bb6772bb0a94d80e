// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/lint/lint_session.h"
#include "core/lint/sql_lint.h"
#include "core/lint/statement_classifier.h"
#include "core/plan/lock_table.h"

#include <QString>
#include <optional>

namespace lockstep::lint {

// An Action with its operation decided by everything known (the text so far, the SchemaLookup, the
// server version) and the planner's lock rule for it.
struct ResolvedAction {
    Action action;
    const LockRule* rule = nullptr;
    std::optional<TypeSpec> currentType;   // ALTER COLUMN TYPE: the column's type before, when known
    QString uncertainty;                   // why the op is a guess, e.g. "unknown current type: run with --db to check"
};

ResolvedAction resolveAction(const Action& action, const QString& table, const LintSession& session,
                             const LintOptions& options);

// Records what the action did in the session (constraints, column types).
void recordAction(const ResolvedAction& resolved, const QString& table, LintSession* session);

} // namespace lockstep::lint
