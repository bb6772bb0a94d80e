// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace lockstep {

// The window: `lockstep` opens the start page, `lockstep --demo` also starts the live demo database and
// connects to it when it is ready. SIGINT/SIGTERM quit cleanly (the demo's servers are removed).
int runGui(int argc, char** argv);

} // namespace lockstep
