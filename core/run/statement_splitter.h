// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>
#include <QStringList>
#include <stdexcept>

namespace lockstep::run {

struct SplitError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Splits SQL text into its statements with PostgreSQL's own parser (libpg_query), so a ';' inside a
// dollar-quoted function body, a DO block or a string never cuts a statement. Each returned statement is
// trimmed and without its terminating ';'. Empty statements are dropped. Throws SplitError (with the
// parser's message) when the text does not parse.
QStringList splitStatements(const QString& sql);

// The statements of a step: its own list when the plan has one, else its text split.
QStringList stepStatements(const QStringList& statements, const QString& sql);

} // namespace lockstep::run
