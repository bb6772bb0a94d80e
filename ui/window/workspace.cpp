// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/window/workspace.h"

#include "core/plan/lock_risk.h"
#include "ui/change/change_composer.h"
#include "ui/history/history_view.h"
#include "ui/plan/plan_view.h"
#include "ui/run/run_controller.h"
#include "ui/run/run_view.h"
#include "ui/map/schema_map.h"
#include "ui/sql/sql_tab.h"
#include "ui/map/table_detail.h"
#include "ui/map/table_list.h"
#include "ui/window/stage_layout.h"
#include "ui/window/table_navigator.h"

#include <QDataStream>
#include <QDateTime>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QScrollArea>
#include <QTabWidget>
#include <QVBoxLayout>

namespace lockstep::ui {


Workspace::Workspace(QWidget* parent) : QWidget(parent)
{
    m_list = new TableList(this);
    m_map = new SchemaMap(this);
    m_detail = new TableDetail(this);

    auto* top = new QSplitter(Qt::Horizontal, this);
    m_horizontal = top;
    top->addWidget(m_list);
    top->addWidget(m_map);
    top->addWidget(m_detail);
    // The details keep room for their four tabs (Columns, Indexes, Constraints, Triggers) at 1280 px.
    top->setStretchFactor(0, 3);
    top->setStretchFactor(1, 5);
    top->setStretchFactor(2, 4);
    top->setChildrenCollapsible(false);
    m_list->setMinimumWidth(330);

    m_flow = new QTabWidget(this);
    m_flow->setDocumentMode(true);
    m_composer = new ChangeComposer(m_flow);
    m_planView = new PlanView(m_flow);
    m_flow->addTab(m_composer, tr("Change"));
    m_flow->addTab(m_planView, tr("Plan"));
    m_flow->setTabToolTip(0, tr("Compose a new-column change on the selected table"));
    m_flow->setTabToolTip(1, tr("The change's phased plan: every step with its lock, duration and SQL"));
    m_sqlTab = new SqlTab(m_flow);
    m_flow->addTab(m_sqlTab, tr("SQL"));
    m_flow->setTabToolTip(2, tr("The plan as a SQL script, or your own SQL, linted statement by statement"));
    m_runView = new RunView(m_flow);
    m_historyView = new HistoryView(m_flow);
    // Both are taller than a 720-pixel screen leaves them at their smallest: they scroll rather than push
    // the window's minimum height past the screen.
    for (auto [page, title] : {std::pair<QWidget*, QString>{m_runView, tr("Run")}, {m_historyView, tr("History")}}) {
        auto* scroll = new QScrollArea(m_flow);
        scroll->setWidgetResizable(true);
        scroll->setFrameShape(QFrame::NoFrame);
        scroll->setWidget(page);
        m_flow->addTab(scroll, title);
    }
    m_flow->setTabToolTip(3, tr("The running change: steps, progress, live graphs, pause, throttle and rollback"));
    m_flow->setTabToolTip(4, tr("Past runs from the journal; a run cut off by a crash can be resumed or rolled back"));
    connect(m_flow, &QTabWidget::currentChanged, this, [this](int index) {
        if (m_flow->widget(index) == m_historyView->parentWidget()->parentWidget())   // its scroll area
            m_historyView->reload();
    });

    // Above the flow: the list, map and details while browsing, or the one-line navigator (StageLayout).
    m_navigator = new TableNavigator(this);
    auto* above = new QWidget(this);
    auto* aboveLayout = new QVBoxLayout(above);
    aboveLayout->setContentsMargins(0, 0, 0, 0);
    aboveLayout->addWidget(m_navigator);
    aboveLayout->addWidget(top, 1);
    m_vertical = new QSplitter(Qt::Vertical, this);
    m_vertical->addWidget(above);
    m_vertical->addWidget(m_flow);
    m_stages = new StageLayout(m_vertical, top, m_navigator, m_flow, this);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_vertical);

    connect(m_map, &SchemaMap::tableClicked, this, &Workspace::selectTable);
    connect(m_list, &TableList::tableSelected, this, &Workspace::selectTable);
    connect(m_detail, &TableDetail::addColumnRequested, this, &Workspace::addColumnRequested);
    connect(m_composer, &ChangeComposer::planReady, m_planView, &PlanView::setPlan);
    connect(m_composer, &ChangeComposer::planCleared, m_planView, [this](const QString& why) {
        // Once its run has added the column, the composer finds the change invalid ("already has a column"):
        // the plan of the run the Run tab holds stays in the Plan and SQL tabs rather than vanish mid-run.
        const Plan* shown = m_planView->currentPlan();
        const Plan& running = m_runView->controller()->plan();
        if (shown && m_runView->runId() > 0 && running.table == shown->table && running.change.column == shown->change.column)
            return;
        m_planView->clearPlan(why);
    });
    connect(m_composer, &ChangeComposer::showPlanRequested, this, &Workspace::showPlan);
    // The run's backfill writes to its table: the rates say those rows apart from the application's.
    connect(m_runView->controller(), &RunController::progress, this, [this](const run::Progress& p) {
        setOwnWrites(m_runView->controller()->plan().tableOid, p.stepIndex, p.rowsDone);
    });
    connect(m_runView, &RunView::runFinished, this, [this] { setOwnWrites(0, -1, 0); });
    connect(m_planView, &PlanView::planChanged, m_sqlTab, &SqlTab::setPlan);
    connect(m_planView, &PlanView::planCleared, m_sqlTab, &SqlTab::clearPlan);
}

void Workspace::setSnapshot(const pg::CatalogSnapshot& snapshot)
{
    m_map->setEmptyText(tr("This database has no tables yet."));
    m_map->setTables(snapshot.tables);
    m_list->setTables(snapshot.tables);
    m_composer->setCatalog(snapshot);
    m_sqlTab->setCatalog(snapshot);      // not on rate refreshes: it would relint every time
    m_planView->setCatalog(snapshot);
    if (m_selected && !m_list->table(m_selected)) {
        m_selected = 0;
        m_detail->clear();
        m_navigator->clear();
    } else if (m_selected) {
        m_detail->updateStats(*m_list->table(m_selected));
        m_navigator->setTable(*m_list->table(m_selected));
    }
}

void Workspace::setOwnWrites(quint32 oid, int step, qint64 rowsDone)
{
    if (oid != m_ownWritesOid) {   // another run, or none: start again
        m_ownWritesOid = oid;
        m_ownRows = m_ownRowsBefore = 0;
        m_ownSamples.clear();
    } else if (step != m_ownStep) {   // the next partition's walk counts from 0 again
        m_ownRowsBefore += m_ownRows;
    }
    m_ownStep = step;
    m_ownRows = rowsDone;
}

void Workspace::updateRates(const pg::CatalogSnapshot& sampled)
{
    // The table our run backfills counts the backfill's rows as writes: say them apart, and score the
    // lock risk on the application's writes alone (the migration must not make its own table look hot).
    // The server publishes its counters about once a second, so over one short sample its rate jumps
    // between 0 and a second's worth: both rates are taken over the same last 3 s or more instead.
    pg::CatalogSnapshot snapshot = sampled;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (pg::TableStats& t : snapshot.tables) {
        if (m_ownWritesOid == 0 || t.oid != m_ownWritesOid)
            continue;
        m_ownSamples.append({now, t.writeCounter, m_ownRowsBefore + m_ownRows});
        while (m_ownSamples.size() > 2 && now - m_ownSamples[1].atMs >= 3000)
            m_ownSamples.removeFirst();
        const OwnSample& first = m_ownSamples.first();
        const double seconds = (now - first.atMs) / 1000.0;
        if (seconds < 2.0)
            break;
        const double total = double(qMax<qint64>(0, t.writeCounter - first.serverWrites)) / seconds;
        const double own = double(qMax<qint64>(0, m_ownSamples.last().ownRows - first.ownRows)) / seconds;
        t.writesPerSecond = total;
        t.ownWritesPerSecond = qMin(own, total);
        pg::TableStats application = t;
        application.writesPerSecond -= t.ownWritesPerSecond;
        const LockRisk risk = scoreLockRisk(application, snapshot.server);
        t.risk = risk.score;
        t.riskReasons = risk.reasons;
    }
    m_map->updateTables(snapshot.tables);
    m_list->setTables(snapshot.tables);
    if (const pg::TableStats* t = m_list->table(m_selected)) {
        m_detail->updateStats(*t);
        m_navigator->setTable(*t);
        m_composer->updateStats(*t);
    }
    m_planView->setCatalog(snapshot);
}

void Workspace::selectTable(quint32 oid)
{
    const pg::TableStats* t = m_list->table(oid);
    if (!t || oid == m_selected)
        return;
    m_selected = oid;
    m_map->selectTable(oid);
    m_list->selectTable(oid);
    m_detail->showTable(*t);
    m_navigator->setTable(*t);
    if (!keepChangeOnItsTable(*t))   // else: browsing another table, the change stays on its own
        m_composer->setTable(*t);
    emit tableSelected(oid);
}

bool Workspace::keepChangeOnItsTable(const pg::TableStats& picked)
{
    const pg::TableStats* own = m_list->table(m_composer->tableOid());
    if (!own || own->oid == picked.oid || !m_composer->hasDraft())
        return false;
    // A change belongs to its table: a click elsewhere (to look at another table) must not move it silently.
    QMessageBox box(QMessageBox::Question, tr("Move the change?"),
                    tr("The change you are composing is on %1.%2. Move it to %3.%4?")
                        .arg(own->schema, own->name, picked.schema, picked.name),
                    QMessageBox::NoButton, this);
    QPushButton* move = box.addButton(tr("Move it to %1").arg(picked.name), QMessageBox::AcceptRole);
    QPushButton* keep = box.addButton(tr("Keep it on %1").arg(own->name), QMessageBox::RejectRole);
    box.setDefaultButton(keep);
    box.setEscapeButton(keep);
    box.exec();
    return box.clickedButton() != move;
}

void Workspace::startChange(quint32 oid)
{
    selectTable(oid);
    if (!m_selected)
        return;
    m_flow->setCurrentWidget(m_composer);
    m_stages->enter(StageLayout::Stage::Change);
    m_composer->focusName();
}

void Workspace::showPlan()
{
    m_flow->setCurrentWidget(m_planView);
    m_stages->enter(StageLayout::Stage::Plan);
}

void Workspace::showRun()
{
    m_flow->setCurrentIndex(3);
    m_stages->enter(StageLayout::Stage::Run);
}

void Workspace::toggleMap()
{
    m_stages->toggleMap();
}

void Workspace::setTableStructure(const TableSnapshot& table)
{
    m_detail->setStructure(table);
    m_composer->setTableStructure(table);
    m_sqlTab->addTableColumns(table);
}

void Workspace::setTableStructureError(quint32 oid, const QString& message)
{
    if (oid == m_detail->currentOid())
        m_detail->setStructureError(message);
}

void Workspace::clear()
{
    m_selected = 0;
    m_map->setEmptyText(tr("Not connected"));
    m_map->setTables({});
    m_list->setTables({});
    m_detail->clear();
    m_navigator->clear();
    m_composer->clear();
    m_planView->clearPlan();
    m_stages->enter(StageLayout::Stage::Browse);
}

QByteArray Workspace::saveLayout()
{
    QByteArray out;
    QDataStream stream(&out, QIODevice::WriteOnly);
    stream << QByteArray("workspace/2") << m_horizontal->saveState() << m_stages->save();
    return out;
}

void Workspace::restoreLayout(const QByteArray& layout)
{
    if (layout.isEmpty())
        return;
    QDataStream stream(layout);
    QByteArray tag, horizontal, stages;
    stream >> tag >> horizontal >> stages;
    if (stream.status() != QDataStream::Ok || tag != "workspace/2")
        return;   // written by another version: keep the defaults
    m_horizontal->restoreState(horizontal);
    m_stages->restore(stages);
}

} // namespace lockstep::ui
