// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/run/run_controls.h"

#include "ui/common/palette_tools.h"

#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStyle>
#include <QTimer>

namespace lockstep::ui {

namespace {
QFrame* separator(QWidget* parent)
{
    auto* line = new QFrame(parent);
    line->setFrameShape(QFrame::VLine);
    line->setFrameShadow(QFrame::Sunken);
    return line;
}
} // namespace

RunControls::RunControls(QWidget* parent)
    : QWidget(parent), m_start(new QPushButton(QStringLiteral("Start run"), this)),
      m_pause(new QPushButton(QStringLiteral("Pause"), this)), m_resume(new QPushButton(QStringLiteral("Resume"), this)),
      m_abort(new QPushButton(QStringLiteral("Abort"), this)), m_rollback(new QPushButton(QStringLiteral("Roll back…"), this)),
      m_targetMs(new QSpinBox(this)), m_rateCap(new QSpinBox(this)), m_rollbackNote(new QLabel(this)),
      m_debounce(new QTimer(this))
{
    m_start->setObjectName(QStringLiteral("startRunButton"));
    m_pause->setObjectName(QStringLiteral("pauseButton"));
    m_resume->setObjectName(QStringLiteral("resumeButton"));
    m_abort->setObjectName(QStringLiteral("abortButton"));
    m_rollback->setObjectName(QStringLiteral("rollbackButton"));
    m_targetMs->setObjectName(QStringLiteral("targetBatchMs"));
    m_rateCap->setObjectName(QStringLiteral("rateCap"));
    m_start->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    m_pause->setIcon(style()->standardIcon(QStyle::SP_MediaPause));
    m_resume->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    m_abort->setIcon(style()->standardIcon(QStyle::SP_MediaStop));
    m_rollback->setIcon(style()->standardIcon(QStyle::SP_ArrowBack));
    m_pause->setToolTip(QStringLiteral("Hold the run at the next step boundary or backfill batch."));
    m_abort->setToolTip(QStringLiteral("Stop now (the running statement is cancelled); the run stays resumable."));

    m_targetMs->setRange(10, 60000);
    m_targetMs->setSingleStep(50);
    m_targetMs->setSuffix(QStringLiteral(" ms"));
    m_targetMs->setValue(300);
    m_targetMs->setToolTip(QStringLiteral("The backfill sizes its batches toward this time: shorter batches hold row "
                                          "locks for less time, so writers wait less."));
    m_targetMs->setMaximumWidth(110);
    m_rateCap->setMaximumWidth(150);
    m_rateCap->setRange(0, 10000000);
    m_rateCap->setSingleStep(1000);
    m_rateCap->setGroupSeparatorShown(true);
    m_rateCap->setSuffix(QStringLiteral(" rows/s"));
    m_rateCap->setSpecialValueText(QStringLiteral("no cap"));
    m_rateCap->setToolTip(QStringLiteral("At most this many rows a second (0: no cap). Applied to the running backfill."));
    m_rollbackNote->setObjectName(QStringLiteral("rollbackNote"));
    setQuietText(m_rollbackNote);   // palette(mid) is near the window colour in a dark palette
    m_rollbackNote->setWordWrap(true);
    m_rollbackNote->setMaximumWidth(360);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_start);
    layout->addWidget(m_pause);
    layout->addWidget(m_resume);
    layout->addWidget(m_abort);
    layout->addWidget(separator(this));
    layout->addWidget(new QLabel(QStringLiteral("Throttle: target batch"), this));
    layout->addWidget(m_targetMs);
    m_paceNote = new QLabel(this);
    m_paceNote->setObjectName(QStringLiteral("paceNote"));
    m_paceNote->setToolTip(QStringLiteral("Other sessions are writing: the backfill shares the server with short batches "
                                          "and pauses, whatever the target"));
    m_paceNote->hide();
    layout->addWidget(m_paceNote);
    layout->addWidget(new QLabel(QStringLiteral("rate cap"), this));
    layout->addWidget(m_rateCap);
    layout->addWidget(separator(this));
    layout->addWidget(m_rollback);
    layout->addWidget(m_rollbackNote, 1);
    layout->addStretch(1);   // the buttons keep their size when the note is hidden

    // Spin boxes emit on every keystroke and arrow click: send the value once it settles.
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(300);
    connect(m_debounce, &QTimer::timeout, this, [this] {
        if (m_targetMs->value() != m_sentTargetMs) {
            m_sentTargetMs = m_targetMs->value();
            emit targetBatchMsChanged(m_sentTargetMs);
        }
        if (m_rateCap->value() != m_sentRateCap) {
            m_sentRateCap = m_rateCap->value();
            emit maxRowsPerSecondChanged(m_sentRateCap);
        }
    });
    connect(m_targetMs, qOverload<int>(&QSpinBox::valueChanged), m_debounce, qOverload<>(&QTimer::start));
    connect(m_rateCap, qOverload<int>(&QSpinBox::valueChanged), m_debounce, qOverload<>(&QTimer::start));
    m_sentTargetMs = m_targetMs->value();
    m_sentRateCap = m_rateCap->value();

    connect(m_start, &QPushButton::clicked, this, &RunControls::startRequested);
    connect(m_pause, &QPushButton::clicked, this, &RunControls::pauseRequested);
    connect(m_resume, &QPushButton::clicked, this, &RunControls::resumeRequested);
    connect(m_abort, &QPushButton::clicked, this, &RunControls::abortRequested);
    connect(m_rollback, &QPushButton::clicked, this, &RunControls::rollbackRequested);
    refresh();
}

void RunControls::setPaceNote(const QString& note)
{
    m_paceNote->setText(note.isEmpty() ? QString() : QStringLiteral("(%1)").arg(note));
    m_paceNote->setVisible(!note.isEmpty());
}

QString RunControls::paceNote() const
{
    return m_paceNote->isVisible() ? m_paceNote->text() : QString();
}

void RunControls::setMode(Mode mode)
{
    if (mode != Mode::Running)
        setPaceNote({});   // only a running backfill has a pace
    m_mode = mode;
    refresh();
}

void RunControls::setStartText(const QString& text) { m_start->setText(text); }

void RunControls::setStartEnabled(bool enabled, const QString& reason)
{
    m_startAllowed = enabled;
    m_startReason = reason;
    refresh();
}

void RunControls::setRollbackEnabled(bool enabled, const QString& reason)
{
    m_rollbackAllowed = enabled;
    m_rollbackReason = reason;
    refresh();
}

void RunControls::setThrottle(int targetBatchMs, int maxRowsPerSecond)
{
    const QSignalBlocker a(m_targetMs), b(m_rateCap);
    m_targetMs->setValue(targetBatchMs);
    m_rateCap->setValue(maxRowsPerSecond);
    m_sentTargetMs = m_targetMs->value();
    m_sentRateCap = m_rateCap->value();
}

int RunControls::targetBatchMs() const { return m_targetMs->value(); }
int RunControls::maxRowsPerSecond() const { return m_rateCap->value(); }

void RunControls::refresh()
{
    const bool active = m_mode == Mode::Running || m_mode == Mode::Paused;
    m_start->setEnabled(!active && m_startAllowed);
    m_start->setToolTip(m_startReason);
    m_pause->setEnabled(m_mode == Mode::Running);
    m_resume->setEnabled(m_mode == Mode::Paused);
    m_abort->setEnabled(active);
    const bool rollback = !active && m_rollbackAllowed;
    m_rollback->setEnabled(rollback);
    QString why = m_rollbackReason;
    if (active)
        why = QStringLiteral("Abort the run first: a rollback starts from a stopped run.");
    m_rollback->setToolTip(why);
    m_rollbackNote->setText(rollback ? QString() : why);
    // While a run goes on, "abort first" is the button's tooltip: the row keeps its room for the throttle.
    m_rollbackNote->setVisible(!rollback && !why.isEmpty() && !active);
}

} // namespace lockstep::ui
