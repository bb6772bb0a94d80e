// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// When LOCKSTEP_GUI_SHOTS names a directory, GUI tests save what the window looks like at the two sizes
// we design for (1600x1000 and 1280x720), so a person can look at every screen the tests reach.
#include <QApplication>
#include <QDir>
#include <QMainWindow>
#include <QTest>
#include <QWidget>

namespace lockstep::test {

inline void saveShots(QWidget* window, const QString& name)
{
    const QString dir = qEnvironmentVariable("LOCKSTEP_GUI_SHOTS");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    if (!qobject_cast<QMainWindow*>(window)) {     // a dialog: as big as it chooses to be
        window->grab().save(QStringLiteral("%1/%2.png").arg(dir, name));
        return;
    }
    const QSize original = window->size();
    for (const QSize size : {QSize(1600, 1000), QSize(1280, 720)}) {
        window->resize(size);
        QApplication::processEvents();
        QTest::qWait(50);
        window->grab().save(QStringLiteral("%1/%2_%3x%4.png").arg(dir, name).arg(size.width()).arg(size.height()));
    }
    window->resize(original);
    QApplication::processEvents();
}

} // namespace lockstep::test
