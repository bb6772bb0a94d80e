// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/plan/object_names.h"

#include <QCryptographicHash>

namespace lockstep {

namespace {
int utf8Bytes(const QString& s)
{
    return s.toUtf8().size();
}

// Drops the last character (a whole surrogate pair when there is one).
void chopCharacter(QString* s)
{
    if (s->isEmpty())
        return;
    const int n = s->size() >= 2 && s->at(s->size() - 1).isLowSurrogate() && s->at(s->size() - 2).isHighSurrogate() ? 2 : 1;
    s->chop(n);
}

QString join(const QString& prefix, const QStringList& parts, const QString& suffix)
{
    return prefix + parts.join(QLatin1Char('_')) + suffix;
}
} // namespace

QString fitIdentifier(const QString& prefix, const QStringList& parts, const QString& suffix)
{
    const QString full = join(prefix, parts, suffix);
    if (utf8Bytes(full) <= kMaxIdentifierBytes)
        return full;
    const QString hash = QString::fromLatin1(
        QCryptographicHash::hash(full.toUtf8(), QCryptographicHash::Sha1).toHex().left(8));
    const QString tail = QLatin1Char('_') + hash + suffix;
    QStringList cut = parts;
    // Shorten the longest part, one character at a time, until everything fits.
    while (utf8Bytes(join(prefix, cut, tail)) > kMaxIdentifierBytes) {
        int longest = -1;
        for (int i = 0; i < cut.size(); ++i) {
            if (!cut[i].isEmpty() && (longest < 0 || utf8Bytes(cut[i]) > utf8Bytes(cut[longest])))
                longest = i;
        }
        if (longest < 0)
            break;   // only prefix and suffix left: they are ours and short
        chopCharacter(&cut[longest]);
    }
    return join(prefix, cut, tail);
}

QString uniqueIdentifier(const QString& prefix, const QStringList& parts, const QString& suffix,
                         QSet<QString>* taken)
{
    QString name = fitIdentifier(prefix, parts, suffix);
    for (int n = 1; taken->contains(name); ++n)
        name = fitIdentifier(prefix, parts, suffix + QString::number(n));
    taken->insert(name);
    return name;
}

PlanObjectNames derivePlanObjectNames(const TableSnapshot& table, const QString& column)
{
    // Index names share the schema's relation namespace and a UNIQUE constraint takes its index's
    // name, so indexes and constraints form one pool; triggers are per table, functions per schema.
    QSet<QString> relationNames;
    for (const IndexInfo& i : table.indexes)
        relationNames.insert(i.name);
    for (const ConstraintInfo& c : table.constraints)
        relationNames.insert(c.name);
    for (const QString& name : table.schemaRelationNames)
        relationNames.insert(name);
    QSet<QString> triggers(table.triggerNames.begin(), table.triggerNames.end());
    QSet<QString> functions;

    const QStringList parts{table.name, column};
    const QString ours = QStringLiteral("lockstep_");
    PlanObjectNames n;
    n.syncFunction = uniqueIdentifier(ours, parts, QStringLiteral("_sync"), &functions);
    n.syncInsertTrigger = uniqueIdentifier(ours, parts, QStringLiteral("_sync_ins"), &triggers);
    n.syncUpdateTrigger = uniqueIdentifier(ours, parts, QStringLiteral("_sync_upd"), &triggers);
    n.changedKeysTable = uniqueIdentifier(ours, parts, QStringLiteral("_changed"), &relationNames);
    n.changedKeysFunction = uniqueIdentifier(ours, parts, QStringLiteral("_log"), &functions);
    n.valueFunction = uniqueIdentifier(ours, parts, QStringLiteral("_value"), &functions);
    n.failedRowsTable = uniqueIdentifier(ours, parts, QStringLiteral("_failed"), &relationNames);
    n.failedRowsFunction = uniqueIdentifier(ours, parts, QStringLiteral("_fail"), &functions);
    n.reverseFunction = uniqueIdentifier(ours, parts, QStringLiteral("_rev"), &functions);
    n.reverseInsertTrigger = uniqueIdentifier(ours, parts, QStringLiteral("_rev_ins"), &triggers);
    n.reverseUpdateTrigger = uniqueIdentifier(ours, parts, QStringLiteral("_rev_upd"), &triggers);
    n.notNullCheck = uniqueIdentifier(QString(), parts, QStringLiteral("_not_null"), &relationNames);
    n.uniqueKey = uniqueIdentifier(QString(), parts, QStringLiteral("_key"), &relationNames);
    n.index = uniqueIdentifier(QString(), parts, QStringLiteral("_idx"), &relationNames);
    n.foreignKey = uniqueIdentifier(QString(), parts, QStringLiteral("_fkey"), &relationNames);
    n.check = uniqueIdentifier(QString(), parts, QStringLiteral("_check"), &relationNames);
    return n;
}

} // namespace lockstep
