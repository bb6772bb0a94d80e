// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The catalog snapshot the views show (core/pg/catalog.h), made fit for queued signals.
#include "core/pg/catalog.h"
#include "core/pg/pg_error.h"
#include "core/pg/table_snapshot.h"

#include <QMetaType>

namespace lockstep::ui {
// Queued signals carry these between the database thread and the GUI thread.
void registerMetaTypes();
} // namespace lockstep::ui

Q_DECLARE_METATYPE(lockstep::pg::CatalogSnapshot)
Q_DECLARE_METATYPE(lockstep::TableSnapshot)
Q_DECLARE_METATYPE(lockstep::pg::PgError)
