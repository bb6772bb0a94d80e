// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/change/resolved_change.h"
#include "core/pg/connection.h"
#include "core/pg/table_snapshot.h"

#include <QJsonObject>
#include <QString>
#include <QVector>
#include <optional>

namespace lockstep {

// What evaluating the new column's value on the table's real rows showed. The value is the backfill
// expression (or a replace's conversion, or the default) cast to the column's type; a row also fails
// when the value is NULL for a NOT NULL column or makes the CHECK false.
struct ExpressionProof {
    struct Failure {
        QString kind;          // "value" (the expression raised an error), "not_null", "check"
        QString error;         // the server's message
        QJsonObject values;    // the row's source columns, or the one pg_stats value tried
        bool fromStats = false;
    };
    bool proven = false;       // something was evaluated (false: nothing to prove, or it cannot be proven read-only)
    bool wholeTable = false;   // every row was evaluated (a small table), not a sample
    bool timedOut = false;     // the time budget ended the sample early
    qint64 rowsTried = 0, rowsFailed = 0;
    qint64 statsValuesTried = 0, statsValuesFailed = 0;
    QStringList statsColumns;  // the source columns whose pg_stats values were tried
    QString unprovable;        // why it could not be evaluated in a read-only transaction (e.g. nextval())
    QVector<Failure> examples; // up to 5, one per distinct error
    double seconds = 0;

    bool failed() const { return rowsFailed > 0 || statsValuesFailed > 0; }
    // "fails on 100 % of the 10,000 rows sampled: status 'placed': invalid input syntax for type numeric: \"placedx\"; …"
    QString failureText() const;
    // "computed without an error on all 1,200 rows" / "… on 10,000 sampled rows and 12 values pg_stats lists
    // for status"; "not evaluated on the rows: …" when it could not be; empty when there was nothing to prove.
    QString summary() const;
    // The flag to blame: backfill / type (a replace's conversion) / default / not_null / check.
    QString field(const ResolvedChange& change) const;
};

struct ProofOptions {
    qint64 wholeTableRows = 20000;   // at most this many rows (estimated): every row
    qint64 sampleRows = 10000;       // otherwise a block sample of about this many rows
    int budgetMs = 3000;             // the sample loop stops after this long
};

// Evaluates the new column's value on the table's rows inside the caller's read-only transaction (nothing
// is written: one DO block whose rows each run in their own subtransaction, its outcome read back from a
// transaction-local setting). All rows of a small table; otherwise a block sample plus every value
// pg_stats knows of for each source column, put into a real row. Throws pg::PgException on server trouble.
ExpressionProof proveExpressions(pg::Connection& conn, const TableSnapshot& table, const ResolvedChange& change,
                                 const ProofOptions& options = {});

// Throws ChangeError (on ExpressionProof::field) when the proof found failing rows.
void requireProven(const ExpressionProof& proof, const ResolvedChange& change);

} // namespace lockstep
