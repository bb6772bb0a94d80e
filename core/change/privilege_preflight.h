// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Before a run (and beside a plan): each privilege the plan needs, whether the connected role has it, and
// the GRANT that fixes it. Managed services give table owners no superuser: ownership, CREATE on the
// schema, TRIGGER and REFERENCES are required (a run without them would fail part-way); pg_monitor and
// pg_signal_backend only make Lockstep see and act more, and their absence is said, not hidden.
#include "core/pg/connection.h"
#include "core/plan/plan.h"

#include <QJsonArray>
#include <QVector>

namespace lockstep {

struct PrivilegeCheck {
    QString name;        // "table ownership", "CREATE on schema public", ...
    bool granted = false;
    bool required = false;
    QString neededFor;   // what uses it
    QString fix;         // the statement an administrator runs, e.g. "GRANT pg_monitor TO app;"
};

// The checks for `plan` as the connection's role. Throws pg::PgException.
QVector<PrivilegeCheck> privilegePreflight(pg::Connection& conn, const Plan& plan);
// Required checks not granted.
QVector<PrivilegeCheck> missingRequired(const QVector<PrivilegeCheck>& checks);
// One line each: "ok   table ownership (...)" / "MISSING ... fix: GRANT ...".
QStringList describePrivileges(const QVector<PrivilegeCheck>& checks);
// The checks not granted as sentences for the window, one each: "⚠ This role lacks CREATE on schema
// public: needed for ... — GRANT ...;" (required) or "This role has no pg_monitor ...: ..." (optional).
QStringList privilegeNotes(const QVector<PrivilegeCheck>& checks);
// [{name, granted, required, needed_for, fix}]
QJsonArray privilegesJson(const QVector<PrivilegeCheck>& checks);

} // namespace lockstep
