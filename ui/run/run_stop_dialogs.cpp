// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/run/run_stop_dialogs.h"

#include <QMessageBox>
#include <QPushButton>
#include <pwd.h>
#include <unistd.h>

namespace lockstep::ui {

namespace {
QPushButton* addButton(QMessageBox& box, const QString& text, QMessageBox::ButtonRole role, const char* name)
{
    QPushButton* b = box.addButton(text, role);
    b->setObjectName(QString::fromLatin1(name));
    return b;
}
} // namespace

CloseChoice askCloseDuringRun(QWidget* parent, const QString& run)
{
    QMessageBox box(QMessageBox::Warning, QObject::tr("A run is in progress"),
                    QObject::tr("%1 is in progress. Closing the window stops it; it stays resumable from the journal "
                                "(History, or lockstep resume), and what it installed stays on the server until it "
                                "is resumed or rolled back.").arg(run),
                    QMessageBox::NoButton, parent);
    box.setObjectName(QStringLiteral("closeDuringRunDialog"));
    box.setInformativeText(QObject::tr("Stop at a safe point lets the running statement finish (a backfill batch, "
                                       "a validation) and stops before the next one. Stop now cancels it: the server "
                                       "rolls that statement back."));
    QPushButton* safe = addButton(box, QObject::tr("Stop at a safe point, then close"), QMessageBox::AcceptRole, "closeSafePoint");
    QPushButton* now = addButton(box, QObject::tr("Stop now, then close"), QMessageBox::DestructiveRole, "closeNow");
    QPushButton* keep = addButton(box, QObject::tr("Keep the window open"), QMessageBox::RejectRole, "closeKeep");
    box.setDefaultButton(safe);
    box.setEscapeButton(keep);
    box.exec();
    if (box.clickedButton() == safe)
        return CloseChoice::StopAtSafePoint;
    if (box.clickedButton() == now)
        return CloseChoice::StopNow;
    return CloseChoice::KeepOpen;
}

bool confirmAbort(QWidget* parent, const QString& run)
{
    QMessageBox box(QMessageBox::Warning, QObject::tr("Abort the run"),
                    QObject::tr("Abort %1 now? The running statement is cancelled and the server rolls it back; the "
                                "run stops, resumable, and its completed steps stay installed until it is resumed "
                                "or rolled back.").arg(run),
                    QMessageBox::NoButton, parent);
    box.setObjectName(QStringLiteral("abortDialog"));
    QPushButton* abort = addButton(box, QObject::tr("Abort now"), QMessageBox::DestructiveRole, "abortConfirm");
    QPushButton* keep = addButton(box, QObject::tr("Keep running"), QMessageBox::RejectRole, "abortKeep");
    box.setDefaultButton(keep);   // a stray Enter does not abort
    box.setEscapeButton(keep);
    box.exec();
    return box.clickedButton() == abort;
}

QString operatorName()
{
    if (const passwd* pw = ::getpwuid(::geteuid()); pw && pw->pw_name)
        return QString::fromLocal8Bit(pw->pw_name);
    return QStringLiteral("uid %1").arg(::geteuid());
}

} // namespace lockstep::ui
