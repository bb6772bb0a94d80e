// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QStringList>

namespace lockstep::cli {

// Exit codes: a contract with scripts (never change a meaning, only add).
enum ExitCode {
    ExitOk = 0,
    ExitFailure = 1,        // unexpected internal error
    ExitInvalidInput = 2,   // bad flags or a change that fails validation; message names the field
    ExitCannotConnect = 3,
    ExitStepFailed = 4,     // run: a step failed, the run is left resumable
    ExitHazards = 5,        // lint: the SQL has hazards (the report says which)
    ExitOwned = 6,          // run: another run still owns the column (unfinished, parked at the gate) or works on the table
    ExitInterrupted = 130,  // run: stopped by SIGINT/SIGTERM, the run is left resumable (128 + SIGINT)
};

// Dispatches `lockstep SUBCOMMAND ...`; `args` includes the program name.
int run(const QStringList& args);

} // namespace lockstep::cli
