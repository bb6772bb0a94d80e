// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/run/partition_drift.h"

#include <QSet>

namespace lockstep::run {

QString partitionDrift(pg::Connection& conn, const Plan& plan, qint64 runId)
{
    if (plan.partitions.isEmpty())
        return {};
    const pg::Result r = conn.exec(pg::sqlResource(QStringLiteral("run_partitions")), {plan.table});
    QSet<QString> now;
    for (int i = 0; i < r.rows(); ++i)
        now.insert(r.value(i, 0));
    const QSet<QString> planned(plan.partitions.begin(), plan.partitions.end());
    QStringList attached = (now - planned).values(), detached = (planned - now).values();
    if (attached.isEmpty() && detached.isEmpty())
        return {};
    attached.sort();
    detached.sort();
    QStringList changes;
    if (!attached.isEmpty())
        changes << QStringLiteral("attached or created %1").arg(attached.join(QStringLiteral(", ")));
    if (!detached.isEmpty())
        changes << QStringLiteral("detached or dropped %1").arg(detached.join(QStringLiteral(", ")));
    return QStringLiteral("the partitions of %1 changed since the plan (%2): the plan walks and indexes it "
                          "partition by partition, so the run stops here rather than leave rows unfilled or the "
                          "index invalid. Put the partitions back as they were and resume, or roll back (lockstep rollback "
                          "%3) and plan again%4.")
        .arg(plan.table, changes.join(QStringLiteral("; ")))
        .arg(runId)
        .arg(detached.isEmpty() ? QString()
                                : QStringLiteral(" (a detached partition keeps the new column: drop it there by hand)"));
}

} // namespace lockstep::run
