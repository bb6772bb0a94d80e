// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/change/nearest_name.h"

#include <QVector>
#include <algorithm>

namespace lockstep {

int editDistance(const QString& left, const QString& right)
{
    const QString a = left.toLower(), b = right.toLower();
    const int n = int(a.size()), m = int(b.size());
    QVector<QVector<int>> d(n + 1, QVector<int>(m + 1));
    for (int i = 0; i <= n; ++i)
        d[i][0] = i;
    for (int j = 0; j <= m; ++j)
        d[0][j] = j;
    for (int i = 1; i <= n; ++i) {
        for (int j = 1; j <= m; ++j) {
            const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);   // two neighbours swapped
        }
    }
    return d[n][m];
}

QString nearestName(const QString& typed, const QStringList& candidates)
{
    const QString t = typed.trimmed();
    if (t.isEmpty())
        return {};
    const int allowed = t.size() <= 4 ? 1 : t.size() <= 8 ? 2 : 3;
    QString best;
    int bestDistance = allowed + 1;
    bool tie = false;
    for (const QString& c : candidates) {
        if (c.compare(t, Qt::CaseInsensitive) == 0)
            return {};
        if (std::abs(int(c.size()) - int(t.size())) > allowed)
            continue;   // cannot be near enough: skip the table
        const int d = editDistance(t, c);
        if (d < bestDistance) {
            best = c;
            bestDistance = d;
            tie = false;
        } else if (d == bestDistance && c.compare(best, Qt::CaseInsensitive) != 0) {
            tie = true;
        }
    }
    return tie ? QString() : best;
}

QString didYouMean(const QString& typed, const QStringList& candidates, const QString& suffix)
{
    const QString near = nearestName(typed, candidates);
    return near.isEmpty() ? QString() : QStringLiteral("; did you mean %1?").arg(near + suffix);
}

} // namespace lockstep
