// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The catalog snapshot the views show (core/pg/catalog.h), the change being composed and its plan, and the
// observed-lock preview's results, made fit for queued signals.
#include "core/change/new_column_change.h"
#include "core/pg/catalog.h"
#include "core/pg/pg_error.h"
#include "core/pg/table_snapshot.h"
#include "core/plan/plan.h"
#include "core/preview/lock_preview.h"

#include <QMetaType>
#include <QVector>

namespace lockstep::ui {

// A column a foreign key can point at: it alone is the key of a unique index (primary key, unique
// constraint or plain unique index) that PostgreSQL accepts for a foreign key.
struct ReferenceColumn {
    QString name;      // literal
    QString type;      // format_type
    bool primary = false;
};

// Queued signals carry these between the database thread and the GUI thread.
void registerMetaTypes();
} // namespace lockstep::ui

Q_DECLARE_METATYPE(lockstep::pg::CatalogSnapshot)
Q_DECLARE_METATYPE(lockstep::TableSnapshot)
Q_DECLARE_METATYPE(lockstep::pg::PgError)
Q_DECLARE_METATYPE(lockstep::NewColumnChange)
Q_DECLARE_METATYPE(lockstep::Plan)
Q_DECLARE_METATYPE(lockstep::preview::StepObservation)
Q_DECLARE_METATYPE(QVector<lockstep::preview::StepObservation>)
Q_DECLARE_METATYPE(lockstep::ui::ReferenceColumn)
Q_DECLARE_METATYPE(QVector<lockstep::ui::ReferenceColumn>)
