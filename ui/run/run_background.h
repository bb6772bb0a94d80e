// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// One piece of work off the GUI thread (a query that may wait on the network), its result delivered back
// queued to `context`'s thread: dropped if `context` is gone by then.
#include <QCoreApplication>
#include <QObject>
#include <QPointer>
#include <QThread>
#include <functional>
#include <utility>

namespace lockstep::ui {

template <typename Result>
void runInBackground(QObject* context, std::function<Result()> work, std::function<void(const Result&)> done)
{
    QPointer<QObject> guard(context);
    QThread* thread = QThread::create([guard, work = std::move(work), done = std::move(done)]() mutable {
        Result result = work();
        // qApp lives as long as the event loop that will run this; `guard` tells whether `context` does.
        QMetaObject::invokeMethod(
            qApp, [guard, done = std::move(done), result = std::move(result)] {
                if (guard)
                    done(result);
            },
            Qt::QueuedConnection);
    });
    QObject::connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    thread->start();
}

} // namespace lockstep::ui
