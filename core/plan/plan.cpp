// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/plan/plan.h"

#include <algorithm>

#include <QJsonArray>

namespace lockstep {

Plan Plan::until(Phase last) const
{
    Plan out = *this;
    out.steps.clear();
    for (const Step& s : steps) {
        if (static_cast<int>(s.phase) <= static_cast<int>(last))
            out.steps.push_back(s);
    }
    // Stopped before the backfill and any index build: none of the disk estimate applies.
    if (std::none_of(out.steps.begin(), out.steps.end(), [](const Step& s) { return s.backfill || s.id.contains(QLatin1String("index")); }))
        out.disk = DiskEstimate{};
    return out;
}

double Plan::estimatedSeconds() const
{
    double total = 0;
    for (const Step& s : steps)
        total += s.estimatedSeconds;
    return total;
}

QJsonObject Plan::toJson() const
{
    QJsonArray stepArray;
    for (const Step& s : steps)
        stepArray.append(s.toJson());
    QJsonObject json{
        {QStringLiteral("server_version"), serverVersion},
        {QStringLiteral("server_version_num"), serverVersionNum},
        {QStringLiteral("table"), table},
        {QStringLiteral("table_oid"), qint64(tableOid)},
        {QStringLiteral("change"), change.toJson()},
        {QStringLiteral("steps"), stepArray},
    };
    if (!proof.isEmpty())
        json.insert(QStringLiteral("proof"), proof);
    if (!estimateSource.isEmpty())
        json.insert(QStringLiteral("estimate_source"), estimateSource);
    if (!takesOver.isEmpty())
        json.insert(QStringLiteral("takes_over"), takesOver);
    if (disk.known)
        json.insert(QStringLiteral("disk"), disk.toJson());
    if (!partitions.isEmpty())
        json.insert(QStringLiteral("partitions"), QJsonArray::fromStringList(partitions));
    return json;
}

Plan Plan::fromJson(const QJsonObject& json)
{
    Plan p;
    p.serverVersion = json.value(QStringLiteral("server_version")).toString();
    p.serverVersionNum = json.value(QStringLiteral("server_version_num")).toInt();
    p.table = json.value(QStringLiteral("table")).toString();
    p.proof = json.value(QStringLiteral("proof")).toString();
    p.estimateSource = json.value(QStringLiteral("estimate_source")).toString();
    p.takesOver = json.value(QStringLiteral("takes_over")).toString();
    p.disk = DiskEstimate::fromJson(json.value(QStringLiteral("disk")).toObject());
    for (const auto& v : json.value(QStringLiteral("partitions")).toArray())
        p.partitions << v.toString();
    p.tableOid = quint32(json.value(QStringLiteral("table_oid")).toInteger());
    QString error;
    if (auto change = NewColumnChange::fromJson(json.value(QStringLiteral("change")).toObject(), &error))
        p.change = *change;
    for (const QJsonValue& v : json.value(QStringLiteral("steps")).toArray())
        p.steps.push_back(Step::fromJson(v.toObject()));
    return p;
}

} // namespace lockstep
