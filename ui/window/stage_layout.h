// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QHash>
#include <QList>
#include <QObject>

class QSplitter;
class QTabWidget;
class QToolButton;
class QWidget;

namespace lockstep::ui {

class TableNavigator;

// The stage of the work the window is in, and the room each part gets in it. Browsing: the table list, map
// and details take the window, the flow (Change, Plan, SQL, Run, History) is a strip below. Composing,
// planning, reading SQL, running, history: the flow is the main area and the map folds to a one-line
// navigator (TableNavigator), back with one click or Ctrl+M. Each stage remembers its own choice (map shown
// or folded) and splitter sizes, so coming back to a stage finds it as it was left.
class StageLayout : public QObject {
    Q_OBJECT
public:
    enum class Stage { Browse, Change, Plan, Sql, Run, History };

    // `vertical` holds [top, flow]; `top` holds `browser` and `navigator` one above the other (one shows).
    StageLayout(QSplitter* vertical, QWidget* browser, TableNavigator* navigator, QTabWidget* flow, QObject* parent);

    Stage stage() const { return m_stage; }
    bool isMapShown() const;
    void enter(Stage stage);
    void enterFlowTab(int index);   // the stage of flow tab `index`
    static Stage flowStage(int tabIndex);
    void toggleMap();               // Ctrl+M, the navigator's button, the flow's corner button

    QByteArray save();   // takes the current stage's splitter sizes first
    void restore(const QByteArray& state);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;   // sizes the stage once the window is laid out

signals:
    void stageChanged(lockstep::ui::StageLayout::Stage stage);

private:
    struct Room {
        bool mapShown = false;
        QList<int> sizes;   // the splitter's, while the map is shown; empty: the stage's default
    };
    Room& room() { return m_rooms[int(m_stage)]; }
    void apply();
    void captureSizes();
    void onSplitterMoved();
    int navigatorHeight() const;

    QSplitter* m_vertical;
    QWidget* m_browser;
    TableNavigator* m_navigator;
    QTabWidget* m_flow;
    QToolButton* m_foldButton;
    Stage m_stage = Stage::Browse;
    QHash<int, Room> m_rooms;
    bool m_applying = false;
    bool m_sizePending = false;
};

} // namespace lockstep::ui
