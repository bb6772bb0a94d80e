// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QObject>
#include <QPointer>
#include <QString>

class QFrame;
class QLabel;
class QTimer;
class QToolBar;

namespace lockstep::ui {

class MainWindow;

// `lockstep --demo --tour`: plays a guided example in the window, on the demo's big table: composes a
// change (a NOT NULL column filled by a backfill expression, with an index), shows its plan, runs it under
// the demo's live traffic and stops at the switch gate — nothing irreversible — with a caption at each
// stage. It drives the same widgets a person would; "Skip the tour" hands the window back at any point.
class TourGuide : public QObject {
    Q_OBJECT
public:
    enum class Stage { WaitingForCatalog, ShowingMap, Composing, ShowingPlan, Running, AtGate, Skipped, Failed };
    Q_ENUM(Stage)

    // `table` is the table the tour changes ("orders" of the demo); `pace` scales the pauses (tests: small).
    TourGuide(MainWindow* window, QString table = QStringLiteral("orders"), double pace = 1.0);

    Stage stage() const { return m_stage; }
    QString caption() const;

signals:
    void stageChanged(lockstep::ui::TourGuide::Stage stage);

private:
    void setStage(Stage stage, const QString& caption);
    void after(int ms, void (TourGuide::*next)());

    void onCatalog();
    void compose();
    void fillNextField();
    void showPlan();
    void run();
    void skip();

    QPointer<MainWindow> m_window;
    QString m_table;
    double m_pace;
    Stage m_stage = Stage::WaitingForCatalog;
    int m_field = 0;
    bool m_planSeen = false;
    QToolBar* m_bar;
    QFrame* m_box;
    QLabel* m_text;
};

} // namespace lockstep::ui
