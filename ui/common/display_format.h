// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QDateTime>
#include <QString>

namespace lockstep::ui {

// The units every view uses (UI.md): sizes "1.2 GB", counts "14 M", rates "12,400 rows/s".
QString sizeText(qint64 bytes);
QString countText(double n);                 // "950", "12.4 k", "14 M"; "unknown" when negative
QString rateText(double perSecond, const QString& unit = QStringLiteral("rows/s"));
QString groupedNumber(qint64 n);             // "12,400"
QString agoText(const QDateTime& when);
// A table's writes with this window's own backfill said apart: "11,257 writes/s, about 11,000 rows/s of them
// by this run's backfill" (the detail pane, the navigator, the map's tooltip).
QString tableWritesText(double writesPerSecond, double ownWritesPerSecond);      // "3 min ago", "never"
// "1 replica", "2 replicas", "10,000 tables".
QString counted(qint64 n, const QString& singular, const QString& plural);

} // namespace lockstep::ui
