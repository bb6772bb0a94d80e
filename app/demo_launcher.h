// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QObject>
#include <QString>
#include <QThread>

namespace lockstep {
class DemoDatabase;

// Starts the demo database (servers, schema, traffic) on its own thread so the window stays live while it
// loads, and stops it when the launcher is destroyed (app quit or SIGTERM).
class DemoLauncher : public QObject {
    Q_OBJECT
public:
    explicit DemoLauncher(QObject* parent = nullptr);
    ~DemoLauncher() override;   // stops the traffic and removes the servers (waits for the worker)

    void start();
    bool isStarted() const { return m_started; }

signals:
    void progress(const QString& stage, double fraction);
    void ready(const QString& conninfo);
    void failed(const QString& message);

private:
    QThread m_thread;
    bool m_started = false;
};

} // namespace lockstep
