// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/run/run_progress.h"

#include "ui/common/display_format.h"
#include "ui/common/lock_badge.h"
#include "ui/common/palette_tools.h"
#include "ui/run/run_format.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QTimer>
#include <QVBoxLayout>

namespace lockstep::ui {

namespace {
QLabel* figure(const QString& name, QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setObjectName(name);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}
} // namespace

RunProgress::RunProgress(QWidget* parent)
    : QWidget(parent), m_bar(new QProgressBar(this)), m_rows(figure(QStringLiteral("progressRows"), this)),
      m_rate(figure(QStringLiteral("progressRate"), this)), m_eta(figure(QStringLiteral("progressEta"), this)),
      m_throttle(figure(QStringLiteral("progressThrottle"), this)), m_failed(figure(QStringLiteral("progressFailed"), this)),
      m_throttleHold(new QTimer(this))
{
    m_failed->setTextFormat(Qt::PlainText);
    m_failed->setWordWrap(true);
    m_failed->hide();
    followPalette(m_failed, [this] {
        m_failed->setStyleSheet(QStringLiteral("QLabel { color: %1; font-weight: 600; }")
                                    .arg(legibleOn(dangerColor(), palette().color(QPalette::Window), 4.5).name()));
    });
    m_bar->setObjectName(QStringLiteral("progressBar"));
    m_bar->setRange(0, 1000);
    m_bar->setTextVisible(true);
    m_bar->setMinimumHeight(22);
    // The throttle line keeps its place whether or not the backfill is held, so the view below never moves
    // (a relayout would resize and redraw the charts).
    m_throttle->setTextFormat(Qt::PlainText);
    followPalette(this, [this] { setHeldStyle(m_heldStyle); });
    for (QLabel* l : {m_rows, m_rate, m_eta})
        l->setTextFormat(Qt::PlainText);

    auto* figures = new QHBoxLayout;
    figures->addWidget(m_rows);
    figures->addSpacing(18);
    figures->addWidget(m_rate);
    figures->addSpacing(18);
    figures->addWidget(m_eta);
    figures->addStretch(1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    auto* title = new QLabel(QStringLiteral("<b>Backfill</b>"), this);
    layout->addWidget(title);
    layout->addWidget(m_bar);
    layout->addLayout(figures);
    layout->addWidget(m_throttle);
    layout->addWidget(m_failed);

    m_throttleHold->setSingleShot(true);
    m_throttleHold->setInterval(1500);
    connect(m_throttleHold, &QTimer::timeout, this, [this] {
        if (m_last.throttleReason.isEmpty()) {
            m_reason.clear();
            refresh();
        }
    });
    setIdle(QStringLiteral("The backfill has not started yet."));
}

void RunProgress::setHeldStyle(bool held)
{
    m_throttle->setStyleSheet(held ? QStringLiteral("QLabel { color: #7a4d00; background: #fff4d6; border: 1px solid #e8c46a;"
                                                    " border-radius: 3px; padding: 2px 6px; }")
                                   : QStringLiteral("QLabel { color: %1; background: transparent; border: 1px solid "
                                                    "transparent; padding: 2px 6px; }")
                                         .arg(quietText(palette()).name()));   // palette(mid) vanishes on a dark window
    m_heldStyle = held;
}

void RunProgress::setProgress(const run::Progress& progress)
{
    m_last = progress;
    m_have = true;
    m_finished = false;
    m_halted.clear();
    if (!progress.throttleReason.isEmpty()) {
        m_reason = progress.throttleReason;
        m_throttleHold->start();
    }
    // The rate over the last 10 s falls to 0 during a long hold: remember the rate the work went at.
    if (progress.throttleReason.isEmpty() && progress.rowsPerSecond > 0)
        m_lastGoodRate = progress.rowsPerSecond;
    else if (m_lastGoodRate <= 0 && progress.rowsPerSecond > 0)
        m_lastGoodRate = progress.rowsPerSecond;
    refresh();
}

void RunProgress::setFinished()
{
    if (!m_have)
        return;
    m_finished = true;
    m_last.rowsTotal = m_last.rowsDone;
    m_last.etaSeconds = 0;
    m_last.throttleReason.clear();
    m_reason.clear();
    refresh();
}

void RunProgress::setHalted(const QString& why)
{
    if (!m_have || m_finished)
        return;
    m_halted = why;
    m_reason.clear();
    refresh();
}

void RunProgress::setIdle(const QString& text)
{
    m_have = false;
    m_finished = false;
    m_halted.clear();
    m_last = {};
    m_reason.clear();
    m_lastGoodRate = 0;
    m_bar->setValue(0);
    m_bar->setFormat(QStringLiteral("—"));
    m_rows->setText(text);
    m_rate->clear();
    m_eta->clear();
    m_throttle->clear();
    m_failed->clear();
    m_failed->hide();
    if (m_heldStyle)
        setHeldStyle(false);
}

void RunProgress::refresh()
{
    const run::Progress& p = m_last;
    const double percent = p.percent();   // capped at 100
    m_bar->setValue(qBound(0, int(percent * 10.0 + 0.5), 1000));
    m_bar->setFormat(QStringLiteral("%1 %").arg(percent, 0, 'f', 1));
    m_rows->setText(QStringLiteral("%1 / %2 rows%3")
                        .arg(groupedNumber(p.rowsDone), groupedNumber(qMax(p.rowsTotal, p.rowsDone)),
                             p.rowsTotal > 0 && !m_finished ? QStringLiteral(" (estimated)") : QString()));
    m_rate->setText(m_finished ? QStringLiteral("done in %1").arg(counted(p.batches, QStringLiteral("batch"), QStringLiteral("batches")))
                               : QStringLiteral("%1 · batch %2 rows, last %3 ms")
                                     .arg(lockstep::ui::rateText(p.rowsPerSecond), groupedNumber(p.batchRows))
                                     .arg(p.lastBatchMs));

    const qint64 left = qMax<qint64>(0, p.rowsTotal - p.rowsDone);
    const bool held = !m_reason.isEmpty();
    if (m_finished || left == 0) {
        m_eta->setText(m_finished ? QStringLiteral("ETA: finished") : QStringLiteral("ETA: finishing"));
    } else if (p.etaSeconds >= 0 && p.rowsPerSecond > 0 && !(held && p.rowsPerSecond < m_lastGoodRate / 4)) {
        m_eta->setText(QStringLiteral("ETA %1").arg(durationText(p.etaSeconds)));
    } else if (m_lastGoodRate > 0) {
        m_eta->setText(QStringLiteral("ETA %1 once it goes on (at %2)")
                           .arg(durationText(double(left) / m_lastGoodRate), lockstep::ui::rateText(m_lastGoodRate)));
    } else {
        m_eta->setText(QStringLiteral("ETA: measuring the rate…"));
    }

    if (!m_halted.isEmpty()) {   // nothing runs: the last speed and its ETA would be a frozen lie
        m_rate->setText(QStringLiteral("%1: no rows are being written").arg(m_halted));
        m_eta->setText(m_lastGoodRate > 0 ? QStringLiteral("ETA: none while stopped (%1 left at %2 once resumed)")
                                                .arg(durationText(double(left) / m_lastGoodRate), lockstep::ui::rateText(m_lastGoodRate))
                                          : QStringLiteral("ETA: none while stopped"));
    }

    m_failed->setVisible(p.rowsFailed > 0);
    if (p.rowsFailed > 0)
        m_failed->setText(QStringLiteral("⚠ %1 could not compute the new column (left NULL, recorded; the application's "
                                         "writes went through): %2. The switch waits until %3 fixed.")
                              .arg(counted(p.rowsFailed, QStringLiteral("row"), QStringLiteral("rows")), p.failedSample,
                                   p.rowsFailed == 1 ? QStringLiteral("it is") : QStringLiteral("they are")));

    const bool showHeld = held && !m_finished && m_halted.isEmpty();
    if (showHeld != m_heldStyle)
        setHeldStyle(showHeld);
    m_throttle->setText(showHeld         ? QStringLiteral("Throttled: %1").arg(m_reason)
                        : m_finished || !m_halted.isEmpty() ? QString()
                        : p.pace.isEmpty() ? QStringLiteral("Not throttled: running at full speed")
                                           : QStringLiteral("Gentle: %1").arg(p.pace));
}

int RunProgress::barValue() const { return m_bar->value(); }
QString RunProgress::rowsText() const { return m_rows->text(); }
QString RunProgress::rateText() const { return m_rate->text(); }
QString RunProgress::etaText() const { return m_eta->text(); }
QString RunProgress::paceText() const { return m_throttle->text(); }
QString RunProgress::failedText() const { return m_failed->isVisibleTo(this) ? m_failed->text() : QString(); }
QString RunProgress::throttleText() const { return m_heldStyle ? m_throttle->text() : QString(); }

} // namespace lockstep::ui
