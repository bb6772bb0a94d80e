// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>
#include <stdexcept>

namespace lockstep::pg {

// What the server (or libpq) said, kept whole so the UI can show a one-line summary and the details.
struct PgError {
    QString sqlstate;   // five characters, e.g. "55P03" (lock_not_available); "08001" when we could not connect
    QString message;
    QString detail;
    QString hint;
    int position = 0;   // 1-based character position in the statement, 0 if none

    QString toString() const;
    bool isConnectionError() const { return sqlstate.startsWith(QLatin1String("08")) || sqlstate == QLatin1String("57P01"); }
};

class PgException : public std::runtime_error {
public:
    explicit PgException(PgError error);
    const PgError& error() const { return m_error; }

private:
    PgError m_error;
};

} // namespace lockstep::pg
