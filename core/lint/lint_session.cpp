// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/lint/lint_session.h"

namespace lockstep::lint {

QString LintSession::key(const QString& table, const QString& name)
{
    return table + QChar(0x1f) + name;
}

void LintSession::begin()
{
    if (m_inBlock)
        return;   // PostgreSQL warns and stays in the same block
    m_inBlock = true;
    m_sessionTimeoutAtBegin = m_sessionTimeout;
}

void LintSession::commit()
{
    m_inBlock = false;
    endTransaction();
}

void LintSession::rollback()
{
    if (m_inBlock)
        m_sessionTimeout = m_sessionTimeoutAtBegin;
    m_inBlock = false;
    endTransaction();
}

void LintSession::endStatement()
{
    if (!m_inBlock)
        endTransaction();
}

void LintSession::endTransaction()
{
    m_localTimeout.reset();
    m_notValidThisTransaction.clear();
    m_renamedThisTransaction.clear();
    m_heldLocks.clear();
}

void LintSession::lockTaken(const QString& table, LockMode lock)
{
    if (table.isEmpty())
        return;
    const auto it = m_heldLocks.find(table);
    if (it == m_heldLocks.end())
        m_heldLocks.insert(table, lock);
    else if (lock > *it)
        *it = lock;
}

std::optional<LockMode> LintSession::heldLock(const QString& table) const
{
    const auto it = m_heldLocks.constFind(table);
    return it == m_heldLocks.constEnd() ? std::nullopt : std::optional<LockMode>(*it);
}

std::optional<int> LintSession::renamedInThisTransaction(const QString& table) const
{
    const auto it = m_renamedThisTransaction.constFind(table);
    return it == m_renamedThisTransaction.constEnd() ? std::nullopt : std::optional<int>(*it);
}

bool LintSession::lockTimeoutOn() const
{
    return m_localTimeout.value_or(m_sessionTimeout);
}

void LintSession::setLockTimeout(bool on, bool local)
{
    if (local) {
        if (m_inBlock)   // outside a block SET LOCAL has no effect (PostgreSQL warns)
            m_localTimeout = on;
        return;
    }
    m_sessionTimeout = on;
    m_localTimeout.reset();   // a plain SET also replaces an earlier SET LOCAL
}

std::optional<bool> LintSession::functionIsVolatile(const QString& name) const
{
    const auto it = m_functions.constFind(name);
    return it == m_functions.constEnd() ? std::nullopt : std::optional<bool>(*it);
}

void LintSession::columnTyped(const QString& table, const QString& column, const TypeSpec& type)
{
    m_columnTypes.insert(key(table, column), type);
}

std::optional<TypeSpec> LintSession::columnType(const QString& table, const QString& column) const
{
    const auto it = m_columnTypes.constFind(key(table, column));
    return it == m_columnTypes.constEnd() ? std::nullopt : std::optional<TypeSpec>(*it);
}

void LintSession::constraintAdded(const QString& table, const Action& action, LockMode lock)
{
    const bool notValid = action.op == DdlOperation::AddCheckNotValid || action.op == DdlOperation::AddForeignKeyNotValid;
    // An unnamed constraint cannot be validated or dropped by name later, but a validated
    // CHECK (c IS NOT NULL) still lets SET NOT NULL skip its scan.
    const QString name = action.constraint.isEmpty() ? QStringLiteral("\x01unnamed %1").arg(++m_unnamed) : action.constraint;
    Constraint c;
    c.foreignKey = action.op == DdlOperation::AddForeignKey || action.op == DdlOperation::AddForeignKeyNotValid;
    c.notNullColumn = action.notNullColumn;
    c.validated = !notValid;
    m_constraints.insert(key(table, name), c);
    if (notValid)
        m_notValidThisTransaction.insert(key(table, name), lock);
}

void LintSession::constraintValidated(const QString& table, const QString& name)
{
    const auto it = m_constraints.find(key(table, name));
    if (it != m_constraints.end())
        it->validated = true;
}

void LintSession::constraintDropped(const QString& table, const QString& name)
{
    m_constraints.remove(key(table, name));
    m_notValidThisTransaction.remove(key(table, name));
}

bool LintSession::hasValidatedNotNullCheck(const QString& table, const QString& column) const
{
    const QString prefix = table + QChar(0x1f);
    for (auto it = m_constraints.constBegin(); it != m_constraints.constEnd(); ++it) {
        if (it.key().startsWith(prefix) && it->validated && it->notNullColumn == column)
            return true;
    }
    return false;
}

bool LintSession::isForeignKey(const QString& table, const QString& name) const
{
    return m_constraints.value(key(table, name)).foreignKey;
}

std::optional<LockMode> LintSession::addedNotValidInThisTransaction(const QString& table, const QString& name) const
{
    const auto it = m_notValidThisTransaction.constFind(key(table, name));
    return it == m_notValidThisTransaction.constEnd() ? std::nullopt : std::optional<LockMode>(*it);
}

} // namespace lockstep::lint
