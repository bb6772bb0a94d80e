// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/sql/sql_tab.h"

#include "core/lint/sql_lint.h"
#include "core/plan/plan_export.h"
#include "core/plan/plan_render.h"
#include "ui/plan/lint_panel.h"
#include "ui/common/palette_tools.h"
#include "ui/sql/sql_editor.h"
#include "ui/sql/sql_editor_completion.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QPromise>
#include <QThreadPool>
#include <QLabel>
#include <QMenu>
#include <QRegularExpression>
#include <QSplitter>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace lockstep::ui {

namespace {
constexpr int kLintDelayMs = 300;
// Indexing this many tables costs a few milliseconds; more is done on a worker thread.
constexpr int kIndexOnGuiThreadMaxTables = 2000;

QString hazardTooltip(const lint::StatementReport& r)
{
    QStringList parts;
    for (const lint::Hazard& h : r.hazards)
        parts << QStringLiteral("⚠ %1\nFix: %2").arg(h.message, h.fix);
    return parts.join(QLatin1String("\n\n"));
}
} // namespace

SqlTab::SqlTab(QWidget* parent) : QWidget(parent)
{
    m_editor = new SqlEditor(this);
    m_lint = new LintPanel(this);

    auto* toolbar = new QToolBar(this);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolbar->setIconSize(QSize(16, 16));
    m_showPlan = toolbar->addAction(tr("Show plan script"));
    m_showPlan->setToolTip(tr("Put the plan's psql script back in the editor (your edits can be undone with Ctrl+Z)"));
    connect(m_showPlan, &QAction::triggered, this, &SqlTab::showPlanScript);
    m_lintNow = toolbar->addAction(tr("Lint"));
    m_lintNow->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
    m_lintNow->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_lintNow->setToolTip(tr("Lint the editor's SQL now (it also relints as you type) — Ctrl+Shift+L"));
    connect(m_lintNow, &QAction::triggered, this, &SqlTab::lintNow);
    addAction(m_lintNow);

    auto* menu = new QMenu(this);
    m_exportSql = menu->addAction(tr("One .sql file…"));
    m_exportSql->setToolTip(tr("Save the editor's text, with your edits, as one psql script"));
    auto* numbered = menu->addMenu(tr("Numbered files, one per step"));
    m_exportFlyway = numbered->addAction(tr("Flyway (V1__step.sql)…"));
    m_exportFlyway->setToolTip(tr("One Flyway migration per plan step; steps that must run outside a transaction "
                                  "get a .sql.conf with executeInTransaction=false"));
    m_exportSqitch = numbered->addAction(tr("sqitch-style deploy/ and revert/ scripts…"));
    m_exportSqitch->setToolTip(tr("deploy/NNN-step.sql and revert/NNN-step.sql per plan step"));
    m_exportJson = menu->addAction(tr("Plan JSON…"));
    m_exportJson->setToolTip(tr("The plan as JSON, for `lockstep run` or review"));
    connect(m_exportSql, &QAction::triggered, this, [this] { exportAs(ExportKind::SingleFile); });
    connect(m_exportFlyway, &QAction::triggered, this, [this] { exportAs(ExportKind::FlywayFiles); });
    connect(m_exportSqitch, &QAction::triggered, this, [this] { exportAs(ExportKind::SqitchFiles); });
    connect(m_exportJson, &QAction::triggered, this, [this] { exportAs(ExportKind::PlanJson); });
    m_exportButton = new QToolButton(toolbar);
    m_exportButton->setText(tr("Export"));
    m_exportButton->setMenu(menu);
    m_exportButton->setPopupMode(QToolButton::InstantPopup);
    m_exportButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolbar->addWidget(m_exportButton);

    m_status = new QLabel(this);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setMinimumWidth(80);
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);

    auto* top = new QHBoxLayout;
    top->setContentsMargins(0, 0, 6, 0);
    top->addWidget(toolbar);
    top->addSpacing(12);
    top->addWidget(m_status, 1);

    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->addWidget(m_editor);
    m_splitter->addWidget(m_lint);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setSizes({600, 400});

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(top);
    layout->addWidget(m_splitter, 1);

    m_editor->setPlaceholderText(
        tr("<p><b>No SQL yet.</b></p>"
           "<p>Compose a change on the <b>Change</b> tab: its plan appears here as a psql script, one commented "
           "block per step, ready to review, edit and export.</p>"
           "<p>Or type or paste your own migration SQL: every statement is linted as you type, on the right. "
           "Ctrl+Space completes schema, table and column names.</p>"));

    m_lookupSnapshot = std::make_shared<const CatalogSchemaLookup>(m_lookup);
    m_watcher = new QFutureWatcher<lint::LintResult>(this);
    connect(m_watcher, &QFutureWatcherBase::finished, this, [this] {
        const QFuture<lint::LintResult> future = m_watcher->future();
        const QString sql = m_lintingText;
        m_lintingText.clear();
        if (m_relintWhenDone) {
            m_relintWhenDone = false;
            lintInBackground();
            return;
        }
        // Offsets are only good for the text they were computed on; a newer lintNow has already won.
        if (future.resultCount() > 0 && m_runningGeneration == m_generation && sql == m_editor->text())
            applyLint(sql, future.result());
    });

    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(kLintDelayMs);
    connect(m_debounce, &QTimer::timeout, this, &SqlTab::lintInBackground);
    connect(m_editor, &QsciScintilla::textChanged, this, &SqlTab::onTextChanged);
    connect(m_lint, &LintPanel::statementActivated, this, [this](int offset, int length) {
        m_editor->selectRange(offset, length);
        m_editor->setFocus();
    });
    connect(m_editor, &QsciScintilla::cursorPositionChanged, this, [this] {
        m_lint->highlightStatementAt(m_editor->charOffset(int(m_editor->SendScintilla(QsciScintillaBase::SCI_GETCURRENTPOS))));
    });
    updateState();
}

SqlTab::~SqlTab()
{
    // A background lint still running owns copies of everything it reads: nothing to wait for.
    m_watcher->disconnect(this);
}

QList<QAction*> SqlTab::exportActions() const
{
    return {m_exportSql, m_exportFlyway, m_exportSqitch, m_exportJson};
}

void SqlTab::setPlan(const Plan& plan)
{
    // The plan follows every keystroke in the composer: it must not wipe SQL the DBA wrote or edited here,
    // but a script we put here (this plan's or an earlier one's, kept while the form was incomplete) is ours
    // to replace: it is not "your SQL".
    const bool keepText = !m_editor->text().trimmed().isEmpty() && m_editor->text() != m_shownScript;
    m_plan = plan;
    m_planScript = renderSqlScript(plan);
    if (plan.serverVersionNum > 0)
        m_serverVersion = plan.serverVersionNum;
    if (keepText) {
        m_statusIsExport = false;
        updateState();
        return;
    }
    m_editor->setText(m_planScript);
    m_shownScript = m_planScript;
    m_editor->SendScintilla(QsciScintillaBase::SCI_EMPTYUNDOBUFFER);
    m_statusIsExport = false;
    m_serverError.reset();
    lintNow();   // at once: the plan is complete text, nothing to wait for
}

void SqlTab::clearPlan()
{
    m_plan.reset();
    m_planScript.clear();
    // The change in the composer has no plan now (incomplete, or refused): the script of the last one would
    // be a stale script, easy to export by mistake. The DBA's own SQL stays.
    if (!m_shownScript.isEmpty() && m_editor->text() == m_shownScript) {
        m_editor->clear();
        m_editor->SendScintilla(QsciScintillaBase::SCI_EMPTYUNDOBUFFER);
        m_lint->clear();
    }
    m_shownScript.clear();
    m_statusIsExport = false;
    updateState();
}

void SqlTab::setCatalog(const pg::CatalogSnapshot& catalog)
{
    if (catalog.server.versionNum > 0)
        m_serverVersion = catalog.server.versionNum;
    const quint64 generation = ++m_catalogGeneration;
    if (catalog.tables.size() <= kIndexOnGuiThreadMaxTables) {
        m_catalogPending = false;
        m_editor->setCatalog(catalog);
        m_lookup.setCatalog(catalog);
        lookupChanged();
        return;
    }
    // Too big to index between two frames: a worker builds both indexes from its own copy of the list,
    // and they are installed here (with the columns loaded meanwhile kept) unless a newer catalog came.
    struct Indexes {
        CatalogSchemaLookup::CatalogIndex lookup;
        QMap<QString, QStringList> completion;
    };
    auto indexes = std::make_shared<Indexes>();
    auto promise = std::make_shared<QPromise<void>>();
    auto* watcher = new QFutureWatcher<void>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, indexes, generation] {
        watcher->deleteLater();
        if (generation != m_catalogGeneration)
            return;
        m_catalogPending = false;
        m_editor->setCompletionTables(std::move(indexes->completion));
        m_lookup.setCatalogIndex(std::move(indexes->lookup));
        lookupChanged();
    });
    m_catalogPending = true;
    promise->start();
    watcher->setFuture(promise->future());
    QThreadPool::globalInstance()->start([promise, indexes, tables = catalog.tables] {
        indexes->lookup = CatalogSchemaLookup::indexCatalog(tables);
        indexes->completion = SqlCompletionApis::tablesBySchema(tables);
        promise->finish();
    });
}

void SqlTab::setServerVersion(int versionNum)
{
    if (versionNum > 0 && versionNum != m_serverVersion) {
        m_serverVersion = versionNum;
        lookupChanged();
    }
}

void SqlTab::addTableColumns(const TableSnapshot& table)
{
    m_editor->addTableColumns(table);
    m_lookup.addTable(table);
    lookupChanged();
}

bool SqlTab::isEditedFromPlan() const
{
    return m_plan && m_editor->text() != m_planScript;
}

void SqlTab::lookupChanged()
{
    // Copy-on-write hashes: the copy is cheap, and a running lint keeps reading its own.
    m_lookupSnapshot = std::make_shared<const CatalogSchemaLookup>(m_lookup);
    if (!m_editor->text().trimmed().isEmpty())
        m_debounce->start();
    updateState();
}

void SqlTab::onTextChanged()
{
    m_statusIsExport = false;
    m_serverError.reset();
    m_debounce->start();
    updateState();
}

void SqlTab::showPlanScript()
{
    if (!m_plan)
        return;
    // Replacing the selection keeps the DBA's edits one Ctrl+Z away.
    m_editor->selectAll();
    m_editor->replaceSelectedText(m_planScript);
    m_shownScript = m_planScript;
    m_editor->setCursorPosition(0, 0);
    lintNow();
}

lint::LintOptions SqlTab::lintOptions() const
{
    lint::LintOptions options;
    options.serverVersionNum = m_serverVersion;
    options.schema = m_lookupSnapshot.get();
    return options;
}

bool SqlTab::isLintPending() const
{
    return m_debounce->isActive() || !m_lintingText.isEmpty();
}

void SqlTab::lintNow()
{
    m_debounce->stop();
    ++m_generation;   // whatever runs in the background now is stale
    const QString sql = m_editor->text();
    applyLint(sql, sql.trimmed().isEmpty() ? lint::LintResult() : lint::lintSql(sql, lintOptions()));
}

void SqlTab::lintInBackground()
{
    if (!m_lintingText.isEmpty()) {   // one at a time: the newest text is linted when this one is done
        m_relintWhenDone = true;
        return;
    }
    const QString sql = m_editor->text();
    if (sql.trimmed().isEmpty()) {
        lintNow();
        return;
    }
    // The worker owns copies of the text, the options and the lookup: the tab may go away meanwhile.
    auto promise = std::make_shared<QPromise<lint::LintResult>>();
    const lint::LintOptions options = lintOptions();
    const std::shared_ptr<const CatalogSchemaLookup> lookup = m_lookupSnapshot;
    m_lintingText = sql;
    m_runningGeneration = m_generation;
    promise->start();   // running from now on, not once a pool thread picks it up
    m_watcher->setFuture(promise->future());
    QThreadPool::globalInstance()->start([promise, sql, options, lookup] {
        promise->addResult(lint::lintSql(sql, options));
        promise->finish();
    });
}

void SqlTab::applyLint(const QString& sql, const lint::LintResult& result)
{
    m_editor->clearErrors();
    m_editor->clearStatementMarks();
    if (sql.trimmed().isEmpty()) {
        m_lint->clear();
        emit linted(0, 0, true);
        updateState();
        return;
    }
    if (result.error) {
        m_editor->showError(qMax(0, result.error->offset), result.error->message);
    } else {
        for (const lint::StatementReport& r : result.statements)
            if (!r.hazards.isEmpty())
                m_editor->markStatement(r.offset, r.length, SqlEditor::Severity::Warning, hazardTooltip(r));
        if (m_serverError)   // the text has not changed since the server complained
            m_editor->showError(m_serverError->offset, m_serverError->message);
    }
    m_lint->setResult(result);
    emit linted(result.statements.size(), result.hazardCount(), !result.error.has_value());
    updateState();
}

bool SqlTab::showServerError(const QString& statement, const pg::PgError& error)
{
    const QString text = m_editor->text();
    const QString wanted = statement.trimmed();
    const int at = wanted.isEmpty() ? -1 : int(text.indexOf(wanted));
    const QString message = tr("The server said: %1").arg(error.message);
    m_statusIsExport = true;   // keep it in the status line until the next edit
    if (at < 0 || error.position <= 0) {
        setStatus(message, true);
        return false;
    }
    const int offset = at + qMin(int(error.position) - 1, int(wanted.size()));
    m_serverError = ServerError{offset, message};
    m_editor->showError(offset, message);
    int line = 0, index = 0;
    m_editor->lineIndexFromPosition(m_editor->bytePosition(offset), &line, &index);
    setStatus(tr("%1 (line %2)").arg(message).arg(line + 1), true);
    return true;
}

void SqlTab::setStatus(const QString& text, bool error)
{
    m_status->setText(text);
    m_status->setToolTip(text);
    setAccentText(m_status, error ? QColor(0xb7, 0x1c, 0x1c) : QColor(), error);
}

QString SqlTab::statusText() const
{
    return m_status->text();
}

void SqlTab::updateState()
{
    const bool plan = m_plan.has_value();
    m_showPlan->setEnabled(plan && isEditedFromPlan());
    const QString needPlan = tr("Compose a change first: this exports the plan");
    for (QAction* a : {m_exportFlyway, m_exportSqitch, m_exportJson}) {
        a->setEnabled(plan);
        a->setStatusTip(plan ? QString() : needPlan);
    }
    m_exportSql->setEnabled(!m_editor->text().trimmed().isEmpty());
    if (m_statusIsExport)
        return;
    const QString version = tr("lint rules for PostgreSQL %1").arg(m_serverVersion / 10000);
    if (!plan)
        setStatus(tr("Your SQL · %1").arg(version));
    else if (isEditedFromPlan())
        setStatus(tr("Your SQL differs from the plan · Show plan script loads the plan · numbered files and JSON "
                     "export the plan, not this text · %1").arg(version));
    else
        setStatus(tr("Plan script: %1 on %2 · %3").arg(describeChange(*m_plan), m_plan->table, version));
}

QString SqlTab::suggestedBaseName() const
{
    if (!m_plan)
        return QStringLiteral("script");
    QString table = m_plan->table;
    table.remove(QLatin1Char('"'));
    const QString column = m_plan->change.column;
    QString base = QStringLiteral("%1_%2").arg(table.section(QLatin1Char('.'), -1), column);
    base.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_]+")), QStringLiteral("_"));
    return base.toLower();
}

QString SqlTab::choosePath(ExportKind kind, const QString& suggestion)
{
    if (m_chooser)
        return m_chooser(kind, suggestion);
    switch (kind) {
    case ExportKind::SingleFile:
        return QFileDialog::getSaveFileName(this, tr("Save the SQL script"), suggestion, tr("SQL scripts (*.sql)"));
    case ExportKind::PlanJson:
        return QFileDialog::getSaveFileName(this, tr("Save the plan as JSON"), suggestion, tr("JSON (*.json)"));
    case ExportKind::FlywayFiles:
    case ExportKind::SqitchFiles:
        return QFileDialog::getExistingDirectory(
            this, kind == ExportKind::FlywayFiles ? tr("Folder of the Flyway migrations") : tr("Folder of the sqitch project"),
            suggestion);
    }
    return QString();
}

QStringList SqlTab::exportAs(ExportKind kind)
{
    const QString dir = m_lastDir.isEmpty() ? QDir::homePath() : m_lastDir;
    const QString base = QDir(dir).filePath(suggestedBaseName());
    QString suggestion = dir;
    if (kind == ExportKind::SingleFile)
        suggestion = base + QStringLiteral(".sql");
    else if (kind == ExportKind::PlanJson)
        suggestion = base + QStringLiteral(".plan.json");
    if (kind != ExportKind::SingleFile && !m_plan) {
        const QString message = tr("Nothing to export: compose a change first, then export its plan.");
        m_statusIsExport = true;
        setStatus(message, true);
        emit exportFailed(message);
        return {};
    }
    const QString path = choosePath(kind, suggestion);
    if (path.isEmpty())
        return {};
    QStringList written;
    try {
        switch (kind) {
        case ExportKind::SingleFile:
            writeFileAtomically(path, m_editor->text().toUtf8());
            written << path;
            break;
        case ExportKind::PlanJson:
            exportPlanJson(*m_plan, path);
            written << path;
            break;
        case ExportKind::FlywayFiles:
        case ExportKind::SqitchFiles: {
            const NumberedStyle style = kind == ExportKind::FlywayFiles ? NumberedStyle::Flyway : NumberedStyle::Sqitch;
            written = exportNumberedFiles(*m_plan, path, style, nextMigrationNumber(path, style));
            break;
        }
        }
    } catch (const std::exception& e) {
        const QString message = tr("Export failed: %1. Choose another location.").arg(QString::fromStdString(e.what()));
        m_statusIsExport = true;
        setStatus(message, true);
        emit exportFailed(message);
        return {};
    }
    const bool isDir = kind == ExportKind::FlywayFiles || kind == ExportKind::SqitchFiles;
    m_lastDir = isDir ? path : QFileInfo(path).absolutePath();
    m_statusIsExport = true;
    if (isDir)
        setStatus(tr("Exported %1 to %2 (from %3)")
                      .arg(written.size() == 1 ? tr("1 file") : tr("%1 files").arg(written.size()), path,
                           QFileInfo(written.first()).fileName()));
    else
        setStatus(tr("Saved %1").arg(path));
    emit exported(written);
    return written;
}

} // namespace lockstep::ui
