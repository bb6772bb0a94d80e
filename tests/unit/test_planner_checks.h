// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Checks on generated SQL shared by the planner's unit tests.
#include "core/plan/plan.h"

#include <QRegularExpression>
#include <QString>
#include <QStringList>

namespace lockstep::test {

// The SQL with every "quoted identifier" and 'string literal' removed: what is left must not contain
// a user's name (it would be unquoted there). `identifiers` receives the quoted identifiers, unescaped.
inline QString withoutQuoted(const QString& sql, QStringList* identifiers = nullptr)
{
    QString rest;
    for (int i = 0; i < sql.size(); ++i) {
        const QChar c = sql[i];
        if (c != QLatin1Char('"') && c != QLatin1Char('\'')) {
            rest += c;
            continue;
        }
        QString token;
        int j = i + 1;
        for (; j < sql.size(); ++j) {
            if (sql[j] == c) {
                if (j + 1 < sql.size() && sql[j + 1] == c) {
                    token += c;
                    ++j;
                    continue;
                }
                break;
            }
            token += sql[j];
        }
        if (c == QLatin1Char('"') && identifiers)
            *identifiers << token;
        rest += QLatin1Char(' ');
        i = j;
    }
    return rest;
}

inline bool takesBlockingLock(const QString& statement)
{
    static const QRegularExpression re(QStringLiteral(
        "^(ALTER TABLE|CREATE (OR REPLACE )?TRIGGER|DROP TRIGGER)"));
    return re.match(statement).hasMatch() && !statement.contains(QLatin1String("VALIDATE CONSTRAINT"));
}

// Every statement that takes a lock blocking traffic (ALTER TABLE other than VALIDATE, trigger DDL) is
// preceded in its own statement list by a non-zero SET lock_timeout; every VALIDATE and CONCURRENTLY by
// SET statement_timeout = 0. Returns the first violation, empty when none.
inline QString timeoutViolation(const QStringList& statements)
{
    bool lockTimeout = false;
    bool noStatementTimeout = false;
    for (const QString& s : statements) {
        if (s.startsWith(QLatin1String("SET lock_timeout = ")))
            lockTimeout = !s.startsWith(QLatin1String("SET lock_timeout = 0"));
        if (s == QLatin1String("SET statement_timeout = 0;"))
            noStatementTimeout = true;
        if (takesBlockingLock(s) && !lockTimeout)
            return QStringLiteral("no lock_timeout before: ") + s;
        if ((s.contains(QLatin1String("VALIDATE CONSTRAINT")) || s.contains(QLatin1String("CONCURRENTLY")))
            && !noStatementTimeout)
            return QStringLiteral("statement_timeout not disabled before: ") + s;
    }
    return QString();
}

inline QStringList stepIds(const Plan& plan)
{
    QStringList ids;
    for (const Step& s : plan.steps)
        ids << s.id;
    return ids;
}

inline const Step* findStep(const Plan& plan, const QString& id)
{
    for (const Step& s : plan.steps)
        if (s.id == id)
            return &s;
    return nullptr;
}

} // namespace lockstep::test
