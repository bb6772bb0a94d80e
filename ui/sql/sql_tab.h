// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/lint/sql_lint.h"
#include "core/pg/catalog.h"
#include "core/pg/pg_error.h"
#include "core/pg/table_snapshot.h"
#include "core/plan/plan.h"
#include "ui/server/catalog_schema_lookup.h"

#include <QStringList>
#include <QWidget>
#include <functional>
#include <memory>
#include <optional>

class QAction;
class QLabel;
class QSplitter;
class QTimer;
template <typename T> class QFutureWatcher;
class QToolButton;

namespace lockstep::ui {

class LintPanel;
class SqlEditor;

// The "SQL" tab: the plan as a psql script in the SQL editor, which a DBA may edit or replace with SQL
// of their own, and the lint panel beside it, relinted offline 300 ms after each edit, on a worker thread
// (a pasted script of thousands of statements must not freeze typing), with libpg_query and what the GUI
// already knows about the tables; never the network. Toolbar: Show plan script, Lint, Export ▾ (the
// editor's text as one .sql file; the plan as numbered files for Flyway or sqitch, or as JSON).
class SqlTab : public QWidget {
    Q_OBJECT
public:
    enum class ExportKind { SingleFile, FlywayFiles, SqitchFiles, PlanJson };
    // Returns the file (SingleFile, PlanJson) or directory (numbered files) to write; empty: cancelled.
    using PathChooser = std::function<QString(ExportKind kind, const QString& suggestion)>;

    explicit SqlTab(QWidget* parent = nullptr);
    ~SqlTab() override;

    // Shows renderSqlScript(plan) in the editor, unless the editor holds SQL the DBA wrote or edited: then
    // that text stays and "Show plan script" loads the plan (exports of the plan use the new one at once).
    void setPlan(const Plan& plan);
    void clearPlan();                 // keeps the text; exports of the plan are disabled
    // Completion + table sizes; its server version. A big catalog is indexed on a worker thread (10,000
    // tables take tens of milliseconds): isCatalogPending() until it is installed.
    void setCatalog(const pg::CatalogSnapshot& catalog);
    bool isCatalogPending() const { return m_catalogPending; }
    void setServerVersion(int versionNum);                 // e.g. 150004: the lock rules follow it
    void addTableColumns(const TableSnapshot& table);      // completion + column types for lint

    SqlEditor* editor() const { return m_editor; }
    LintPanel* lintPanel() const { return m_lint; }
    QAction* showPlanAction() const { return m_showPlan; }
    QAction* lintAction() const { return m_lintNow; }
    QList<QAction*> exportActions() const;   // one .sql, Flyway, sqitch, JSON

    bool hasPlan() const { return m_plan.has_value(); }
    bool isEditedFromPlan() const;   // the editor's text differs from the plan's script
    int serverVersion() const { return m_serverVersion; }
    QString statusText() const;

    // Lints the editor's text now, on the GUI thread (the Lint button; tests). Edits relint in the background.
    void lintNow();
    bool isLintPending() const;   // an edit's lint is waiting for its delay or running

    // An error the server reported while running `statement` (PgError::position: 1-based, in characters,
    // within the statement): the editor's error indicator goes to that place when the statement is in the
    // editor's text, and the status line shows the message. Returns whether the position was found.
    // Cleared by the next edit.
    bool showServerError(const QString& statement, const pg::PgError& error);
    // Asks for the destination (the file dialog, or the chooser set below), writes, and reports in the
    // status line. Returns the paths written; empty when cancelled or failed (exportFailed says why).
    QStringList exportAs(ExportKind kind);
    // Tests: replace the file dialogs.
    void setPathChooser(PathChooser chooser) { m_chooser = std::move(chooser); }

signals:
    void linted(int statements, int hazards, bool parses);
    void exported(const QStringList& paths);
    void exportFailed(const QString& message);

private:
    void lintInBackground();
    void applyLint(const QString& sql, const lint::LintResult& result);
    void lookupChanged();
    lint::LintOptions lintOptions() const;
    void onTextChanged();
    void showPlanScript();
    void updateState();
    void setStatus(const QString& text, bool error = false);
    QString choosePath(ExportKind kind, const QString& suggestion);
    QString suggestedBaseName() const;

    SqlEditor* m_editor;
    LintPanel* m_lint;
    QSplitter* m_splitter;
    QLabel* m_status;
    QTimer* m_debounce;
    QAction* m_showPlan;
    QAction* m_lintNow;
    QAction* m_exportSql;
    QAction* m_exportFlyway;
    QAction* m_exportSqitch;
    QAction* m_exportJson;
    QToolButton* m_exportButton;

    std::optional<Plan> m_plan;
    QString m_planScript;
    QString m_shownScript;   // the plan script we last put in the editor (text equal to it is not the DBA's)
    int m_serverVersion = 150000;
    CatalogSchemaLookup m_lookup;
    std::shared_ptr<const CatalogSchemaLookup> m_lookupSnapshot;   // what a background lint reads
    QFutureWatcher<lint::LintResult>* m_watcher;
    QString m_lintingText;         // the text the background lint is working on
    bool m_relintWhenDone = false; // an edit came while it ran
    quint64 m_generation = 0;      // a background result older than the last lintNow is dropped
    quint64 m_runningGeneration = 0;
    quint64 m_catalogGeneration = 0;   // only the newest catalog's index is installed
    bool m_catalogPending = false;
    struct ServerError {
        int offset = -1;
        QString message;
    };
    std::optional<ServerError> m_serverError;
    PathChooser m_chooser;
    QString m_lastDir;
    bool m_statusIsExport = false;
};

} // namespace lockstep::ui
