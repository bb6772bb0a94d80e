// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/plan/ident_quoter.h"

namespace lockstep {

IdentQuoter offlineIdentQuoter()
{
    return [](const QString& name) {
        QString out;
        out.reserve(name.size() + 2);
        out += QLatin1Char('"');
        for (const QChar ch : name) {
            if (ch == QLatin1Char('"'))
                out += QLatin1Char('"');
            out += ch;
        }
        out += QLatin1Char('"');
        return out;
    };
}

} // namespace lockstep
