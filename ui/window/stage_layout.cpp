// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/window/stage_layout.h"

#include "ui/window/table_navigator.h"

#include <QDataStream>
#include <QEvent>
#include <QIODevice>
#include <QSplitter>
#include <QTabBar>
#include <QTabWidget>
#include <QToolButton>

namespace lockstep::ui {

namespace {
constexpr int kBrowseTopPercent = 72;   // browsing: the map and list take most of the window
constexpr int kFlowTopPercent = 40;     // a flow stage with the map shown: the flow keeps the larger part
constexpr int kOpenDrag = 80;           // dragging the folded navigator down this far shows the map again
const QByteArray kStateTag("stages/1");
} // namespace

StageLayout::StageLayout(QSplitter* vertical, QWidget* browser, TableNavigator* navigator, QTabWidget* flow, QObject* parent)
    : QObject(parent), m_vertical(vertical), m_browser(browser), m_navigator(navigator), m_flow(flow),
      m_foldButton(new QToolButton(flow))
{
    m_rooms[int(Stage::Browse)].mapShown = true;
    m_foldButton->setObjectName(QStringLiteral("foldMapButton"));
    m_foldButton->setText(tr("▴ Fold the map"));
    m_foldButton->setToolTip(tr("Give the flow the window; the map folds to one line (Ctrl+M)"));
    m_foldButton->setAutoRaise(true);
    m_flow->setCornerWidget(m_foldButton, Qt::TopRightCorner);
    // Folded, the top pane may go down to the navigator's line; shown, it collapses to fold the map.
    m_vertical->setCollapsible(0, true);
    m_vertical->setCollapsible(1, false);

    connect(m_foldButton, &QToolButton::clicked, this, &StageLayout::toggleMap);
    connect(m_navigator, &TableNavigator::showMapRequested, this, &StageLayout::toggleMap);
    // A click on a tab (even the current one, while browsing) is the user going to that stage; a tab changed
    // by the program (a run started, a plan shown) moves the stage along only when the flow is already the
    // main area.
    connect(m_flow->tabBar(), &QTabBar::tabBarClicked, this, [this](int index) {
        if (index >= 0)
            enterFlowTab(index);
    });
    connect(m_flow, &QTabWidget::currentChanged, this, [this](int index) {
        if (m_stage != Stage::Browse && index >= 0)
            enterFlowTab(index);
    });
    connect(m_vertical, &QSplitter::splitterMoved, this, &StageLayout::onSplitterMoved);
    m_vertical->installEventFilter(this);
    apply();
}

bool StageLayout::isMapShown() const
{
    return m_rooms.value(int(m_stage)).mapShown;
}

void StageLayout::captureSizes()
{
    // The splitter as the user (or the program) left it is this stage's choice while its map shows.
    const QList<int> sizes = m_vertical->sizes();
    if (room().mapShown && !m_sizePending && sizes.value(0) > 0 && sizes.value(1) > 0)
        room().sizes = sizes;
}

void StageLayout::enter(Stage stage)
{
    if (stage == m_stage)
        return;
    captureSizes();
    m_stage = stage;
    apply();
    emit stageChanged(stage);
}

void StageLayout::enterFlowTab(int index)
{
    enter(flowStage(index));
}

StageLayout::Stage StageLayout::flowStage(int tabIndex)
{
    return Stage(qBound(int(Stage::Change), tabIndex + 1, int(Stage::History)));   // tabs in the order of the stages
}

void StageLayout::toggleMap()
{
    if (m_stage == Stage::Browse) {   // folding the map while browsing: the flow's current tab takes the window
        const Stage next = flowStage(m_flow->currentIndex());
        m_rooms[int(next)].mapShown = false;
        enter(next);
        return;
    }
    captureSizes();
    room().mapShown = !room().mapShown;
    apply();
    emit stageChanged(m_stage);
}

bool StageLayout::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_vertical && event->type() == QEvent::Resize && m_sizePending)
        QMetaObject::invokeMethod(this, [this] { if (m_sizePending) apply(); }, Qt::QueuedConnection);
    return QObject::eventFilter(watched, event);
}

int StageLayout::navigatorHeight() const
{
    return m_navigator->sizeHint().height();
}

void StageLayout::apply()
{
    m_applying = true;
    const Room& r = room();
    const int topPercent = m_stage == Stage::Browse ? kBrowseTopPercent : kFlowTopPercent;
    m_browser->setVisible(r.mapShown);
    m_navigator->setVisible(!r.mapShown);
    m_foldButton->setVisible(r.mapShown);
    // A bigger window gives its height to the flow while the map is folded, to both while it shows.
    m_vertical->setStretchFactor(0, r.mapShown ? 3 : 0);
    m_vertical->setStretchFactor(1, 1);
    const int total = m_vertical->sizes().value(0) + m_vertical->sizes().value(1);
    m_sizePending = total <= 0;   // not laid out yet: sized at the first resize (eventFilter)
    if (m_sizePending) {
        m_applying = false;
        return;
    }
    if (!r.mapShown)
        m_vertical->setSizes({navigatorHeight(), qMax(1, total - navigatorHeight())});
    else if (!r.sizes.isEmpty())
        m_vertical->setSizes(r.sizes);
    else
        m_vertical->setSizes({total * topPercent / 100, total - total * topPercent / 100});
    m_applying = false;
}

void StageLayout::onSplitterMoved()
{
    if (m_applying)
        return;
    Room& r = room();
    const QList<int> sizes = m_vertical->sizes();
    if (r.mapShown && sizes.value(0) == 0 && m_stage == Stage::Browse) {   // dragged shut while browsing
        toggleMap();
    } else if (r.mapShown && sizes.value(0) == 0) {   // dragged shut: folded
        r.mapShown = false;
        apply();
        emit stageChanged(m_stage);
    } else if (!r.mapShown && sizes.value(0) > navigatorHeight() + kOpenDrag) {   // dragged open
        r.mapShown = true;
        r.sizes = sizes;
        apply();
        emit stageChanged(m_stage);
    } else if (r.mapShown) {
        r.sizes = sizes;
    }
}

QByteArray StageLayout::save()
{
    captureSizes();
    QByteArray out;
    QDataStream stream(&out, QIODevice::WriteOnly);
    stream << kStateTag << int(m_rooms.size());
    for (auto it = m_rooms.begin(); it != m_rooms.end(); ++it)
        stream << it.key() << it.value().mapShown << it.value().sizes;
    return out;
}

void StageLayout::restore(const QByteArray& state)
{
    QDataStream stream(state);
    QByteArray tag;
    int count = 0;
    stream >> tag >> count;
    if (tag != kStateTag || stream.status() != QDataStream::Ok || count < 0 || count > 16)
        return;   // written by another version: keep the defaults
    QHash<int, Room> rooms;
    for (int i = 0; i < count; ++i) {
        int key = 0;
        Room r;
        stream >> key >> r.mapShown >> r.sizes;
        if (stream.status() != QDataStream::Ok || key < int(Stage::Browse) || key > int(Stage::History))
            return;
        rooms.insert(key, r);
    }
    rooms[int(Stage::Browse)].mapShown = true;   // browsing is the map
    m_rooms = rooms;
    apply();   // the stage itself is not restored: a window opens browsing
    emit stageChanged(m_stage);
}

} // namespace lockstep::ui
