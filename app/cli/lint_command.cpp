// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/lint_command.h"

#include "app/cli/cli.h"
#include "app/cli/console.h"
#include "app/cli/plan_builder.h"
#include "core/lint/pg_schema_lookup.h"
#include "core/lint/sql_lint.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonDocument>
#include <cstdio>
#include <optional>

namespace lockstep::cli {

namespace {
// "15" -> 150000, "150004" -> 150004; nullopt outside PostgreSQL 10-17.
std::optional<int> parseVersion(const QString& text)
{
    bool ok = false;
    const int n = text.toInt(&ok);
    if (!ok)
        return std::nullopt;
    if (n >= 10 && n <= 17)
        return n * 10000;
    if (n >= 100000 && n <= 179999)
        return n;
    return std::nullopt;
}

std::optional<QString> readText(const QString& file, QString* error)
{
    QFile f;
    const bool opened = file == QLatin1String("-") ? f.open(stdin, QIODevice::ReadOnly) : (f.setFileName(file), f.open(QIODevice::ReadOnly));
    if (!opened) {
        *error = f.errorString();
        return std::nullopt;
    }
    const QByteArray bytes = f.readAll();
    if (f.error() != QFileDevice::NoError) {
        *error = f.errorString();
        return std::nullopt;
    }
    return QString::fromUtf8(bytes);
}

// The parser's help with a usage line that names the file, then examples, exit codes and the rule names.
QString lintHelp(const QString& parserHelp)
{
    QString text = QStringLiteral("Usage: lockstep lint [options] FILE.sql") + parserHelp.mid(parserHelp.indexOf(QLatin1Char('\n')));
    text += QStringLiteral(
        "\nExamples:\n"
        "  lockstep lint migrations/042_add_token.sql\n"
        "  lockstep lint --db 'host=/tmp dbname=shop' --format json 042_add_token.sql\n"
        "  git show HEAD:migrations/042_add_token.sql | lockstep lint --pg-version 12 -\n"
        "\nExit codes: 0 no hazards, 5 hazards found (the report says which), 2 invalid input: a bad option,\n"
        "a file that cannot be read, or SQL that does not parse (FILE:LINE:COLUMN on stderr, nothing on\n"
        "stdout), 3 cannot connect (--db).\n"
        "\nHazard rules (the `rule` of each hazard):\n");
    QString line = QStringLiteral(" ");
    for (const QString& rule : lint::hazardRuleNames()) {
        if (line.size() + rule.size() + 2 > 100) {
            text += line + QLatin1Char('\n');
            line = QStringLiteral(" ");
        }
        line += QLatin1Char(' ') + rule;
    }
    return text + line + QLatin1Char('\n');
}

int printReport(const lint::LintResult& result, const QString& format)
{
    if (format == QLatin1String("json"))
        out() << QJsonDocument(lint::toJson(result)).toJson(QJsonDocument::Indented);
    else
        out() << lint::renderText(result);
    out().flush();
    return result.hazardCount() > 0 ? ExitHazards : ExitOk;
}
} // namespace

int lintCommand(const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Lint SQL (a migration, a psql script) for what it would do to a live database. For every statement:\n"
        "the table lock it takes, whether it rewrites or scans the table, what it blocks (reads, writes), and\n"
        "its hazards, each with a safe way to do the same. Statements are parsed with PostgreSQL's own parser\n"
        "and read top to bottom as one session would run them (BEGIN/COMMIT, SET lock_timeout).\n"
        "Nothing is ever executed. With --db the server tells column types (type changes that need no rewrite,\n"
        "e.g. varchar(20) -> varchar(40) or text) and table sizes; without it, lint works offline."));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("FILE.sql"), QStringLiteral("The SQL to lint, or - for standard input."));
    p.addOption({QStringLiteral("db"), QStringLiteral("libpq connection string or URI: look up column types and table sizes."),
                 QStringLiteral("CONNINFO")});
    p.addOption({QStringLiteral("pg-version"),
                 QStringLiteral("The server version to lint for, 10 to 17 or e.g. 150004 (default 15; with --db the "
                                "server's own version wins)."),
                 QStringLiteral("N"), QStringLiteral("15")});
    p.addOption({QStringLiteral("format"),
                 QStringLiteral("Output: text (default) or json (an array, one object per statement: statement, sql, "
                                "lock, rewrites, scans, blocks, hazards [{rule, message, fix}])."),
                 QStringLiteral("FORMAT"), QStringLiteral("text")});
    if (!p.parse(args))
        return usageError(p.errorText());
    if (p.isSet(QStringLiteral("help"))) {
        out() << lintHelp(p.helpText());
        return ExitOk;
    }
    const QString format = p.value(QStringLiteral("format"));
    if (format != QLatin1String("text") && format != QLatin1String("json"))
        return usageError(QStringLiteral("--format: \"%1\" is not one of text, json").arg(format));
    const auto version = parseVersion(p.value(QStringLiteral("pg-version")));
    if (!version)
        return usageError(QStringLiteral("--pg-version: \"%1\" is not a PostgreSQL version from 10 to 17 (e.g. 15 or 150004)")
                              .arg(p.value(QStringLiteral("pg-version"))));
    const QStringList files = p.positionalArguments();
    if (files.size() != 1)
        return usageError(files.isEmpty() ? QStringLiteral("give the SQL file to lint (or - for standard input)")
                                          : QStringLiteral("unexpected argument \"%1\"").arg(files.at(1)));
    const QString file = files.first();
    const QString shownName = file == QLatin1String("-") ? QStringLiteral("<stdin>") : file;
    QString readError;
    const auto text = readText(file, &readError);
    if (!text) {
        err() << "lockstep lint: cannot read " << shownName << ": " << readError << Qt::endl;
        return ExitInvalidInput;
    }

    lint::LintOptions options;
    options.serverVersionNum = *version;
    // The parse error is found before connecting: no server needed to say the text is not SQL.
    lint::LintResult result = lint::lintSql(*text, options);
    if (result.error) {
        const lint::ParseError& e = *result.error;
        err() << "lockstep lint: " << shownName;
        if (e.line > 0)
            err() << ":" << e.line << ":" << e.column;
        err() << ": " << e.message << Qt::endl;
        return ExitInvalidInput;
    }
    if (!p.isSet(QStringLiteral("db")))
        return printReport(result, format);

    int rc = ExitOk;
    const auto conn = connectOrReport(p.value(QStringLiteral("db")), QStringLiteral("lint"), &rc);
    if (!conn)
        return rc;
    options.serverVersionNum = conn->serverVersionNum();
    if (p.isSet(QStringLiteral("pg-version")) && options.serverVersionNum / 10000 != *version / 10000)
        err() << "lockstep lint: --pg-version ignored: the server runs PostgreSQL " << conn->serverVersion() << Qt::endl;
    lint::PgSchemaLookup lookup(*conn);
    try {
        lookup.prefetch(lint::lintTargets(*text));
    } catch (const pg::PgException& e) {
        err() << "lockstep lint: lost the connection: " << e.error().toString() << Qt::endl;
        return ExitCannotConnect;
    }
    options.schema = &lookup;
    return printReport(lint::lintSql(*text, options), format);
}

} // namespace lockstep::cli
