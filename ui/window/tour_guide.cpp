// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/window/tour_guide.h"

#include "ui/change/backfill_editor.h"
#include "ui/change/change_composer.h"
#include "ui/window/main_window.h"
#include "ui/common/palette_tools.h"
#include "ui/plan/plan_view.h"
#include "ui/run/run_flow.h"
#include "ui/run/run_view.h"
#include "ui/window/workspace.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTimer>
#include <QToolBar>

namespace lockstep::ui {

namespace {
// The example change: what a DBA might add to an orders table.
const char* const kColumn = "total_cents";
const char* const kType = "bigint";
const char* const kBackfill = "(total * 100)::bigint";
} // namespace

TourGuide::TourGuide(MainWindow* window, QString table, double pace)
    : QObject(window), m_window(window), m_table(std::move(table)), m_pace(pace)
{
    // A strip of its own under the toolbar: it pushes the window down a little and covers nothing the
    // captions talk about.
    m_bar = new QToolBar(tr("Tour"), window);
    m_bar->setObjectName(QStringLiteral("tourBar"));
    m_bar->setMovable(false);
    m_bar->setFloatable(false);
    window->addToolBarBreak(Qt::TopToolBarArea);
    window->addToolBar(Qt::TopToolBarArea, m_bar);
    m_box = new QFrame(m_bar);
    m_box->setObjectName(QStringLiteral("tourCaption"));
    m_box->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_box->setFrameShape(QFrame::StyledPanel);
    m_box->setAutoFillBackground(true);
    // The tooltip colours of the palette in use (they stand out from the window, light or dark), taken again
    // when the palette changes.
    followPalette(m_box, [this] {
        const QPalette around = m_bar->palette();
        QPalette palette = m_box->palette();
        palette.setColor(QPalette::Window, around.color(QPalette::ToolTipBase));
        palette.setColor(QPalette::WindowText, legibleOn(around.color(QPalette::ToolTipText), around.color(QPalette::ToolTipBase)));
        m_box->setPalette(palette);
    });
    m_text = new QLabel(m_box);
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::RichText);
    auto* skipButton = new QPushButton(tr("Skip the tour"), m_box);
    connect(skipButton, &QPushButton::clicked, this, &TourGuide::skip);
    auto* layout = new QHBoxLayout(m_box);
    layout->setContentsMargins(12, 8, 12, 8);
    layout->addWidget(m_text, 1);
    layout->addWidget(skipButton, 0, Qt::AlignVCenter);
    // Three lines of text: the longest caption at 1280 px. (A toolbar does not ask a word-wrapped label for
    // its height at the final width, so it is fixed here.)
    m_box->setFixedHeight(3 * m_text->fontMetrics().lineSpacing() + 20);
    m_bar->addWidget(m_box);

    setStage(Stage::WaitingForCatalog,
             tr("<b>Welcome to Lockstep.</b> The tour starts once the demo database is up: a private PostgreSQL "
                "with a replica and live traffic, all on this machine."));
    connect(window, &MainWindow::catalogLoaded, this, [this] {
        if (m_stage == Stage::WaitingForCatalog)
            onCatalog();
    });
    // The plan arrives from the server a moment after the last field is filled.
    connect(window->workspace()->planView(), &PlanView::planChanged, this, [this] {
        if (m_stage == Stage::Composing && m_field >= 5 && !m_planSeen) {
            m_planSeen = true;
            after(1500, &TourGuide::showPlan);
        }
    });
    connect(window->workspace()->runView(), &RunView::runStateChanged, this, [this](const QString& state) {
        if (m_stage != Stage::Running)
            return;
        if (state == QLatin1String("at-switch-gate"))
            setStage(Stage::AtGate,
                     tr("<b>Stopped at the switch gate.</b> Expand, backfill and constrain are done while the traffic "
                        "went on; the count below says how many rows still differ (it must be 0). Nothing "
                        "irreversible has happened: <b>Roll back</b> undoes every step. In real life you would now "
                        "deploy the code that reads <code>%1</code>, then continue. The tour ends here.")
                         .arg(QString::fromLatin1(kColumn)));
        else if (state == QLatin1String("failed"))
            setStage(Stage::Failed, tr("<b>The run stopped with an error</b>; the banner in the Run tab says why, and "
                                       "Roll back undoes what was done."));
    });
}

QString TourGuide::caption() const { return m_text->text(); }

void TourGuide::setStage(Stage stage, const QString& caption)
{
    m_stage = stage;
    m_text->setText(caption);
    m_box->setVisible(stage != Stage::Skipped);
    m_bar->setVisible(stage != Stage::Skipped);
    emit stageChanged(stage);
}

void TourGuide::after(int ms, void (TourGuide::*next)())
{
    QTimer::singleShot(qMax(1, int(ms * m_pace)), this, [this, next] {
        if (m_stage != Stage::Skipped && m_window)
            (this->*next)();
    });
}

void TourGuide::onCatalog()
{
    setStage(Stage::ShowingMap,
             tr("<b>The schema map:</b> every table drawn by its size and coloured by <b>lock risk</b> — size, "
                "writes per second, long transactions, replica lag. The big green-to-red block is <code>%1</code>, "
                "with about two million rows and writes going on right now.")
                 .arg(m_table.toHtmlEscaped()));
    after(6000, &TourGuide::compose);
}

void TourGuide::compose()
{
    Workspace* work = m_window->workspace();
    quint32 oid = 0;
    for (const pg::TableStats& t : m_window->snapshot().tables)
        if (t.name == m_table && (t.schema == QLatin1String("public") || !oid))
            oid = t.oid;
    if (!oid) {
        setStage(Stage::Failed, tr("The tour's table <code>%1</code> is not in this database.").arg(m_table.toHtmlEscaped()));
        return;
    }
    work->startChange(oid);
    setStage(Stage::Composing,
             tr("<b>Composing a change:</b> a new column <code>%1 %2 NOT NULL</code>, filled for the existing rows "
                "from <code>%3</code>, with an index. Each field is checked as it is typed.")
                 .arg(QString::fromLatin1(kColumn), QString::fromLatin1(kType), QString::fromLatin1(kBackfill)));
    m_field = 0;
    after(1500, &TourGuide::fillNextField);
}

void TourGuide::fillNextField()
{
    ChangeComposer* composer = m_window->workspace()->composer();
    switch (m_field++) {
    case 0: composer->nameEdit()->setText(QString::fromLatin1(kColumn)); break;
    case 1: composer->typeBox()->setCurrentText(QString::fromLatin1(kType)); break;
    case 2: composer->notNullBox()->setChecked(true); break;
    case 3: composer->backfillEdit()->setText(QString::fromLatin1(kBackfill)); break;
    case 4: composer->indexBox()->setChecked(true); break;
    default: return;
    }
    after(900, &TourGuide::fillNextField);
}

void TourGuide::showPlan()
{
    m_window->workspace()->showPlan();
    setStage(Stage::ShowingPlan,
             tr("<b>The plan:</b> the change expanded into phases. Each step shows the lock it takes (red blocks reads "
                "and writes, amber blocks writes, green lets reads and writes go on and blocks only other schema changes and VACUUM), whether it rewrites or scans the table, "
                "its estimated time and its rollback SQL. No step holds a blocking lock for long."));
    after(9000, &TourGuide::run);
}

void TourGuide::run()
{
    if (!m_window->runFlow()->startRun()) {
        setStage(Stage::Failed, tr("The plan could not be started; the Plan tab says why."));
        return;
    }
    setStage(Stage::Running,
             tr("<b>Running</b> under the demo's live traffic. The backfill fills the rows in small batches, each its "
                "own short transaction, and slows down by itself when the replica lags or sessions wait on its locks. "
                "The graphs beside the steps show lag, lock waits, rows per second and the server's throughput."));
}

void TourGuide::skip()
{
    setStage(Stage::Skipped, {});
}

} // namespace lockstep::ui
