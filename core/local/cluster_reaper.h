// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>
#include <QStringList>

// Makes sure a private cluster's servers stop and its directory goes away however its owner ends:
// normally (the LocalCluster destructor), through exit() or SIGINT/SIGTERM/SIGHUP (the registry below), or
// by SIGKILL or a crash (a detached watchdog process, since a killed process runs no code of its own).
namespace lockstep::local {

// Registers `rootDir` and the data directories inside it (at most two). From now on exit() and
// SIGINT/SIGTERM/SIGHUP stop those servers (immediate shutdown) and remove rootDir, then let the signal do
// what it did before (a previously installed handler is chained). Returns a handle for untrackCluster.
int trackCluster(const QString& rootDir, const QStringList& dataDirs);
// Forgets a cluster that its owner has cleaned up itself.
void untrackCluster(int handle);

// Starts a watchdog in its own session: once this process has gone (killed, crashed or exited) while
// rootDir still exists, it stops the servers of `dataDirs` and removes rootDir. It exits by itself as soon
// as rootDir has been removed, so a normal cleanup leaves nothing running.
void startWatchdog(const QString& rootDir, const QStringList& dataDirs);

} // namespace lockstep::local
