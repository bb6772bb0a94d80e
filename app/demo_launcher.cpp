// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/demo_launcher.h"

#include "core/local/demo_database.h"

#include <memory>

namespace lockstep {

namespace {
// Lives on the launcher's thread: owns the demo so that it is built and torn down off the GUI thread.
class DemoWorker : public QObject {
    Q_OBJECT
public:
    ~DemoWorker() override = default;   // DemoDatabase's destructor stops traffic and servers

public slots:
    void run()
    {
        try {
            m_demo = std::make_unique<DemoDatabase>();
            m_demo->start([this](const QString& stage, double fraction) { emit progress(stage, fraction); });
            m_demo->startTraffic();
            emit ready(m_demo->conninfo());
        } catch (const std::exception& e) {
            m_demo.reset();
            emit failed(QString::fromUtf8(e.what()));
        }
    }

signals:
    void progress(const QString& stage, double fraction);
    void ready(const QString& conninfo);
    void failed(const QString& message);

private:
    std::unique_ptr<DemoDatabase> m_demo;
};
} // namespace

DemoLauncher::DemoLauncher(QObject* parent) : QObject(parent) {}

DemoLauncher::~DemoLauncher()
{
    // The worker is deleted on its own thread as it finishes (see start()): teardown happens there.
    m_thread.quit();
    m_thread.wait();
}

void DemoLauncher::start()
{
    if (m_started)
        return;
    m_started = true;
    auto* worker = new DemoWorker;
    worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, worker, &QObject::deleteLater);
    connect(worker, &DemoWorker::progress, this, &DemoLauncher::progress, Qt::QueuedConnection);
    connect(worker, &DemoWorker::ready, this, &DemoLauncher::ready, Qt::QueuedConnection);
    connect(worker, &DemoWorker::failed, this, &DemoLauncher::failed, Qt::QueuedConnection);
    m_thread.start();
    QMetaObject::invokeMethod(worker, "run", Qt::QueuedConnection);
}

} // namespace lockstep

#include "demo_launcher.moc"
