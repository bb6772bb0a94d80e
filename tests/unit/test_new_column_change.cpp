// SPDX-License-Identifier: GPL-3.0-or-later
// NewColumnChange as JSON (the CLI's --change file): round trips, and malformed objects refused with the
// key named. References "table(column)" split as the CLI reads them.
#include "core/change/new_column_change.h"

#include <QJsonDocument>
#include <QtTest>

using namespace lockstep;

namespace {
QJsonObject object(const char* json) { return QJsonDocument::fromJson(QByteArray(json)).object(); }

void compareChanges(const NewColumnChange& a, const NewColumnChange& b)
{
    QCOMPARE(int(a.kind), int(b.kind));
    QCOMPARE(a.table, b.table);
    QCOMPARE(a.column, b.column);
    QCOMPARE(a.oldColumn, b.oldColumn);
    QCOMPARE(a.type, b.type);
    QCOMPARE(a.defaultExpr, b.defaultExpr);
    QCOMPARE(a.notNull, b.notNull);
    QCOMPARE(a.backfill, b.backfill);
    QCOMPARE(a.unique, b.unique);
    QCOMPARE(a.index, b.index);
    QCOMPARE(a.referencesTable, b.referencesTable);
    QCOMPARE(a.referencesColumn, b.referencesColumn);
    QCOMPARE(a.onDelete, b.onDelete);
    QCOMPARE(a.check, b.check);
}
} // namespace

class TestNewColumnChange : public QObject {
    Q_OBJECT
private slots:
    void roundTripAdd()
    {
        NewColumnChange c;
        c.table = QStringLiteral("sales.\"Order Items\"");
        c.column = QStringLiteral("Total €");
        c.type = QStringLiteral("numeric(14,2)");
        c.defaultExpr = QStringLiteral("0");
        c.notNull = true;
        c.backfill = QStringLiteral("\"Qty\" * \"Unit Price\"");
        c.index = true;
        c.check = QStringLiteral("\"Total €\" >= 0");
        const QJsonObject json = c.toJson();
        QCOMPARE(json.value(QLatin1String("add_column")).toString(), QStringLiteral("Total €"));
        QVERIFY(!json.contains(QLatin1String("replace_column")));
        QVERIFY(!json.contains(QLatin1String("references")));
        QCOMPARE(json.value(QLatin1String("not_null")).toBool(), true);
        QString error;
        const auto back = NewColumnChange::fromJson(json, &error);
        QVERIFY2(back, qPrintable(error));
        compareChanges(*back, c);
        // Through text too, as a file would carry it.
        const auto reread = NewColumnChange::fromJson(QJsonDocument::fromJson(QJsonDocument(json).toJson()).object(), &error);
        QVERIFY2(reread, qPrintable(error));
        compareChanges(*reread, c);
    }

    void roundTripReplaceWithReference()
    {
        NewColumnChange c;
        c.kind = NewColumnChange::Kind::Replace;
        c.table = QStringLiteral("items");
        c.oldColumn = QStringLiteral("customer");
        c.column = QStringLiteral("customer_id");
        c.type = QStringLiteral("bigint");
        c.referencesTable = QStringLiteral("\"Odd (Name)\"");
        c.referencesColumn = QStringLiteral("Key, \"A\"");
        c.onDelete = QStringLiteral("set null");
        const QJsonObject json = c.toJson();
        QCOMPARE(json.value(QLatin1String("replace_column")).toString(), QStringLiteral("customer"));
        QCOMPARE(json.value(QLatin1String("new_name")).toString(), QStringLiteral("customer_id"));
        QCOMPARE(json.value(QLatin1String("references")).toString(), QStringLiteral("\"Odd (Name)\"(\"Key, \"\"A\"\"\")"));
        QString error;
        const auto back = NewColumnChange::fromJson(json, &error);
        QVERIFY2(back, qPrintable(error));
        compareChanges(*back, c);
    }

    void fromJsonReadsEveryKey()
    {
        QString error;
        const auto c = NewColumnChange::fromJson(
            object(R"J({"table": "items", "add_column": "customer_id", "type": "integer", "default": "1", "not_null": true,
                       "backfill": "(id % 100) + 1", "unique": false, "index": true, "references": "customers(id)",
                       "on_delete": "cascade", "check": "customer_id > 0"})J"),
            &error);
        QVERIFY2(c, qPrintable(error));
        QCOMPARE(int(c->kind), int(NewColumnChange::Kind::Add));
        QCOMPARE(c->column, QStringLiteral("customer_id"));
        QCOMPARE(*c->defaultExpr, QStringLiteral("1"));
        QVERIFY(c->notNull && c->index && !c->unique);
        QCOMPARE(*c->referencesTable, QStringLiteral("customers"));
        QCOMPARE(*c->referencesColumn, QStringLiteral("id"));
        QCOMPARE(*c->onDelete, QStringLiteral("cascade"));
        QCOMPARE(*c->check, QStringLiteral("customer_id > 0"));
        // null stands for "not given".
        const auto n = NewColumnChange::fromJson(object(R"J({"table": "t", "add_column": "c", "type": "int", "default": null})J"), &error);
        QVERIFY2(n, qPrintable(error));
        QVERIFY(!n->defaultExpr);
    }

    void fromJsonErrors_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("key");
        QTest::newRow("unknown key") << R"J({"table": "t", "add_column": "c", "type": "int", "drop": true})J" << "drop";
        QTest::newRow("bool as string") << R"J({"table": "t", "add_column": "c", "type": "int", "not_null": "yes"})J" << "not_null";
        QTest::newRow("table as number") << R"J({"table": 5, "add_column": "c", "type": "int"})J" << "table";
        QTest::newRow("default as number") << R"J({"table": "t", "add_column": "c", "type": "int", "default": 0})J" << "default";
        QTest::newRow("unique as number") << R"J({"table": "t", "add_column": "c", "type": "int", "unique": 1})J" << "unique";
        QTest::newRow("type as array") << R"J({"table": "t", "add_column": "c", "type": ["int"]})J" << "type";
        QTest::newRow("missing table") << R"J({"add_column": "c", "type": "int"})J" << "table";
        QTest::newRow("missing type") << R"J({"table": "t", "add_column": "c"})J" << "type";
        QTest::newRow("missing column") << R"J({"table": "t", "type": "int"})J" << "add_column";
        QTest::newRow("add and replace") << R"J({"table": "t", "add_column": "c", "replace_column": "d", "new_name": "e", "type": "int"})J" << "add_column";
        QTest::newRow("replace without new name") << R"J({"table": "t", "replace_column": "d", "type": "int"})J" << "new_name";
        QTest::newRow("new name with add") << R"J({"table": "t", "add_column": "c", "new_name": "e", "type": "int"})J" << "new_name";
        QTest::newRow("bad reference") << R"J({"table": "t", "add_column": "c", "type": "int", "references": "customers"})J" << "references";
        QTest::newRow("two referenced columns") << R"J({"table": "t", "add_column": "c", "type": "int", "references": "customers(id, name)"})J" << "references";
    }

    void fromJsonErrors()
    {
        QFETCH(QString, json);
        QFETCH(QString, key);
        QString error;
        const auto c = NewColumnChange::fromJson(QJsonDocument::fromJson(json.toUtf8()).object(), &error);
        QVERIFY(!c);
        QVERIFY2(error.startsWith(key + QStringLiteral(": ")), qPrintable(error));
    }

    void parseReference_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("table");
        QTest::addColumn<QString>("column");
        QTest::newRow("plain") << "customers(id)" << true << "customers" << "id";
        QTest::newRow("qualified") << "sales.customers(id)" << true << "sales.customers" << "id";
        QTest::newRow("spaces") << "  customers ( id )  " << true << "customers" << "id";
        QTest::newRow("quoted table with parenthesis") << "\"Odd (x)\"(id)" << true << "\"Odd (x)\"" << "id";
        QTest::newRow("literal column keeps case") << "customers(Id)" << true << "customers" << "Id";
        QTest::newRow("quoted column") << "customers(\"Item ID\")" << true << "customers" << "Item ID";
        QTest::newRow("quoted column with quote") << "customers(\"a\"\"b\")" << true << "customers" << "a\"b";
        QTest::newRow("column with space") << "customers(Item ID)" << true << "customers" << "Item ID";
        QTest::newRow("no parentheses") << "customers" << false << "" << "";
        QTest::newRow("unclosed") << "customers(id" << false << "" << "";
        QTest::newRow("no table") << "(id)" << false << "" << "";
        QTest::newRow("statement after") << "customers(id); DROP TABLE customers" << false << "" << "";
        QTest::newRow("empty column") << "customers()" << false << "" << "";
        QTest::newRow("two columns") << "customers(id, name)" << false << "" << "";
        QTest::newRow("nested") << "customers(id)(x)" << false << "" << "";
        QTest::newRow("empty quoted column") << "customers(\"\")" << false << "" << "";
        QTest::newRow("bad quoting") << "customers(\"a\"b\")" << false << "" << "";
    }

    void parseReference()
    {
        QFETCH(QString, text);
        QFETCH(bool, ok);
        QFETCH(QString, table);
        QFETCH(QString, column);
        QString t, c;
        QCOMPARE(NewColumnChange::parseReference(text, &t, &c), ok);
        if (ok) {
            QCOMPARE(t, table);
            QCOMPARE(c, column);
        }
    }
};

QTEST_APPLESS_MAIN(TestNewColumnChange)
#include "test_new_column_change.moc"
