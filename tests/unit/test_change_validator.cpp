// SPDX-License-Identifier: GPL-3.0-or-later
// Offline validation: table names in SQL syntax, identifier byte limits, the rules between fields, and
// that every refusal names the field at fault.
#include "core/change/change_error.h"
#include "core/change/change_validator.h"
#include "core/change/nearest_name.h"
#include "core/change/qualified_name.h"

#include <QtTest>

using namespace lockstep;

namespace {
NewColumnChange addChange(const QString& column = QStringLiteral("fresh"))
{
    NewColumnChange c;
    c.table = QStringLiteral("items");
    c.column = column;
    c.type = QStringLiteral("int");
    return c;
}

NewColumnChange replaceChange(const QString& oldColumn, const QString& newName)
{
    NewColumnChange c = addChange(newName);
    c.kind = NewColumnChange::Kind::Replace;
    c.oldColumn = oldColumn;
    return c;
}

// The field a refused change names, or "" when it is accepted.
QString refusedField(const NewColumnChange& c, QString* message = nullptr)
{
    try {
        validateChange(c);
    } catch (const ChangeError& e) {
        if (message)
            *message = QString::fromUtf8(e.what());
        return e.field;
    }
    return {};
}
} // namespace

class TestChangeValidator : public QObject {
    Q_OBJECT
private slots:
    void qualifiedNames_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("schema");
        QTest::addColumn<QString>("name");
        QTest::newRow("plain") << "orders" << "" << "orders";
        QTest::newRow("folded") << "Orders" << "" << "orders";
        QTest::newRow("qualified") << "public.orders" << "public" << "orders";
        QTest::newRow("qualified folded") << "Sales.ORDERS" << "sales" << "orders";
        QTest::newRow("quoted") << "\"Order Items\"" << "" << "Order Items";
        QTest::newRow("schema quoted") << "sales.\"Order Items\"" << "sales" << "Order Items";
        QTest::newRow("both quoted") << "\"My Schema\".\"a.b\"" << "My Schema" << "a.b";
        QTest::newRow("escaped quote") << "\"say \"\"hi\"\"\"" << "" << "say \"hi\"";
        QTest::newRow("spaces around") << "  sales . orders  " << "sales" << "orders";
        QTest::newRow("dollar and digits") << "t$1_2" << "" << "t$1_2";
        QTest::newRow("non-ascii unquoted keeps case") << "CAFÉ" << "" << "cafÉ";
        QTest::newRow("unreserved keyword") << "names" << "" << "names";
        QTest::newRow("column-name keyword") << "int" << "" << "int";
        QTest::newRow("quoted reserved word") << "\"select\"" << "" << "select";
        QTest::newRow("63 bytes") << QString(63, QLatin1Char('t')) << "" << QString(63, QLatin1Char('t'));
    }

    void qualifiedNames()
    {
        QFETCH(QString, text);
        QFETCH(QString, schema);
        QFETCH(QString, name);
        QString why;
        const auto parsed = parseQualifiedName(text, &why);
        QVERIFY2(parsed, qPrintable(why));
        QCOMPARE(parsed->schema, schema);
        QCOMPARE(parsed->name, name);
    }

    void badQualifiedNames_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("reason");
        QTest::newRow("statement") << "orders; drop table x" << "unexpected";
        QTest::newRow("four parts") << "a.b.c.d" << "dots";
        QTest::newRow("three parts") << "a.b.c" << "dots";
        QTest::newRow("empty") << "" << "empty";
        QTest::newRow("blank") << "   " << "empty";
        QTest::newRow("reserved select") << "select" << "reserved";
        QTest::newRow("reserved table") << "table" << "reserved";
        QTest::newRow("reserved in schema") << "user.orders" << "reserved";
        QTest::newRow("type-function keyword") << "left" << "reserved";
        QTest::newRow("unterminated quote") << "\"unterminated" << "";
        QTest::newRow("stray quote") << "items\"" << "";
        QTest::newRow("empty quoted") << "\"\"" << "";
        QTest::newRow("trailing dot") << "public." << "dot";
        QTest::newRow("leading dot") << ".items" << "";
        QTest::newRow("line comment") << "items--" << "";
        QTest::newRow("block comment") << "items /* */" << "";
        QTest::newRow("space in name") << "sales.order items" << "double quotes";
        QTest::newRow("text after quote") << "sales.\"Order Items\"x" << "unexpected";
        QTest::newRow("parenthesis") << "items(id)" << "unexpected";
        QTest::newRow("star") << "items *" << "unexpected";
        QTest::newRow("only") << "ONLY items" << "";
        QTest::newRow("64 bytes") << QString(64, QLatin1Char('t')) << "64 bytes";
        QTest::newRow("64 bytes quoted schema") << QStringLiteral("\"%1\".t").arg(QString(32, QChar(0xe9))) << "64 bytes";
        QTest::newRow("starts with digit") << "1items" << "";
        QTest::newRow("unicode escape") << "U&\"d\\0061t\"" << "U&";
        QTest::newRow("nul") << QStringLiteral("a") + QChar(0) << "NUL";
    }

    void badQualifiedNames()
    {
        QFETCH(QString, text);
        QFETCH(QString, reason);
        QString why;
        const auto parsed = parseQualifiedName(text, &why);
        QVERIFY2(!parsed, qPrintable(QStringLiteral("accepted %1 as %2.%3").arg(text, parsed ? parsed->schema : QString(),
                                                                                 parsed ? parsed->name : QString())));
        QVERIFY2(why.contains(reason, Qt::CaseInsensitive), qPrintable(why));
    }

    void reservedWordHintSaysHowToQuote()
    {
        QString why;
        QVERIFY(!parseQualifiedName(QStringLiteral("Select"), &why));
        QVERIFY2(why.contains(QLatin1String("\"select\"")), qPrintable(why));
    }

    void identifierBytes()
    {
        QVERIFY(identifierProblem(QString(63, QLatin1Char('a'))).isEmpty());
        QVERIFY(!identifierProblem(QString(64, QLatin1Char('a'))).isEmpty());
        QVERIFY(identifierProblem(QString(31, QChar(0xe9))).isEmpty());         // 62 bytes
        QVERIFY(!identifierProblem(QString(32, QChar(0xe9))).isEmpty());        // 64 bytes
        QVERIFY(identifierProblem(QString(21, QChar(0x20ac))).isEmpty());       // 63 bytes of €
        QVERIFY(!identifierProblem(QString(22, QChar(0x20ac))).isEmpty());      // 66 bytes
        QVERIFY(identifierProblem(QStringLiteral("Total € \"; DROP TABLE x; --")).isEmpty());   // always quoted later
        QVERIFY(!identifierProblem(QString()).isEmpty());
        QVERIFY(!identifierProblem(QStringLiteral("a") + QChar(0)).isEmpty());
        QVERIFY(identifierProblem(QStringLiteral("%1%2")).isEmpty());
        QVERIFY2(identifierProblem(QString(64, QLatin1Char('a'))).contains(QLatin1String("64 bytes")),
                 qPrintable(identifierProblem(QString(64, QLatin1Char('a')))));
    }

    void acceptsGoodChanges()
    {
        QCOMPARE(refusedField(addChange()), QString());
        NewColumnChange c = addChange(QStringLiteral("Total €"));
        c.table = QStringLiteral("sales.\"Order Items\"");
        c.type = QStringLiteral("numeric(14,2)");
        c.backfill = QStringLiteral("\"Qty\" * \"Unit Price\"");
        c.notNull = true;
        c.index = true;
        QCOMPARE(refusedField(c), QString());
        c = addChange(QStringLiteral("customer_id"));
        c.referencesTable = QStringLiteral("customers");
        c.referencesColumn = QStringLiteral("id");
        c.onDelete = QStringLiteral(" set   null ");
        QCOMPARE(refusedField(c), QString());
        QCOMPARE(validateChangeParts(c).onDelete, QStringLiteral("SET NULL"));
        c = replaceChange(QStringLiteral("qty"), QStringLiteral("qty_big"));
        QCOMPARE(refusedField(c), QString());
        c.defaultExpr = QStringLiteral("gen_random_uuid()");
        c.check = QStringLiteral("qty_big > 0");
        const ValidatedChange v = validateChangeParts(c);
        QCOMPARE(v.table.name, QStringLiteral("items"));
        QCOMPARE(v.defaultExpr->functions.first().name, QStringLiteral("gen_random_uuid"));
        QCOMPARE(v.check->columns, QStringList{QStringLiteral("qty_big")});
    }

    void refusesWithTheField_data()
    {
        QTest::addColumn<int>("index");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("reason");
        const auto cases = badChanges();
        for (int i = 0; i < cases.size(); ++i)
            QTest::newRow(qPrintable(cases[i].name)) << i << cases[i].field << cases[i].reason;
    }

    void refusesWithTheField()
    {
        QFETCH(int, index);
        QFETCH(QString, field);
        QFETCH(QString, reason);
        QString message;
        QCOMPARE(refusedField(badChanges().at(index).change, &message), field);
        QVERIFY2(message.startsWith(ChangeError::flagName(field) + QStringLiteral(": ")), qPrintable(message));
        QVERIFY2(message.contains(reason, Qt::CaseInsensitive), qPrintable(message));
    }

    // The window marks every field at fault at once: a bad name does not hide a bad type or expression.
    void everyProblemAtOnce()
    {
        NewColumnChange c = addChange(QStringLiteral("ctid"));
        c.type = QStringLiteral("numeric(12");
        c.backfill = QStringLiteral("total +");
        c.check = QStringLiteral("fresh > 0");
        c.onDelete = QStringLiteral("cascade");
        QStringList fields;
        for (const ChangeError& e : changeProblems(c))
            fields << e.field;
        QCOMPARE(fields, (QStringList{QStringLiteral("add_column"), QStringLiteral("type"), QStringLiteral("backfill"),
                                      QStringLiteral("on_delete")}));
        // The first is the one validateChange throws.
        QCOMPARE(refusedField(c), QStringLiteral("add_column"));
        QVERIFY(changeProblems(addChange()).isEmpty());
        // A broken reference is said once, not again as its ON DELETE.
        c = addChange();
        c.referencesTable = QStringLiteral("customers");
        c.onDelete = QStringLiteral("cascade");
        QCOMPARE(changeProblems(c).size(), 1);
        QCOMPARE(changeProblems(c).first().field, QStringLiteral("references"));
    }

    void nearestNames()
    {
        const QStringList types{QStringLiteral("numeric"), QStringLiteral("integer"), QStringLiteral("text"),
                                QStringLiteral("timestamp with time zone"), QStringLiteral("bigint"), QStringLiteral("int4range")};
        QCOMPARE(nearestName(QStringLiteral("numerc"), types), QStringLiteral("numeric"));
        QCOMPARE(nearestName(QStringLiteral("NUMERIC"), types), QString());            // it is one
        QCOMPARE(nearestName(QStringLiteral("intger"), types), QStringLiteral("integer"));
        QCOMPARE(nearestName(QStringLiteral("bgiint"), types), QStringLiteral("bigint")); // a swap is one edit
        QCOMPARE(nearestName(QStringLiteral("txt"), types), QStringLiteral("text"));
        QCOMPARE(nearestName(QStringLiteral("blob"), types), QString());               // nothing near
        QCOMPARE(nearestName(QStringLiteral("totl"), {QStringLiteral("total"), QStringLiteral("note")}), QStringLiteral("total"));
        // Two equally near: no guess.
        QCOMPARE(nearestName(QStringLiteral("cat"), {QStringLiteral("cap"), QStringLiteral("car")}), QString());
        QCOMPARE(editDistance(QStringLiteral("kitten"), QStringLiteral("sitting")), 3);
        QCOMPARE(editDistance(QStringLiteral("ab"), QStringLiteral("BA")), 1);
    }

    void errorMessageShape()
    {
        const ChangeError e(QStringLiteral("add_column"), QStringLiteral("is taken"));
        QCOMPARE(QString::fromUtf8(e.what()), QStringLiteral("--add-column: is taken"));
        QCOMPARE(e.field, QStringLiteral("add_column"));
        QCOMPARE(e.reason, QStringLiteral("is taken"));
    }

private:
    struct Bad {
        QString name;
        NewColumnChange change;
        QString field;
        QString reason;
    };
    static QVector<Bad> badChanges()
    {
        QVector<Bad> b;
        auto add = [&](const char* name, NewColumnChange c, const char* field, const char* reason) {
            b.push_back({QLatin1String(name), c, QLatin1String(field), QString::fromUtf8(reason)});
        };
        NewColumnChange c = addChange();
        c.table = QStringLiteral("orders; drop table x");
        add("table statement", c, "table", "");
        c.table = QStringLiteral("select");
        add("table reserved", c, "table", "reserved");
        c.table = QString();
        add("table empty", c, "table", "empty");
        add("column 64 bytes", addChange(QString(64, QLatin1Char('c'))), "add_column", "64 bytes");
        add("column 64 bytes of é", addChange(QString(32, QChar(0xe9))), "add_column", "64 bytes");
        add("column empty", addChange(QString()), "add_column", "empty");
        add("column ctid", addChange(QStringLiteral("ctid")), "add_column", "system column");
        add("replace without new name", replaceChange(QStringLiteral("qty"), QString()), "new_name", "empty");
        add("replace without old", replaceChange(QString(), QStringLiteral("x")), "replace_column", "empty");
        add("replace same name", replaceChange(QStringLiteral("qty"), QStringLiteral("qty")), "new_name", "another name");
        add("replace 64 byte name", replaceChange(QStringLiteral("qty"), QString(64, QLatin1Char('n'))), "new_name", "64 bytes");
        c = addChange();
        c.type = QStringLiteral("int; drop table x");
        add("type statement", c, "type", "");
        c.type = QString();
        add("type empty", c, "type", "empty");
        c = addChange();
        c.defaultExpr = QStringLiteral("1; DROP TABLE t");
        add("default statement", c, "default", ";");
        c.defaultExpr = QStringLiteral("id");
        add("default column", c, "default", "columns");
        c = addChange();
        c.backfill = QStringLiteral("count(*)");
        add("backfill aggregate", c, "backfill", "aggregate");
        c = addChange();
        c.check = QStringLiteral("(SELECT true)");
        add("check subquery", c, "check", "subquery");
        c = addChange();
        c.onDelete = QStringLiteral("cascade");
        add("on delete without references", c, "on_delete", "--references");
        c.referencesTable = QStringLiteral("customers");
        c.referencesColumn = QStringLiteral("id");
        c.onDelete = QStringLiteral("explode");
        add("on delete unknown", c, "on_delete", "not one of");
        c.onDelete = QStringLiteral("cascade; DROP TABLE customers");
        add("on delete statement", c, "on_delete", "not one of");
        c.onDelete = QStringLiteral("set null");
        c.notNull = true;
        add("set null with not null", c, "on_delete", "NOT NULL");
        c = addChange();
        c.referencesTable = QStringLiteral("a.b.c");
        c.referencesColumn = QStringLiteral("id");
        add("references bad table", c, "references", "dots");
        c.referencesTable = QStringLiteral("customers");
        c.referencesColumn = QString(64, QLatin1Char('i'));
        add("references long column", c, "references", "64 bytes");
        c.referencesColumn.reset();
        add("references without column", c, "references", "TABLE(COLUMN)");
        return b;
    }
};

QTEST_APPLESS_MAIN(TestChangeValidator)
#include "test_change_validator.moc"
