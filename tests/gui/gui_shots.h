// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// When LOCKSTEP_GUI_SHOTS names a directory, GUI tests save what the window looks like at the two sizes
// we design for (1600x1000 and 1280x720), so a person can look at every screen the tests reach. With
// LOCKSTEP_GUI_SHOTS_DARK=1 each is saved again under a dark system palette (name_dark_WxH.png).
#include "tests/gui/dark_palette.h"

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
    const QPalette light = QApplication::palette();
    const bool dark = qEnvironmentVariableIntValue("LOCKSTEP_GUI_SHOTS_DARK") == 1;
    for (const QString& theme : dark ? QStringList{QString(), QStringLiteral("_dark")} : QStringList{QString()}) {
        if (!theme.isEmpty())
            QApplication::setPalette(darkPalette());
        for (const QSize size : {QSize(1600, 1000), QSize(1280, 720)}) {
            window->resize(size);
            QApplication::processEvents();
            QTest::qWait(50);
            window->grab().save(QStringLiteral("%1/%2%3_%4x%5.png").arg(dir, name, theme).arg(size.width()).arg(size.height()));
        }
    }
    if (dark)
        QApplication::setPalette(light);
    window->resize(original);
    QApplication::processEvents();
}

} // namespace lockstep::test
