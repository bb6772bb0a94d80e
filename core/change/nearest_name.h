// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>
#include <QStringList>

namespace lockstep {

// The candidate a mistyped name most likely meant ("numerc" -> "numeric", "totl" -> "total"), for a
// "did you mean …?" beside a refusal: the fewest edits (insert, delete, substitute, swap two neighbours;
// case ignored), at most 1 for names up to 4 characters, 2 up to 8 and 3 beyond. Empty when nothing is
// that near, when `typed` is itself a candidate, or when two candidates tie (no guess is better than a
// wrong one).
QString nearestName(const QString& typed, const QStringList& candidates);

// "; did you mean numeric(12,2)?" (the nearest name with `suffix` after it, e.g. the modifiers as typed), or
// empty when nothing is near: what a refusal appends.
QString didYouMean(const QString& typed, const QStringList& candidates, const QString& suffix = {});

// Damerau-Levenshtein distance (optimal string alignment), case-insensitive.
int editDistance(const QString& a, const QString& b);

} // namespace lockstep
