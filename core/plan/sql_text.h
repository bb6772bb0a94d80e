// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>
#include <QStringList>

namespace lockstep {

// A SQL string literal ('…' with quotes doubled; standard_conforming_strings, the default since 9.1).
QString sqlLiteral(const QString& text);
// `sql` without the lines that only talk to linters ("-- squawk-ignore ban-drop-table": kept in exported
// scripts, where CI lints them; noise where a person reads the SQL).
QString withoutLintDirectives(const QString& sql);
// `body` between dollar quotes whose tag (based on `tag`) does not occur in the body.
QString dollarQuoted(const QString& body, const QString& tag = QStringLiteral("lockstep"));
// A prefix for PL/pgSQL variables that no column name starts with, so that `#variable_conflict
// use_column` can never turn one of our variables into a column reference.
QString variablePrefix(const QStringList& columnNames);

} // namespace lockstep
