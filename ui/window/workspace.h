// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "ui/server/catalog_types.h"

#include <QWidget>

class QSplitter;
class QTabWidget;

namespace lockstep::ui {

class ChangeComposer;
class HistoryView;
class RunView;
class PlanView;
class SchemaMap;
class SqlTab;
class StageLayout;
class TableNavigator;
class TableDetail;
class TableList;

// The connected window's body, laid out in the order of the work: the table list and schema map to pick a
// table, its details beside them, and below the flow of a change (Change, Plan, SQL, Run, History). The
// stage the user is in gets the room (StageLayout): in the flow the map folds to a one-line navigator.
// Keeps the views on one selection.
class Workspace : public QWidget {
    Q_OBJECT
public:
    explicit Workspace(QWidget* parent = nullptr);

    void setSnapshot(const pg::CatalogSnapshot& snapshot);   // a new catalog read
    void updateRates(const pg::CatalogSnapshot& snapshot);   // the same tables with fresh rates
    void setTableStructure(const TableSnapshot& table);
    void setTableStructureError(quint32 oid, const QString& message);
    void clear();

    quint32 selectedOid() const { return m_selected; }
    SchemaMap* map() const { return m_map; }
    TableList* list() const { return m_list; }
    TableDetail* detail() const { return m_detail; }
    QTabWidget* flowTabs() const { return m_flow; }
    ChangeComposer* composer() const { return m_composer; }
    PlanView* planView() const { return m_planView; }
    SqlTab* sqlTab() const { return m_sqlTab; }
    RunView* runView() const { return m_runView; }
    HistoryView* historyView() const { return m_historyView; }
    StageLayout* stages() const { return m_stages; }
    TableNavigator* navigator() const { return m_navigator; }
    QByteArray saveLayout();                 // the splitters and each stage's room
    void restoreLayout(const QByteArray& layout);

public slots:
    void selectTable(quint32 oid);
    // "Add a column…" / New change: selects the table, opens the Change tab with room to work, and puts
    // the cursor in the name field.
    void startChange(quint32 oid);
    void showPlan();
    void showRun();
    void toggleMap();   // the map shown or folded to the navigator in this stage (Ctrl+M)

    // The backfill of this window's run (step `step`) has written `rowsDone` rows to table `oid` so far
    // (oid 0: it stopped): the next rates say the rows it wrote since the last ones apart from the
    // application's writes and leave them out of the lock risk.
    void setOwnWrites(quint32 oid, int step, qint64 rowsDone);

signals:
    void tableSelected(quint32 oid);          // the selection changed (map, list or selectTable)
    void addColumnRequested(quint32 oid);

private:
    // Asks when `picked` is not the table of the change being composed; true: keep the change where it is.
    bool keepChangeOnItsTable(const pg::TableStats& picked);

    SchemaMap* m_map;
    TableList* m_list;
    TableDetail* m_detail;
    QTabWidget* m_flow;
    ChangeComposer* m_composer;
    PlanView* m_planView;
    SqlTab* m_sqlTab;
    RunView* m_runView;
    HistoryView* m_historyView;
    TableNavigator* m_navigator;
    StageLayout* m_stages;
    QSplitter* m_vertical;
    QSplitter* m_horizontal;
    quint32 m_selected = 0;
    // This window's backfill: its table, step and rows written; and for that table, the last few seconds of
    // rates samples (time, the server's write counter, our rows), so both rates cover the same window.
    struct OwnSample {
        qint64 atMs;
        qint64 serverWrites;
        qint64 ownRows;
    };
    quint32 m_ownWritesOid = 0;
    int m_ownStep = -1;
    qint64 m_ownRows = 0, m_ownRowsBefore = 0;   // rows of the current walk; of the walks before it
    QVector<OwnSample> m_ownSamples;
};

} // namespace lockstep::ui
