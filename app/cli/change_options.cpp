// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/change_options.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonParseError>

namespace lockstep::cli {

namespace {
const QStringList kValueFlags = {
    QStringLiteral("table"),   QStringLiteral("add-column"), QStringLiteral("replace-column"),
    QStringLiteral("new-name"), QStringLiteral("type"),      QStringLiteral("default"),
    QStringLiteral("backfill"), QStringLiteral("references"), QStringLiteral("on-delete"),
    QStringLiteral("check"),
};
const QStringList kSwitchFlags = {QStringLiteral("not-null"), QStringLiteral("unique"), QStringLiteral("index")};

std::optional<NewColumnChange> changeFromFile(const QString& path, QString* error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("--change: cannot read %1: %2").arg(path, f.errorString());
        return std::nullopt;
    }
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject()) {
        *error = QStringLiteral("--change: %1 is not a JSON object (%2)")
                     .arg(path, pe.error != QJsonParseError::NoError ? pe.errorString() : QStringLiteral("not an object"));
        return std::nullopt;
    }
    QString why;
    auto change = NewColumnChange::fromJson(doc.object(), &why);
    if (!change)
        *error = QStringLiteral("--change: ") + why;
    return change;
}
} // namespace

void addChangeOptions(QCommandLineParser& p)
{
    p.addOptions({
        {QStringLiteral("change"), QStringLiteral("Read the change from a JSON file with the same fields as the flags."), QStringLiteral("FILE.json")},
        {QStringLiteral("table"), QStringLiteral("The table, in SQL syntax: orders, sales.orders, '\"Order Items\"'."), QStringLiteral("[SCHEMA.]TABLE")},
        {QStringLiteral("add-column"), QStringLiteral("Add a new column with this literal name."), QStringLiteral("NAME")},
        {QStringLiteral("replace-column"), QStringLiteral("Replace this existing column (literal name) by a new one computed from it; it is dropped at contract."), QStringLiteral("OLD")},
        {QStringLiteral("new-name"), QStringLiteral("With --replace-column: the new column's literal name."), QStringLiteral("NAME")},
        {QStringLiteral("type"), QStringLiteral("The new column's type, resolved by the server; serial, bigserial, smallserial: a sequence owned by the column numbers existing rows and gives new ones their value; 'bigint GENERATED ALWAYS|BY DEFAULT AS IDENTITY': the same, then an identity column."), QStringLiteral("TYPE")},
        {QStringLiteral("default"), QStringLiteral("Default: a constant or an expression (a volatile one is backfilled, never inlined)."), QStringLiteral("EXPR")},
        {QStringLiteral("not-null"), QStringLiteral("Make the column NOT NULL once filled (CHECK NOT VALID, VALIDATE, SET NOT NULL).")},
        {QStringLiteral("backfill"), QStringLiteral("Expression over the row's existing columns that fills existing rows (replace: default OLD::TYPE)."), QStringLiteral("EXPR")},
        {QStringLiteral("unique"), QStringLiteral("Make the column unique (unique index built CONCURRENTLY, then a constraint).")},
        {QStringLiteral("index"), QStringLiteral("Index the column (CREATE INDEX CONCURRENTLY).")},
        {QStringLiteral("references"), QStringLiteral("Foreign key target."), QStringLiteral("TABLE(COL)")},
        {QStringLiteral("on-delete"), QStringLiteral("Foreign key ON DELETE action: NO ACTION, RESTRICT, CASCADE, SET NULL, SET DEFAULT."), QStringLiteral("ACTION")},
        {QStringLiteral("check"), QStringLiteral("A CHECK constraint on the new column (added NOT VALID, then validated)."), QStringLiteral("EXPR")},
    });
}

std::optional<NewColumnChange> changeFromOptions(const QCommandLineParser& p, QString* error)
{
    const bool anyFlag = std::any_of(kValueFlags.begin(), kValueFlags.end(), [&](const QString& f) { return p.isSet(f); })
        || std::any_of(kSwitchFlags.begin(), kSwitchFlags.end(), [&](const QString& f) { return p.isSet(f); });
    if (p.isSet(QStringLiteral("change"))) {
        if (anyFlag) {
            *error = QStringLiteral("--change: give the change either as a file or as flags, not both");
            return std::nullopt;
        }
        return changeFromFile(p.value(QStringLiteral("change")), error);
    }
    for (const QString& f : kValueFlags) {
        if (p.values(f).size() > 1) {
            *error = QStringLiteral("--%1: given more than once").arg(f);
            return std::nullopt;
        }
    }

    NewColumnChange c;
    auto optional = [&](const char* flag) -> std::optional<QString> {
        const QString name = QLatin1String(flag);
        return p.isSet(name) ? std::optional<QString>(p.value(name)) : std::nullopt;
    };
    if (!p.isSet(QStringLiteral("table"))) {
        *error = QStringLiteral("--table: required (the table to change, e.g. --table public.orders)");
        return std::nullopt;
    }
    c.table = p.value(QStringLiteral("table"));
    const bool add = p.isSet(QStringLiteral("add-column"));
    const bool replace = p.isSet(QStringLiteral("replace-column"));
    if (add == replace) {
        *error = add ? QStringLiteral("--add-column: use either --add-column or --replace-column, not both")
                     : QStringLiteral("--add-column: required (or --replace-column OLD --new-name NAME)");
        return std::nullopt;
    }
    if (add) {
        c.kind = NewColumnChange::Kind::Add;
        c.column = p.value(QStringLiteral("add-column"));
        if (p.isSet(QStringLiteral("new-name"))) {
            *error = QStringLiteral("--new-name: only with --replace-column");
            return std::nullopt;
        }
    } else {
        c.kind = NewColumnChange::Kind::Replace;
        c.oldColumn = p.value(QStringLiteral("replace-column"));
        if (!p.isSet(QStringLiteral("new-name"))) {
            *error = QStringLiteral("--new-name: required with --replace-column (the new column's name)");
            return std::nullopt;
        }
        c.column = p.value(QStringLiteral("new-name"));
    }
    if (!p.isSet(QStringLiteral("type"))) {
        *error = QStringLiteral("--type: required (the new column's type, e.g. --type bigint)");
        return std::nullopt;
    }
    c.type = p.value(QStringLiteral("type"));
    c.defaultExpr = optional("default");
    c.notNull = p.isSet(QStringLiteral("not-null"));
    c.backfill = optional("backfill");
    c.unique = p.isSet(QStringLiteral("unique"));
    c.index = p.isSet(QStringLiteral("index"));
    c.onDelete = optional("on-delete");
    c.check = optional("check");
    if (p.isSet(QStringLiteral("references"))) {
        QString table, column;
        if (!NewColumnChange::parseReference(p.value(QStringLiteral("references")), &table, &column)) {
            *error = QStringLiteral("--references: expected TABLE(COLUMN), e.g. --references customers(id)");
            return std::nullopt;
        }
        c.referencesTable = table;
        c.referencesColumn = column;
    }
    return c;
}

} // namespace lockstep::cli
