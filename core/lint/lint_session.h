// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/lint/statement_classifier.h"
#include "core/lint/type_change.h"
#include "core/plan/lock_mode.h"

#include <QHash>
#include <QSet>
#include <QString>
#include <optional>

namespace lockstep::lint {

// What the text has done so far, as a session running it top to bottom would see it: the transaction
// block, lock_timeout, tables and functions it created, column types it set, constraints it added and
// validated. Names are compared as written (StatementReport::table), so "orders" and "public.orders" are
// two tables here.
class LintSession {
public:
    // Transactions. Outside a block every statement is its own transaction: call endStatement() after each.
    bool inTransactionBlock() const { return m_inBlock; }
    void begin();
    void commit();
    void rollback();
    void endStatement();

    // lock_timeout: SET (session) lasts until changed, SET LOCAL until the block ends, a rolled-back
    // block undoes its SETs. Off means 0 (PostgreSQL's default: wait for ever).
    bool lockTimeoutOn() const;
    void setLockTimeout(bool on, bool local);

    void tableCreated(const QString& table) { m_newTables.insert(table); }
    bool isNewTable(const QString& table) const { return m_newTables.contains(table); }

    void functionCreated(const QString& name, bool isVolatile) { m_functions.insert(name, isVolatile); }
    std::optional<bool> functionIsVolatile(const QString& name) const;

    // The type a column got from ADD COLUMN or ALTER COLUMN TYPE earlier in the text.
    void columnTyped(const QString& table, const QString& column, const TypeSpec& type);
    std::optional<TypeSpec> columnType(const QString& table, const QString& column) const;

    // Constraints. `lock` is the lock the ADD took (held until its transaction ends).
    void constraintAdded(const QString& table, const Action& action, LockMode lock);
    void constraintValidated(const QString& table, const QString& name);
    void constraintDropped(const QString& table, const QString& name);
    bool hasValidatedNotNullCheck(const QString& table, const QString& column) const;
    bool isForeignKey(const QString& table, const QString& name) const;
    // The lock of ADD CONSTRAINT name ... NOT VALID when it ran in the transaction still open.
    std::optional<LockMode> addedNotValidInThisTransaction(const QString& table, const QString& name) const;

    // RENAME TO: the statement (0-based) that renamed `table` away in the transaction still open, so a
    // CREATE VIEW of the old name there can keep old queries working.
    // The strongest lock the open transaction already holds on `table` (held until it ends): a later
    // statement needing no stronger lock waits for nothing.
    void lockTaken(const QString& table, LockMode lock);
    std::optional<LockMode> heldLock(const QString& table) const;

    void tableRenamed(const QString& table, int statementIndex) { m_renamedThisTransaction.insert(table, statementIndex); }
    std::optional<int> renamedInThisTransaction(const QString& table) const;

private:
    struct Constraint {
        bool foreignKey = false;
        QString notNullColumn;
        bool validated = false;
    };
    static QString key(const QString& table, const QString& name);
    void endTransaction();

    bool m_inBlock = false;
    bool m_sessionTimeout = false;
    bool m_sessionTimeoutAtBegin = false;
    std::optional<bool> m_localTimeout;
    QSet<QString> m_newTables;
    QHash<QString, bool> m_functions;
    QHash<QString, TypeSpec> m_columnTypes;
    QHash<QString, Constraint> m_constraints;
    QHash<QString, LockMode> m_notValidThisTransaction;
    QHash<QString, int> m_renamedThisTransaction;
    QHash<QString, LockMode> m_heldLocks;
    int m_unnamed = 0;
};

} // namespace lockstep::lint
