// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/journal_types.h"

namespace lockstep::store {
namespace {

struct RunStateName {
    RunState state;
    const char* name;
};
constexpr RunStateName kRunStates[] = {
    {RunState::Running, "running"},         {RunState::Paused, "paused"},
    {RunState::Failed, "failed"},           {RunState::Done, "done"},
    {RunState::RollingBack, "rolling-back"}, {RunState::RolledBack, "rolled-back"},
    {RunState::Interrupted, "interrupted"},
};

struct StepStateName {
    StepState state;
    const char* name;
};
constexpr StepStateName kStepStates[] = {
    {StepState::Pending, "pending"},   {StepState::Running, "running"},
    {StepState::WaitingForLock, "waiting-for-lock"}, {StepState::Throttled, "throttled"},
    {StepState::Done, "done"},         {StepState::Failed, "failed"},
    {StepState::RolledBack, "rolled-back"}, {StepState::Skipped, "skipped"},
};

} // namespace

QString runStateName(RunState state)
{
    for (const auto& entry : kRunStates) {
        if (entry.state == state)
            return QString::fromLatin1(entry.name);
    }
    return QString();
}

std::optional<RunState> runStateFromName(const QString& name)
{
    for (const auto& entry : kRunStates) {
        if (name == QLatin1String(entry.name))
            return entry.state;
    }
    return std::nullopt;
}

QString stepStateName(StepState state)
{
    for (const auto& entry : kStepStates) {
        if (entry.state == state)
            return QString::fromLatin1(entry.name);
    }
    return QString();
}

std::optional<StepState> stepStateFromName(const QString& name)
{
    for (const auto& entry : kStepStates) {
        if (name == QLatin1String(entry.name))
            return entry.state;
    }
    return std::nullopt;
}

bool isFinalRunState(RunState state)
{
    return state == RunState::Done || state == RunState::Failed || state == RunState::RolledBack;
}

bool isFinalStepState(StepState state)
{
    return state == StepState::Done || state == StepState::Failed || state == StepState::RolledBack
        || state == StepState::Skipped;
}

} // namespace lockstep::store
