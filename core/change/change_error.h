// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>
#include <stdexcept>

namespace lockstep {

// A change the user asked for that cannot be done as given. `field` is the CLI flag without dashes, in
// the JSON key's spelling (table, add_column, replace_column, new_name, type, default, not_null, backfill,
// unique, index, references, on_delete, check); what() reads `--type: "intx" is not a known type`.
struct ChangeError : std::runtime_error {
    ChangeError(const QString& field, const QString& reason)
        : std::runtime_error(message(field, reason).toStdString()), field(field), reason(reason)
    {
    }

    QString field;
    QString reason;

    // The flag as typed on the command line: add_column -> --add-column.
    static QString flagName(const QString& field) { return QStringLiteral("--") + QString(field).replace(QLatin1Char('_'), QLatin1Char('-')); }
    static QString message(const QString& field, const QString& reason) { return flagName(field) + QStringLiteral(": ") + reason; }
};

} // namespace lockstep
