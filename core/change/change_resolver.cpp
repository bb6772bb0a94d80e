// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/change/change_resolver.h"

#include "core/change/change_error.h"
#include "core/change/expression_checker.h"
#include "core/change/expression_proof.h"
#include "core/change/read_only_transaction.h"
#include "core/change/unique_proof.h"
#include "core/pg/catalog_reader.h"
#include "core/plan/object_names.h"
#include "core/run/owner_marks.h"
#include "core/run/run_identity.h"
#include "core/run/run_takeover.h"

namespace lockstep {

namespace {
QString relkindName(const QString& relkind)
{
    switch (relkind.isEmpty() ? '?' : relkind.at(0).toLatin1()) {
    case 'v': return QStringLiteral("a view");
    case 'm': return QStringLiteral("a materialized view");
    case 'S': return QStringLiteral("a sequence");
    case 'i':
    case 'I': return QStringLiteral("an index");
    case 'f': return QStringLiteral("a foreign table");
    case 'c': return QStringLiteral("a composite type");
    case 't': return QStringLiteral("a TOAST table");
    default: return QStringLiteral("not a table");
    }
}

bool isSystemSchema(const QString& schema)
{
    return schema == QLatin1String("pg_catalog") || schema == QLatin1String("information_schema")
        || schema.startsWith(QLatin1String("pg_toast")) || schema.startsWith(QLatin1String("pg_temp"));
}
} // namespace

ChangeResolver::ChangeResolver(pg::Connection& conn) : m_conn(conn) {}

ChangeResolver::Resolved ChangeResolver::resolve(const NewColumnChange& change)
{
    const ValidatedChange v = validateChangeParts(change);
    ReadOnlyTransaction transaction(m_conn);

    requireStandardStrings(change);
    Resolved out;
    const Relation table = findTable(QStringLiteral("table"), change.table, v.table);
    out.table = pg::readTableSnapshot(m_conn, table.oid);
    const QString takenType = m_takeOver ? takeOverColumn(change, out) : QString();
    checkColumnNames(change, out.table);
    const bool replace = change.kind == NewColumnChange::Kind::Replace;
    if (replace)
        checkReplaceable(change.oldColumn, out.table);

    ResolvedChange& r = out.change;
    r.change = change;
    // serial / bigserial / smallserial: a CREATE TABLE shorthand, made here of its integer type, a sequence
    // owned by the column, NOT NULL, and nextval() as default and backfill.
    QString identity;
    const QString serialBase = serialBaseType(change.type, &identity);
    if (!identity.isEmpty())
        checkIdentity(out.table);
    if (!serialBase.isEmpty()) {
        if (change.defaultExpr || change.backfill || replace)
            throw ChangeError(QStringLiteral("type"), QStringLiteral("a %1 column's values come from its own new sequence: "
                                                                     "give no --default or --backfill, and add it as a new column")
                                                          .arg(change.type.trimmed()));
        r.change.notNull = true;
    }
    const ResolvedType type = resolveColumnType(m_conn, serialBase.isEmpty() ? change.type : serialBase);
    r.type = type.name;
    if (out.takesOver && (!serialBase.isEmpty() || !identity.isEmpty()))
        throw ChangeError(QStringLiteral("take_over"), QStringLiteral("a %1 column's run cannot be taken over (its sequence "
                                                                      "is not marked as the run's): roll it back from its own "
                                                                      "journal").arg(change.type.trimmed()));
    if (out.takesOver && takenType != type.name)
        throw ChangeError(QStringLiteral("type"), QStringLiteral("the abandoned run added \"%1\" as %2, not %3: give the same "
                                                                 "change to take it over").arg(change.column, takenType, type.name));
    if (replace)
        r.oldType = out.table.column(change.oldColumn)->type;
    resolveExpressions(change, v, out.table, type, r);
    resolveForeignKey(change, v, type, r);
    checkPartitioned(change, out.table);
    if (!serialBase.isEmpty()) {
        r.identity = identity;
        resolveSerial(out.table, r);
        return out;   // values from a sequence: nothing to evaluate on the rows, and no expression to prove
    }

    if (change.notNull && !r.backfillExpr && !r.defaultExpr && rowsUpTo(out.table, 1) > 0)
        throw ChangeError(QStringLiteral("not_null"),
                          QStringLiteral("%1.%2 has rows and nothing would fill the new column in them; give --default "
                                         "or --backfill").arg(out.table.schema, out.table.name));
    // A constant default gives every existing row the same value: a unique index could never be built.
    const bool sameForAll = r.defaultExpr && !r.defaultVolatile && (!r.backfillExpr || *r.backfillExpr == *r.defaultExpr);
    if (change.unique && sameForAll && rowsUpTo(out.table, 2) > 1)
        throw ChangeError(QStringLiteral("unique"),
                          QStringLiteral("every existing row would get the same default, so they cannot be unique; "
                                         "give --backfill with distinct values"));
    // Last, once everything else holds: the value computed on the table's real rows. A value the type
    // cannot take would otherwise fail the backfill hours in, with the sync trigger installed.
    const ExpressionProof proof = proveExpressions(m_conn, out.table, r);
    requireProven(proof, r);
    r.proof = proof.summary();
    // A unique key over values that repeat would fail after the whole backfill: refused now.
    const UniqueProof unique = proveUnique(m_conn, out.table, r);
    if (!unique.repeated.isEmpty())
        throw ChangeError(QStringLiteral("unique"),
                          QStringLiteral("the new values repeat: '%1' comes %2 times in %3, so the unique key could not be "
                                         "built; give a backfill whose values are distinct, or no --unique")
                              .arg(unique.repeated.left(80)).arg(unique.times)
                              .arg(unique.wholeTable ? QStringLiteral("the table's rows") : QStringLiteral("a sample of the rows")));
    if (unique.checked && !unique.wholeTable)
        r.proof += QStringLiteral("; no repeated value in a sample (the unique key is proven only when it is built)");
    return out;
}

// We parse '...' strings as PostgreSQL does by default (standard_conforming_strings = on: a backslash is
// an ordinary character). A server with it off would read 'a\' || '; ...' differently from us, and the
// part we saw as a string could run as SQL in the plan's script. Refuse backslashes there rather than guess.
void ChangeResolver::requireStandardStrings(const NewColumnChange& change)
{
    const bool standard = m_conn.exec(QStringLiteral("SELECT current_setting('standard_conforming_strings') = 'on'"))
                              .value(0, 0) == QLatin1String("t");
    if (standard)
        return;
    const QList<QPair<QString, std::optional<QString>>> expressions{
        {QStringLiteral("default"), change.defaultExpr}, {QStringLiteral("backfill"), change.backfill}, {QStringLiteral("check"), change.check}};
    for (const auto& e : expressions)
        if (e.second && e.second->contains(QLatin1Char('\\')))
            throw ChangeError(e.first, QStringLiteral("contains a backslash while the server runs with "
                                                      "standard_conforming_strings = off, where a backslash can change "
                                                      "where a string ends; remove it or turn the setting on"));
}

ChangeResolver::Relation ChangeResolver::findTable(const QString& field, const QString& text, const QualifiedName& parsed)
{
    pg::Result r;
    try {
        r = m_conn.exec(pg::sqlResource(QStringLiteral("resolve_relation")), {text.trimmed()});
    } catch (const pg::PgException& e) {
        if (e.error().isConnectionError())
            throw;
        throw ChangeError(field, QStringLiteral("\"%1\": %2").arg(text, e.error().message));
    }
    if (r.isNull(0, "oid")) {
        if (!parsed.schema.isEmpty()) {
            const bool schemaFound = m_conn.exec(pg::sqlResource(QStringLiteral("resolve_schema_exists")), {parsed.schema})
                                         .value(0, "found") == QLatin1String("t");
            if (!schemaFound)
                throw ChangeError(field, QStringLiteral("\"%1\": schema \"%2\" does not exist").arg(text, parsed.schema));
            throw ChangeError(field, QStringLiteral("\"%1\": no table \"%2\" in schema \"%3\"").arg(text, parsed.name, parsed.schema));
        }
        throw ChangeError(field, QStringLiteral("\"%1\": no table \"%2\" in the search_path (%3)")
                                     .arg(text, parsed.name, r.value(0, "search_path")));
    }
    Relation rel;
    rel.oid = r.value(0, "oid").toUInt();
    rel.schema = r.value(0, "schema");
    rel.name = r.value(0, "name");
    // The server read the text itself; it must agree with our reading of it.
    if (rel.name != parsed.name || (!parsed.schema.isEmpty() && rel.schema != parsed.schema))
        throw ChangeError(field, QStringLiteral("\"%1\" names %2.%3 on the server, not what it seems to say")
                                     .arg(text, rel.schema, rel.name));
    if (isSystemSchema(rel.schema))
        throw ChangeError(field, QStringLiteral("\"%1\" is %2.%3, a system table").arg(text, rel.schema, rel.name));
    const QString relkind = r.value(0, "relkind");
    if (relkind != QLatin1String("r") && relkind != QLatin1String("p"))
        throw ChangeError(field, QStringLiteral("\"%1\" is %2, not a table").arg(text, relkindName(relkind)));
    if (r.value(0, "is_partition") == QLatin1String("t"))
        throw ChangeError(field, QStringLiteral("\"%1\" is a partition; change its partitioned table instead").arg(text));
    return rel;
}

void ChangeResolver::checkColumnNames(const NewColumnChange& change, const TableSnapshot& table)
{
    const QString where = table.schema + QLatin1Char('.') + table.name;
    if (change.kind == NewColumnChange::Kind::Add) {
        if (table.column(change.column))
            throw ChangeError(QStringLiteral("add_column"), QStringLiteral("%1 already has a column \"%2\"%3")
                                                                .arg(where, change.column, columnOwnerNote(table, change.column)));
        return;
    }
    if (!table.column(change.oldColumn))
        throw ChangeError(QStringLiteral("replace_column"), QStringLiteral("%1 has no column \"%2\"").arg(where, change.oldColumn));
    if (table.column(change.column))
        throw ChangeError(QStringLiteral("new_name"), QStringLiteral("%1 already has a column \"%2\"%3")
                                                          .arg(where, change.column, columnOwnerNote(table, change.column)));
}

void ChangeResolver::resolveSerial(const TableSnapshot& table, ResolvedChange& r)
{
    // "<table>_<column>_seq", as CREATE TABLE names it, fitted to 63 bytes as every plan name is; a number
    // added while the name is taken.
    for (int n = 0; n < 100 && r.serialSequence.isEmpty(); ++n) {
        // An identity column's sequence is ours only until the identity takes over, which then gets the usual name.
        const QString prefix = r.identity.isEmpty() ? QString() : QStringLiteral("lockstep_");
        const QString candidate = fitIdentifier(prefix, {table.name, r.change.column},
                                                n == 0 ? QStringLiteral("_seq") : QStringLiteral("_seq%1").arg(n));
        const QString qualified = m_conn.quoteIdent(table.schema) + QLatin1Char('.') + m_conn.quoteIdent(candidate);
        if (m_conn.exec(QStringLiteral("SELECT to_regclass($1) IS NULL"), {qualified}).value(0, 0) == QLatin1String("t")) {
            r.serialSequence = candidate;
            r.defaultExpr = QStringLiteral("nextval(%1::regclass)").arg(m_conn.quoteLiteral(qualified));
        }
    }
    if (r.serialSequence.isEmpty())
        throw ChangeError(QStringLiteral("type"), QStringLiteral("no free name for the sequence of %1").arg(r.change.column));
    r.defaultVolatile = true;
    r.backfillExpr = r.defaultExpr;
    r.backfillVolatile = true;
    const auto grantees = m_conn.exec(pg::sqlResource(QStringLiteral("resolve_serial_grantees")),
                                      {m_conn.quoteIdent(table.schema) + QLatin1Char('.') + m_conn.quoteIdent(table.name)});
    for (int i = 0; i < grantees.rows(); ++i)
        r.serialGrantees << grantees.value(i, 0);
    r.proof = QStringLiteral("values from the new sequence %1: existing rows numbered in key order by the backfill, new "
                             "rows by the default").arg(r.serialSequence);
}

void ChangeResolver::checkIdentity(const TableSnapshot& table)
{
    // ADD GENERATED AS IDENTITY needs the column NOT NULL, which needs 12's SET NOT NULL without a scan;
    // identity on partitioned tables has its own rules before 17.
    if (table.serverVersionNum < 120000)
        throw ChangeError(QStringLiteral("type"), QStringLiteral("an identity column needs PostgreSQL 12 or later here "
                                                                 "(SET NOT NULL without a scan); use bigserial"));
    if (table.relkind == 'p')
        throw ChangeError(QStringLiteral("type"), QStringLiteral("%1.%2 is partitioned: an identity column cannot be added "
                                                                 "to it safely here; use bigserial").arg(table.schema, table.name));
}

void ChangeResolver::checkPartitioned(const NewColumnChange& change, const TableSnapshot& table)
{
    // What PostgreSQL cannot do on a partitioned table without a long lock: refused now, not after the backfill.
    if (table.relkind != 'p')
        return;
    const QString where = table.schema + QLatin1Char('.') + table.name;
    if (table.serverVersionNum > 0 && table.serverVersionNum < 130000)
        throw ChangeError(QStringLiteral("table"),
                          QStringLiteral("%1 is partitioned, and before PostgreSQL 13 a partitioned table cannot have the "
                                         "BEFORE row trigger that keeps the new column in sync with writes").arg(where));
    if (change.unique)
        throw ChangeError(QStringLiteral("unique"),
                          QStringLiteral("%1 is partitioned by (%2): a unique key on it must include the partition key, so "
                                         "the new column alone cannot be unique across partitions; use --index, or add a "
                                         "unique key over (%2, %3) by hand").arg(where, table.partitionKey.join(QStringLiteral(", ")), change.column));
    if (change.referencesTable)
        throw ChangeError(QStringLiteral("references"),
                          QStringLiteral("%1 is partitioned: PostgreSQL cannot add a NOT VALID foreign key on a partitioned "
                                         "table, and a valid one checks every row under SHARE ROW EXCLUSIVE (writes blocked "
                                         "for the whole scan); add the column without --references, then the key per "
                                         "partition").arg(where));
}

QString ChangeResolver::takeOverColumn(const NewColumnChange& change, Resolved& out)
{
    const QString field = QStringLiteral("take_over");
    const ColumnInfo* existing = out.table.column(change.column);
    if (!existing)
        throw ChangeError(field, QStringLiteral("%1.%2 has no column \"%3\": there is nothing to take over; run without "
                                                "--take-over").arg(out.table.schema, out.table.name, change.column));
    QString why;
    const auto owner = run::abandonedRun(m_conn, out.table, change.column, &why);
    if (!owner)
        throw ChangeError(field, why);
    const QString type = existing->type;
    out.table = run::withoutRunObjects(m_conn, out.table, change.column, owner->uid);
    out.takesOver = owner;
    return type;
}

QString ChangeResolver::columnOwnerNote(const TableSnapshot& table, const QString& column)
{
    // A column a Lockstep run added carries its mark (run/owner_marks.h): say whose it is and how to go on.
    const auto owner = run::columnOwner(m_conn, m_conn.quoteIdent(table.schema) + QLatin1Char('.') + m_conn.quoteIdent(table.name), column);
    if (!owner)
        return {};
    const QString host = owner->operatorName.section(QLatin1Char('@'), 1);
    return QStringLiteral(", added by lockstep %1; if that run is unfinished, continue it there (lockstep resume %2 on %3) "
                          "or undo it (lockstep rollback %2) instead of starting another; if that machine and its "
                          "journal are gone, take the run over: the same change with --take-over")
        .arg(owner->describe()).arg(owner->journalRunId).arg(host);
}

void ChangeResolver::checkReplaceable(const QString& oldColumn, const TableSnapshot& table)
{
    const QString field = QStringLiteral("replace_column");
    for (const ConstraintInfo& c : table.constraints)
        if (c.type == 'p' && c.columns.contains(oldColumn))
            throw ChangeError(field, QStringLiteral("\"%1\" is part of the primary key (%2); replacing key columns is not "
                                                    "supported yet").arg(oldColumn, c.name));
    if (table.key.columns.contains(oldColumn))
        throw ChangeError(field, QStringLiteral("\"%1\" is part of the unique key the backfill walks (index %2); replacing "
                                                "it is not supported yet").arg(oldColumn, table.key.indexName));
    const pg::Result refs = m_conn.exec(pg::sqlResource(QStringLiteral("resolve_referencing_fks")),
                                        {table.oid, table.column(oldColumn)->attnum});
    if (refs.rows() > 0)
        throw ChangeError(field, QStringLiteral("\"%1\" is referenced by foreign key %2 of %3; replacing a referenced "
                                                "column is not supported yet")
                                     .arg(oldColumn, refs.value(0, "name"), refs.value(0, "from_table")));
}

void ChangeResolver::resolveExpressions(const NewColumnChange& change, const ValidatedChange& v, const TableSnapshot& table,
                                        const ResolvedType& type, ResolvedChange& out)
{
    ExpressionChecker checker(m_conn, table, type);
    const bool replace = change.kind == NewColumnChange::Kind::Replace;
    if (v.defaultExpr) {
        out.defaultExpr = v.defaultExpr->text;
        out.defaultVolatile = checker.checkDefault(*v.defaultExpr);
    }
    if (v.backfill) {
        out.backfillSourceColumns = checker.checkBackfill(*v.backfill, &out.backfillVolatile);
        out.backfillExpr = v.backfill->text;
        out.backfillCopiesColumn = v.backfill->bareColumn;
    } else if (replace) {
        out.backfillExpr = checker.checkConversion(change.oldColumn);
        out.backfillSourceColumns = QStringList{change.oldColumn};
        out.backfillCopiesColumn = true;
    } else if (out.defaultExpr && (out.defaultVolatile || table.serverVersionNum < 110000)) {
        // A volatile default is never inlined (it would rewrite the table), and before PostgreSQL 11 every
        // default rewrites: either way existing rows get it from the backfill.
        out.backfillExpr = out.defaultExpr;
        out.backfillVolatile = out.defaultVolatile;
    }
    if (v.check) {
        checker.checkCheck(*v.check, change.column, replace ? change.oldColumn : QString());
        out.check = v.check->text;
    }
}

void ChangeResolver::resolveForeignKey(const NewColumnChange& change, const ValidatedChange& v, const ResolvedType& type,
                                       ResolvedChange& out)
{
    if (!v.refTable)
        return;
    const QString field = QStringLiteral("references");
    const Relation ref = findTable(field, *change.referencesTable, *v.refTable);
    const QString column = *change.referencesColumn;
    const QString target = QStringLiteral("%1.%2(%3)").arg(ref.schema, ref.name, column);
    const pg::Result col = m_conn.exec(pg::sqlResource(QStringLiteral("resolve_fk_target")), {ref.oid, column});
    if (col.rows() != 1)
        throw ChangeError(field, QStringLiteral("%1.%2 has no column \"%3\"").arg(ref.schema, ref.name, column));
    if (col.isNull(0, "key_opfamily"))
        throw ChangeError(field, QStringLiteral("%1 is not unique on its own: a foreign key needs a primary key, unique "
                                                "constraint or unique index on exactly that column").arg(target));
    const pg::Result compatible = m_conn.exec(pg::sqlResource(QStringLiteral("resolve_fk_compatible")),
                                              {type.oid, col.value(0, "type_oid"), col.value(0, "key_opfamily"),
                                               col.value(0, "key_opcintype")});
    if (compatible.value(0, "compatible") != QLatin1String("t"))
        throw ChangeError(field, QStringLiteral("a column of type %1 cannot reference %2, which is %3: PostgreSQL has no equality "
                                                "between them that the key's index can use").arg(type.name, target, col.value(0, "type")));
    out.refSchema = ref.schema;
    out.refTable = ref.name;
    out.refColumn = column;
    out.onDelete = v.onDelete;
}

qint64 ChangeResolver::rowsUpTo(const TableSnapshot& table, int limit)
{
    const QString sql = QStringLiteral("SELECT count(*) FROM (SELECT 1 FROM %1.%2 LIMIT %3) AS s")
                            .arg(m_conn.quoteIdent(table.schema), m_conn.quoteIdent(table.name), QString::number(limit));
    return m_conn.exec(sql).value(0, 0).toLongLong();
}

} // namespace lockstep
