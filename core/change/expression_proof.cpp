// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/change/expression_proof.h"

#include "core/change/change_error.h"
#include "core/pg/catalog_reader.h"
#include "core/plan/lock_risk.h"
#include "core/plan/sql_text.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace lockstep {

namespace {
const QString kOutcomeSetting = QStringLiteral("lockstep.expression_proof");
constexpr int kMaxExamples = 5;

// Writes the PL/pgSQL of one proof: what the value is, and how one row is evaluated.
class ProofScript {
public:
    ProofScript(pg::Connection& conn, const TableSnapshot& table, const ResolvedChange& change)
        : m_conn(conn), m_table(table), m_change(change)
    {
        QStringList names;
        for (const ColumnInfo& c : table.columns)
            names << c.name;
        names << change.change.column;
        m_p = variablePrefix(names);
        m_tableSql = q(table.schema) + QLatin1Char('.') + q(table.name);
        m_alias = q(table.name);
    }

    // The value the new column gets in existing rows, or empty when nothing computes one.
    QString valueExpression() const
    {
        if (m_change.backfillExpr)
            return QStringLiteral("(%1)::%2").arg(*m_change.backfillExpr, m_change.type);
        if (m_change.defaultExpr && !m_change.defaultVolatile)
            return QStringLiteral("(%1)::%2").arg(*m_change.defaultExpr, m_change.type);
        return QStringLiteral("NULL::%1").arg(m_change.type);
    }

    // The rows to evaluate: every row of a small table, else a block sample of about sampleRows rows.
    QString sampleQuery(const ProofOptions& options, bool* wholeTable) const
    {
        *wholeTable = m_table.rowEstimate >= 0 && m_table.rowEstimate <= options.wholeTableRows;
        if (*wholeTable)
            return QStringLiteral("SELECT ctid AS %1ctid FROM %2").arg(m_p, m_tableSql);
        // SYSTEM samples whole pages: twice the share asked for evens out uneven pages. The cut to sampleRows
        // is random: a plain LIMIT keeps the first pages in physical order and never reaches the table's
        // end, where the newest rows (the likeliest new values) are.
        const double percent = qBound(0.001, 100.0 * 2 * double(options.sampleRows) / qMax(1.0, m_table.rowEstimate), 100.0);
        return QStringLiteral("SELECT %1ctid FROM (SELECT ctid AS %1ctid FROM %2 TABLESAMPLE SYSTEM (%3)) AS %1pages "
                              "ORDER BY random() LIMIT %4")
            .arg(m_p, m_tableSql, QString::number(percent, 'f', 4), QString::number(options.sampleRows));
    }

    bool worthProving() const
    {
        return m_change.backfillExpr || m_change.check || (m_change.change.notNull && m_change.defaultExpr);
    }

    QString script(const QString& sampleQuery, const QStringList& statsColumns) const
    {
        QString body;
        body += QStringLiteral("\n#variable_conflict use_column\nDECLARE\n"
                               "  %1r record;\n  %1x text;\n  %1v %2;\n  %1ok boolean;\n  %1j jsonb;\n"
                               "  %1input jsonb := current_setting('%3')::jsonb;\n"
                               "  %1out jsonb := jsonb_build_object('tried', 0, 'failed', 0, 'values_tried', 0, "
                               "'values_failed', 0, 'examples', '[]'::jsonb, 'timed_out', false);\n"
                               "  %1deadline timestamptz := clock_timestamp() + make_interval(secs => (%1input->>'budget_ms')::float8 / 1000);\n"
                               "BEGIN\n")
                    .arg(m_p, m_change.type, kOutcomeSetting + QStringLiteral("_input"));
        // Sampled rows, each re-read by its ctid inside a subtransaction.
        const QString rowFrom = QStringLiteral("%1 AS %2 WHERE ctid = %3r.%3ctid").arg(m_tableSql, m_alias, m_p);
        body += QStringLiteral("  FOR %1r IN %2 LOOP\n").arg(m_p, sampleQuery);
        body += QStringLiteral("    IF clock_timestamp() > %1deadline THEN\n"
                               "      %1out := %1out || jsonb_build_object('timed_out', true);\n      EXIT;\n    END IF;\n"
                               "    BEGIN\n").arg(m_p);
        body += evaluate(rowFrom, QStringLiteral("      "));
        body += QStringLiteral("      %1out := jsonb_set(%1out, '{tried}', to_jsonb((%1out->>'tried')::bigint + 1));\n").arg(m_p);
        body += onFailure(QStringLiteral("tried"), QStringLiteral("failed"),
                          QStringLiteral("(SELECT %1 FROM %2)").arg(sourceObject(QString()), rowFrom), QStringLiteral("false"));
        body += QStringLiteral("  END LOOP;\n");
        // Every value pg_stats knows of for a source column, put into a real row (the first one).
        for (const QString& column : statsColumns) {
            const ColumnInfo* info = m_table.column(column);
            if (!info)
                continue;
            QStringList select;
            for (const ColumnInfo& c : m_table.columns)
                select << (c.name == column ? QStringLiteral("%1x::%2 AS %3").arg(m_p, c.type, q(c.name)) : q(c.name));
            const QString from = QStringLiteral("(SELECT %1 FROM %2 LIMIT 1) AS %3").arg(select.join(QLatin1String(", ")), m_tableSql, m_alias);
            body += QStringLiteral("  FOR %1x IN SELECT jsonb_array_elements_text(%1input->'stats'->%2) LOOP\n"
                                   "    EXIT WHEN clock_timestamp() > %1deadline;\n    BEGIN\n")
                        .arg(m_p, sqlLiteral(column));
            body += evaluate(from, QStringLiteral("      "));
            body += QStringLiteral("      %1out := jsonb_set(%1out, '{values_tried}', to_jsonb((%1out->>'values_tried')::bigint + 1));\n").arg(m_p);
            body += onFailure(QStringLiteral("values_tried"), QStringLiteral("values_failed"),
                              QStringLiteral("jsonb_build_object(%1, %2x)").arg(sqlLiteral(column), m_p), QStringLiteral("true"));
            body += QStringLiteral("  END LOOP;\n");
        }
        body += QStringLiteral("  PERFORM set_config('%1', %2out::text, true);\nEND\n").arg(kOutcomeSetting, m_p);
        return QStringLiteral("DO ") + dollarQuoted(body, QStringLiteral("lockstep_proof")) + QLatin1Char(';');
    }

private:
    QString q(const QString& name) const { return m_conn.quoteIdent(name); }

    // The row's source columns as a JSON object, for the report.
    QString sourceObject(const QString& qualifier) const
    {
        QStringList parts;
        for (const QString& c : m_change.backfillSourceColumns)
            parts << sqlLiteral(c) << qualifier + q(c);
        return parts.isEmpty() ? QStringLiteral("'{}'::jsonb") : QStringLiteral("jsonb_build_object(%1)").arg(parts.join(QLatin1String(", ")));
    }

    // Computes the value on the row(s) `from` gives; raises for NULL in a NOT NULL column and a false CHECK.
    QString evaluate(const QString& from, const QString& indent) const
    {
        QString s = indent + QStringLiteral("SELECT %1 INTO %2v FROM %3;\n").arg(valueExpression(), m_p, from);
        if (m_change.change.notNull)
            s += indent + QStringLiteral("IF %1v IS NULL THEN RAISE EXCEPTION USING ERRCODE = 'not_null_violation', "
                                         "MESSAGE = 'the value is NULL and the column is NOT NULL'; END IF;\n").arg(m_p);
        if (m_change.check) {
            s += indent + QStringLiteral("SELECT (%1) INTO %2ok FROM (SELECT %3.*, %2v AS %4 FROM %5) AS %3;\n")
                              .arg(*m_change.check, m_p, m_alias, q(m_change.change.column), from);
            s += indent + QStringLiteral("IF %1ok = false THEN RAISE EXCEPTION USING ERRCODE = 'check_violation', "
                                         "MESSAGE = 'the value makes the CHECK false'; END IF;\n").arg(m_p);
        }
        return s;
    }

    // Closes the row's BEGIN: counts the failure and keeps an example of each distinct error. A function
    // that writes (nextval(), a user function) cannot run read-only: the proof stops and says so.
    QString onFailure(const QString& triedKey, const QString& failedKey, const QString& valuesSql, const QString& fromStats) const
    {
        return QStringLiteral(
                   "    EXCEPTION\n"
                   "      WHEN read_only_sql_transaction THEN\n"
                   "        PERFORM set_config('%1', jsonb_build_object('unprovable', SQLERRM)::text, true);\n"
                   "        RETURN;\n"
                   "      WHEN others THEN\n"
                   "        %2out := jsonb_set(%2out, '{%3}', to_jsonb((%2out->>'%3')::bigint + 1));\n"
                   "        %2out := jsonb_set(%2out, '{%4}', to_jsonb((%2out->>'%4')::bigint + 1));\n"
                   "        IF jsonb_array_length(%2out->'examples') < %5\n"
                   "           AND NOT (%2out->'examples') @> jsonb_build_array(jsonb_build_object('error', SQLERRM)) THEN\n"
                   "          %2j := %6;\n"
                   "          %2out := jsonb_set(%2out, '{examples}', (%2out->'examples') || jsonb_build_array(jsonb_build_object(\n"
                   "            'error', SQLERRM, 'sqlstate', SQLSTATE, 'values', %2j, 'from_stats', %7)));\n"
                   "        END IF;\n"
                   "    END;\n")
            .arg(kOutcomeSetting, m_p, triedKey, failedKey, QString::number(kMaxExamples), valuesSql, fromStats);
    }

    pg::Connection& m_conn;
    const TableSnapshot& m_table;
    const ResolvedChange& m_change;
    QString m_p, m_tableSql, m_alias;
};

QString failureKind(const QString& sqlstate)
{
    if (sqlstate == QLatin1String("23502"))
        return QStringLiteral("not_null");
    if (sqlstate == QLatin1String("23514"))
        return QStringLiteral("check");
    return QStringLiteral("value");
}

QString describeValues(const QJsonObject& values)
{
    QStringList parts;
    for (auto it = values.begin(); it != values.end(); ++it)
        parts << QStringLiteral("%1 %2").arg(it.key(), it.value().isNull() ? QStringLiteral("NULL")
                                                                          : sqlLiteral(it.value().toVariant().toString()));
    return parts.join(QLatin1String(", "));
}
} // namespace

QString ExpressionProof::failureText() const
{
    QStringList where;
    if (rowsFailed > 0) {
        const double pct = rowsTried > 0 ? 100.0 * double(rowsFailed) / double(rowsTried) : 0;
        const QString share = pct >= 1 ? QString::number(qRound(pct)) : QString::number(pct, 'g', 2);
        where << (wholeTable ? QStringLiteral("%1 of the table's %2 rows (%3 %)").arg(groupedCount(rowsFailed), groupedCount(rowsTried), share)
                             : QStringLiteral("%1 % of the rows sampled (%2 of %3)").arg(share, groupedCount(rowsFailed), groupedCount(rowsTried)));
    }
    if (statsValuesFailed > 0)
        where << QStringLiteral("%1 of the %2 values pg_stats lists for %3").arg(groupedCount(statsValuesFailed), groupedCount(statsValuesTried),
                                                                               statsColumns.join(QLatin1String(", ")));
    // Errors that differ only by the value they quote ("n1", "n2" ...) are one error: said once, with the
    // other failing values after it.
    static const QRegularExpression quoted(QStringLiteral("\"[^\"]*\""));
    QStringList shapes, why;
    QVector<QStringList> alsoFailing;
    for (const Failure& f : examples) {
        const QString values = describeValues(f.values);
        const QString shape = QString(f.error).replace(quoted, QStringLiteral("\"…\""));
        const int i = shapes.indexOf(shape);
        if (i >= 0 && !values.isEmpty()) {
            alsoFailing[i] << values;
            continue;
        }
        shapes << shape;
        alsoFailing.append(QStringList());
        why << (values.isEmpty() ? f.error : QStringLiteral("%1: %2").arg(values, f.error));
    }
    for (int i = 0; i < why.size(); ++i)
        if (!alsoFailing[i].isEmpty())
            why[i] += QStringLiteral(" (also %1)").arg(alsoFailing[i].join(QLatin1String(", ")));
    return QStringLiteral("fails on %1: %2").arg(where.join(QLatin1String(" and ")), why.join(QLatin1String("; ")));
}

QString ExpressionProof::summary() const
{
    if (!unprovable.isEmpty())
        return QStringLiteral("not evaluated on the rows: %1").arg(unprovable);
    if (!proven)
        return QString();
    QString s = wholeTable ? QStringLiteral("computed without an error on all %1 rows").arg(groupedCount(rowsTried))
                           : QStringLiteral("computed without an error on %1 sampled rows").arg(groupedCount(rowsTried));
    if (statsValuesTried > 0)
        s += QStringLiteral(" and %1 values pg_stats lists for %2").arg(groupedCount(statsValuesTried), statsColumns.join(QLatin1String(", ")));
    if (timedOut)
        s += QStringLiteral(" (the time budget ended the sample)");
    return s;
}

QString ExpressionProof::field(const ResolvedChange& change) const
{
    const QString kind = examples.isEmpty() ? QStringLiteral("value") : examples.first().kind;
    if (kind == QLatin1String("not_null") || kind == QLatin1String("check"))
        return kind;
    if (change.change.backfill)
        return QStringLiteral("backfill");
    if (change.isReplace())
        return QStringLiteral("type");
    return QStringLiteral("default");
}

ExpressionProof proveExpressions(pg::Connection& conn, const TableSnapshot& table, const ResolvedChange& change,
                                 const ProofOptions& options)
{
    ExpressionProof proof;
    ProofScript script(conn, table, change);
    if (!script.worthProving())
        return proof;
    QElapsedTimer timer;
    timer.start();

    const QString sample = script.sampleQuery(options, &proof.wholeTable);
    QJsonObject input{{QStringLiteral("budget_ms"), options.budgetMs}};
    QStringList statsColumns;
    if (!proof.wholeTable && !change.backfillSourceColumns.isEmpty()) {
        const pg::Result r = conn.exec(pg::sqlResource(QStringLiteral("proof_stats_values")),
                                       {table.schema, table.name,
                                        QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(change.backfillSourceColumns))
                                                              .toJson(QJsonDocument::Compact))});
        QJsonObject stats;
        for (int i = 0; i < r.rows(); ++i) {
            const QString column = r.value(i, "column_name");
            if (stats.contains(column))
                continue;
            stats.insert(column, QJsonDocument::fromJson(r.value(i, "stats_values").toUtf8()).array());
            statsColumns << column;
        }
        input.insert(QStringLiteral("stats"), stats);
    }
    proof.statsColumns = statsColumns;

    conn.exec(QStringLiteral("SELECT set_config($1, $2, true)"),
              {kOutcomeSetting + QStringLiteral("_input"), QString::fromUtf8(QJsonDocument(input).toJson(QJsonDocument::Compact))});
    conn.exec(QStringLiteral("SAVEPOINT lockstep_proof"));
    try {
        conn.exec(script.script(sample, statsColumns));
    } catch (const pg::PgException& e) {
        // The DO block itself failed: a column type pg_stats values do not cast back to, say. The
        // proof says what it could not do rather than refuse the plan for it.
        if (e.error().isConnectionError())
            throw;
        conn.exec(QStringLiteral("ROLLBACK TO SAVEPOINT lockstep_proof"));
        proof.unprovable = e.error().message;
        proof.seconds = timer.elapsed() / 1000.0;
        return proof;
    }
    conn.exec(QStringLiteral("RELEASE SAVEPOINT lockstep_proof"));
    const QJsonObject out = QJsonDocument::fromJson(
                                conn.exec(QStringLiteral("SELECT current_setting($1, true)"), {kOutcomeSetting}).value(0, 0).toUtf8())
                                .object();
    proof.seconds = timer.elapsed() / 1000.0;
    if (out.contains(QStringLiteral("unprovable"))) {
        proof.unprovable = out.value(QStringLiteral("unprovable")).toString();
        return proof;
    }
    proof.proven = true;
    proof.rowsTried = out.value(QStringLiteral("tried")).toVariant().toLongLong();
    proof.rowsFailed = out.value(QStringLiteral("failed")).toVariant().toLongLong();
    proof.statsValuesTried = out.value(QStringLiteral("values_tried")).toVariant().toLongLong();
    proof.statsValuesFailed = out.value(QStringLiteral("values_failed")).toVariant().toLongLong();
    proof.timedOut = out.value(QStringLiteral("timed_out")).toBool();
    for (const QJsonValue& v : out.value(QStringLiteral("examples")).toArray()) {
        const QJsonObject o = v.toObject();
        ExpressionProof::Failure f;
        f.error = o.value(QStringLiteral("error")).toString();
        f.kind = failureKind(o.value(QStringLiteral("sqlstate")).toString());
        f.values = o.value(QStringLiteral("values")).toObject();
        f.fromStats = o.value(QStringLiteral("from_stats")).toBool();
        proof.examples << f;
    }
    return proof;
}

void requireProven(const ExpressionProof& proof, const ResolvedChange& change)
{
    if (proof.failed())
        throw ChangeError(proof.field(change), proof.failureText());
}

} // namespace lockstep
