// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/run/run_types.h"

namespace lockstep::run {

void registerRunMetaTypes()
{
    qRegisterMetaType<lockstep::run::BlockingSession>("lockstep::run::BlockingSession");
    qRegisterMetaType<lockstep::run::Progress>("lockstep::run::Progress");
    qRegisterMetaType<QVector<lockstep::run::BlockingSession>>("QVector<lockstep::run::BlockingSession>");
}

} // namespace lockstep::run
