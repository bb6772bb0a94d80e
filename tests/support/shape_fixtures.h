// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>
#include <QStringList>
#include <QVector>

namespace lockstep::test {

// Tables of every key shape the planner must handle: integer PK, composite PK, text PK, a unique NOT NULL
// key without PK, no key at all (ctid), and a quoted mixed-case name in its own schema; plus an FK target
// and an enum type. `rows` rows in each table (customers always 100).
QString shapeFixtureSql(int rows);

// One new-column change to plan and apply, with what the catalog must show afterwards.
struct ChangeShape {
    QString name;
    QStringList flags;          // `lockstep plan` change flags (without --db)
    QString schema;             // literal names of the changed table
    QString table;
    QString column;             // the new column (literal)
    QString expectedType;       // format_type after the change
    QString verifyExpr;         // expression every row's new column must equal (SQL over the table's columns)
    bool notNull = false;
    bool unique = false;
    bool index = false;
    bool foreignKey = false;
    bool check = false;
    bool replace = false;
    QString expectedDefault;    // substring of pg_get_expr of the default, empty if none
};

QVector<ChangeShape> changeShapes();

} // namespace lockstep::test
