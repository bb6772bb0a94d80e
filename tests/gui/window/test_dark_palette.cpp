// SPDX-License-Identifier: GPL-3.0-or-later
// The window under a dark system palette (Fusion, Breeze Dark's colours): every colour of our own stays
// readable, measured as WCAG contrast (4.5:1 for text, 3:1 for lines and marks) on what is really painted
// or set, and follows a palette switch while running. Last, the whole window on a private server: the tour
// up to the switch gate, then History, every visible label measured on each screen.
#include "core/store/journal.h"
#include "tests/gui/dark_palette.h"
#include "tests/gui/gui_shots.h"
#include "tests/support/pg_fixture.h"
#include "ui/charts/chart_panel.h"
#include "ui/connect/connection_dialog.h"
#include "ui/history/history_view.h"
#include "ui/common/legible_item_delegate.h"
#include "ui/plan/lint_panel.h"
#include "ui/plan/lint_panel_looks.h"
#include "ui/common/lock_badge.h"
#include "ui/window/main_window.h"
#include "ui/plan/plan_view.h"
#include "ui/common/palette_tools.h"
#include "ui/common/risk_palette.h"
#include "ui/charts/run_charts.h"
#include "ui/run/run_view.h"
#include "ui/map/schema_map.h"
#include "ui/sql/sql_editor.h"
#include "ui/sql/sql_tab.h"
#include "ui/window/start_page.h"
#include "ui/plan/step_card.h"
#include "ui/window/tour_guide.h"
#include "ui/window/workspace.h"

#include <Qsci/qscilexersql.h>

#include <QAbstractAxis>
#include <QFile>
#include <QLegend>
#include <QLineSeries>
#include <QStandardPaths>
#include <QStyleFactory>
#include <QTabWidget>
#include <QTest>
#include <QTreeWidget>

using namespace lockstep;
using ui::contrastRatio;
using test::fillAndInk;
using test::pixelAt;

namespace {
QColor fromBgr(long v) { return QColor(int(v & 0xff), int((v >> 8) & 0xff), int((v >> 16) & 0xff)); }

// What Scintilla itself holds for a style (not what we asked the lexer for).
QColor styleBack(ui::SqlEditor& e, int style) { return fromBgr(e.SendScintilla(QsciScintillaBase::SCI_STYLEGETBACK, style)); }
QColor styleFore(ui::SqlEditor& e, int style) { return fromBgr(e.SendScintilla(QsciScintillaBase::SCI_STYLEGETFORE, style)); }

// As a desktop switches its theme: the new palette, then the event loop delivers the news.
void setAppPalette(const QPalette& palette)
{
    QApplication::setPalette(palette);
    QTest::qWait(30);
}

class Probe : public ui::LegibleItemDelegate {
public:
    using LegibleItemDelegate::LegibleItemDelegate;
    QColor textOf(const QModelIndex& index, const QWidget* view) const
    {
        QStyleOptionViewItem option;
        option.initFrom(view);
        option.widget = view;
        initStyleOption(&option, index);
        return option.palette.color(QPalette::Text);
    }
};
} // namespace

class TestDarkPalette : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init() { setAppPalette(test::darkPalette()); }
    void contrastHelpers();
    void sqlEditorHasDarkPaper();
    void sqlEditorFollowsAPaletteSwitch();
    void schemaMapLabelsReadOnTheirTiles();
    void chartsAreDarkAndFollowASwitch();
    void stepCardsAndBadgesRead();
    void lintPanelReads();
    void itemColoursAndLabelsFollowTheBackground();
    void startPageAndConnectionDialogRead();
    void wholeWindowUnderADarkPalette();

private:
    QPalette m_light;
};

void TestDarkPalette::initTestCase()
{
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    m_light = QApplication::style()->standardPalette();
    QVERIFY(!ui::isDark(m_light));
    QVERIFY(ui::isDark(test::darkPalette()));
}

void TestDarkPalette::contrastHelpers()
{
    QCOMPARE(qRound(contrastRatio(Qt::white, Qt::black)), 21);
    QCOMPARE(contrastRatio(QColor(0x77, 0x77, 0x77), QColor(0x77, 0x77, 0x77)), 1.0);
    QVERIFY(qAbs(contrastRatio(QColor(0x76, 0x76, 0x76), Qt::white) - 4.54) < 0.01);   // WCAG's own example
    const QColor darkBase = test::darkPalette().color(QPalette::Base);
    for (const QColor c : {ui::dangerColor(), ui::okColor(), QColor(0x1a, 0x3f, 0xa0), QColor(Qt::black)}) {
        const QColor lifted = ui::legibleOn(c, darkBase);
        QVERIFY2(contrastRatio(lifted, darkBase) >= 4.5, qPrintable(lifted.name()));
        QVERIFY(lifted.lightness() > c.lightness());
    }
    QCOMPARE(ui::legibleOn(ui::dangerColor(), Qt::white), ui::dangerColor());   // already reads: untouched
    for (int risk = 0; risk <= 100; ++risk)
        QVERIFY2(contrastRatio(ui::textColorOn(ui::riskColor(risk)), ui::riskColor(risk)) >= 4.5, qPrintable(QString::number(risk)));
    for (auto s : {ui::LockSeverity::None, ui::LockSeverity::Writes, ui::LockSeverity::ReadsAndWrites})
        QVERIFY(contrastRatio(ui::textColorOn(ui::lockColor(s)), ui::lockColor(s)) >= 4.5);
}

void TestDarkPalette::sqlEditorHasDarkPaper()
{
    ui::SqlEditor editor;
    editor.resize(700, 300);
    editor.setText(QStringLiteral("-- add the column\nALTER TABLE \"orders\" ADD COLUMN total_cents bigint;\n"
                                  "SET lock_timeout = '1s';\nSELECT 42, 'text' FROM orders;\n"));
    editor.showError(8, QStringLiteral("a test error"));
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    const QColor paper = styleBack(editor, QsciScintillaBase::STYLE_DEFAULT);
    QVERIFY2(paper.lightness() < 128, qPrintable(paper.name()));
    QCOMPARE(styleBack(editor, QsciLexerSQL::Keyword), paper);
    QVERIFY(contrastRatio(styleFore(editor, QsciScintillaBase::STYLE_DEFAULT), paper) >= 4.5);
    for (int style : {int(QsciLexerSQL::Default), int(QsciLexerSQL::Keyword), int(QsciLexerSQL::CommentLine),
                      int(QsciLexerSQL::SingleQuotedString), int(QsciLexerSQL::Number), int(QsciLexerSQL::Identifier),
                      int(QsciLexerSQL::DoubleQuotedString), int(QsciLexerSQL::Operator), int(QsciLexerSQL::KeywordSet5)})
        QVERIFY2(contrastRatio(styleFore(editor, style), paper) >= 4.5, qPrintable(QString::number(style)));
    const QColor margin = styleBack(editor, QsciScintillaBase::STYLE_LINENUMBER);
    QVERIFY(margin.lightness() < 128);
    QVERIFY(contrastRatio(styleFore(editor, QsciScintillaBase::STYLE_LINENUMBER), margin) >= 4.5);
    QVERIFY(contrastRatio(fromBgr(editor.SendScintilla(QsciScintillaBase::SCI_GETCARETFORE)), paper) >= 4.5);
    QVERIFY(contrastRatio(editor.colors().error, paper) >= 3);
    // And on screen: the empty right half of the text area is the paper.
    const QImage shot = editor.grab().toImage();
    QCOMPARE(pixelAt(shot, QPointF(editor.width() - 40, editor.height() / 2)).name(), paper.name());
    test::saveShots(&editor, QStringLiteral("dark_sql_editor"));
}

void TestDarkPalette::sqlEditorFollowsAPaletteSwitch()
{
    setAppPalette(m_light);
    ui::SqlEditor editor;
    editor.setText(QStringLiteral("SELECT 1;"));
    editor.show();
    QVERIFY(styleBack(editor, QsciScintillaBase::STYLE_DEFAULT).lightness() > 200);
    setAppPalette(test::darkPalette());
    const QColor paper = styleBack(editor, QsciScintillaBase::STYLE_DEFAULT);
    QVERIFY2(paper.lightness() < 128, qPrintable(paper.name()));
    QVERIFY(contrastRatio(styleFore(editor, QsciLexerSQL::Keyword), paper) >= 4.5);
    setAppPalette(m_light);
    QVERIFY(styleBack(editor, QsciScintillaBase::STYLE_DEFAULT).lightness() > 200);
    QVERIFY(contrastRatio(styleFore(editor, QsciLexerSQL::Keyword), styleBack(editor, QsciLexerSQL::Keyword)) >= 4.5);
}

void TestDarkPalette::schemaMapLabelsReadOnTheirTiles()
{
    QVector<pg::TableStats> tables;
    for (int i = 0; i <= 10; ++i) {
        pg::TableStats t;
        t.oid = quint32(1000 + i);
        t.schema = i < 6 ? QStringLiteral("public") : QStringLiteral("audit");
        t.name = QStringLiteral("table_%1").arg(i);
        t.totalBytes = qint64(200 + 40 * i) * 1024 * 1024;
        t.risk = i * 10;
        tables << t;
    }
    ui::SchemaMap map;
    map.resize(1100, 700);
    map.setTables(tables);
    map.selectTable(1005);
    map.show();
    QVERIFY(QTest::qWaitForWindowExposed(&map));
    const QImage shot = map.grab().toImage();
    const QColor base = map.palette().color(QPalette::Base);
    QCOMPARE(pixelAt(shot, QPointF(map.width() - 2, map.height() / 2)).name(), base.name());   // the margin
    QVERIFY(base.lightness() < 128);
    int checked = 0;
    for (const pg::TableStats& t : tables) {
        const QRect r = map.tableRect(t.oid);
        QVERIFY(!r.isEmpty());
        const QRect label = QRect(r.topLeft() + QPoint(4, 3), QSize(std::min(r.width() - 8, 90), map.fontMetrics().height() - 2));
        const auto [fill, ink] = fillAndInk(shot, label);
        QCOMPARE(fill.name(), ui::riskColor(t.risk).name());
        QVERIFY2(contrastRatio(ink, fill) >= 4.5, qPrintable(QStringLiteral("%1: %2 on %3").arg(t.name, ink.name(), fill.name())));
        ++checked;
    }
    QCOMPARE(checked, tables.size());
    // The schema headers are written on the palette's Mid.
    const QColor mid = map.palette().color(QPalette::Mid);
    QVERIFY(contrastRatio(ui::readableTextOn(mid), mid) >= 4.5);
    test::saveShots(&map, QStringLiteral("dark_schema_map"));
}

void TestDarkPalette::chartsAreDarkAndFollowASwitch()
{
    ui::RunCharts charts;
    charts.resize(1200, 600);
    const QDateTime start = QDateTime::currentDateTimeUtc().addSecs(-60);
    for (int i = 0; i < 60; ++i) {
        pg::MonitorSample s;
        s.at = start.addSecs(i);
        s.intervalSeconds = 1;
        for (int r = 0; r < 7; ++r)   // seven replicas: the Okabe-Ito set wraps to its black
            s.replicas.append({QStringLiteral("replica%1").arg(r), 0, 0, 1000 * i * (r + 1), 0, 0, 0.1 * i * (r + 1) / 7, {}});
        s.waitingLocks = i % 5;
        s.longestLockWaitSeconds = 0.05 * (i % 7);
        s.transactionsPerSecond = 400 + 5 * i;
        charts.addSample(s);
        run::Progress p;
        p.rowsPerSecond = 90000 + 100 * i;
        p.lastBatchMs = 120 + i;
        charts.addProgress(s.at, p);
    }
    charts.markStep(start.addSecs(10), QStringLiteral("3 backfill"));
    charts.show();
    QVERIFY(QTest::qWaitForWindowExposed(&charts));
    const QList<ui::ChartPanel*> panels = charts.findChildren<ui::ChartPanel*>();
    QCOMPARE(panels.size(), 4);
    auto check = [&](bool dark) {
        for (ui::ChartPanel* panel : panels) {
            const QColor bg = panel->backgroundColor();
            QCOMPARE(bg.lightness() < 128, dark);
            QVERIFY(contrastRatio(panel->chart()->titleBrush().color(), bg) >= 4.5);
            QVERIFY(contrastRatio(panel->chart()->legend()->labelColor(), bg) >= 4.5);
            for (QAbstractAxis* axis : panel->chart()->axes())
                QVERIFY2(contrastRatio(axis->labelsBrush().color(), bg) >= 4.5, qPrintable(axis->titleText()));
            for (QLineSeries* s : panel->allSeries())
                if (!s->name().contains(QLatin1String("bytes")))   // the faint companions are faint by design
                    QVERIFY2(!dark || contrastRatio(panel->seriesPen(s).color(), bg) >= 3, qPrintable(s->name()));
            // Painted, not only set: the middle of the plot is the background.
            const QImage shot = panel->grab().toImage();
            const QPointF c = panel->chart()->plotArea().center();
            const auto [fill, ink] = fillAndInk(shot, QRect(int(c.x()) - 30, int(c.y()) - 20, 60, 40));
            QCOMPARE(fill.lightness() < 128, dark);
        }
    };
    check(true);
    test::saveShots(&charts, QStringLiteral("dark_run_charts"));
    setAppPalette(m_light);
    check(false);
    setAppPalette(test::darkPalette());
    check(true);
}

void TestDarkPalette::stepCardsAndBadgesRead()
{
    Step step;
    step.id = QStringLiteral("add_column");
    step.title = QStringLiteral("Add column total_cents");
    step.why = QStringLiteral("Adds the column, nullable, so no row is rewritten.");
    step.sql = QStringLiteral("ALTER TABLE orders ADD COLUMN total_cents bigint;");
    step.statements = {step.sql};
    step.lock = LockMode::AccessExclusive;
    step.rewrites = step.scans = true;
    step.reversible = false;
    QWidget holder;
    auto* card = new ui::StepCard(step, 1, 1 << 30, QStringLiteral("public.orders"), &holder);
    holder.resize(900, 300);
    card->resize(900, 190);
    card->setSqlExpanded(true);
    holder.show();
    QVERIFY(QTest::qWaitForWindowExposed(&holder));
    const QColor base = holder.palette().color(QPalette::Base);
    for (auto ink : {ui::StepCard::Ink::Danger, ui::StepCard::Ink::Warning, ui::StepCard::Ink::Ok, ui::StepCard::Ink::Quiet})
        QVERIFY2(contrastRatio(card->inkColor(ink), base) >= 4.5, qPrintable(card->inkColor(ink).name()));
    QStringList problems = test::unreadableLabels(&holder);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    // The badge: its text on its fill, as the style sheet says.
    QVERIFY(card->badge()->styleSheet().contains(ui::dangerColor().name()));
    QVERIFY(contrastRatio(card->badge()->palette().color(QPalette::WindowText), ui::dangerColor()) >= 4.5);

    // A mismatch: a deep red card (not the light palette's pale one), its words still readable on it.
    preview::StepObservation o;
    o.stepId = step.id;
    o.observed = true;
    o.predictedLock = LockMode::AccessExclusive;
    o.observedLock = LockMode::ShareRowExclusive;
    o.matches = false;
    card->setObservation(o);
    QVERIFY(card->isMismatch());
    const QRegularExpression background(QStringLiteral("background: (#[0-9a-f]{6})"));
    const QColor fill(background.match(card->styleSheet()).captured(1));
    QVERIFY2(fill.isValid() && fill.lightness() < 128, qPrintable(card->styleSheet()));
    QVERIFY(contrastRatio(card->inkColor(ui::StepCard::Ink::Danger), fill) >= 4.5);
    QVERIFY(contrastRatio(card->palette().color(QPalette::WindowText), fill) >= 4.5);
    QTest::qWait(50);   // the card's layout after the observation
    test::saveShots(&holder, QStringLiteral("dark_step_card"));
    // Switched to light: the pale red card and inks for white paper.
    setAppPalette(m_light);
    QVERIFY2(QColor(background.match(card->styleSheet()).captured(1)).lightness() > 200, qPrintable(card->styleSheet()));
    QVERIFY(contrastRatio(card->inkColor(ui::StepCard::Ink::Danger), Qt::white) >= 4.5);
    problems = test::unreadableLabels(&holder);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

void TestDarkPalette::lintPanelReads()
{
    const QPalette dark = test::darkPalette();
    const auto looks = ui::lint_widgets::lintLooksFor(dark);
    const QColor window = dark.color(QPalette::Window);
    for (const auto& box : {looks.card, looks.hazardCard, looks.quietCard, looks.error, looks.hazardBox, looks.index})
        QVERIFY2(box.fill.lightness() < 128 && contrastRatio(dark.color(QPalette::Text), box.fill) >= 7, qPrintable(box.fill.name()));
    QVERIFY(contrastRatio(looks.indexText, looks.index.fill) >= 4.5 && contrastRatio(looks.moreText, looks.index.fill) >= 4.5);
    QVERIFY(contrastRatio(looks.indexLink, looks.index.fill) >= 4.5);
    QVERIFY(contrastRatio(looks.hazardText, looks.hazardBox.fill) >= 4.5);
    QVERIFY(contrastRatio(looks.errorHint, looks.error.fill) >= 4.5);
    QVERIFY(contrastRatio(looks.quietSql, looks.quietCard.fill) >= 4.5);
    QVERIFY(contrastRatio(looks.lineNumber, looks.card.fill) >= 4.5 && contrastRatio(looks.effects, looks.card.fill) >= 4.5);
    for (const QColor& c : {looks.emptyText, looks.summaryError, looks.summaryHazards, looks.summaryClean})
        QVERIFY(contrastRatio(c, window) >= 4.5);

    // The panel itself: its cards painted dark, its labels readable.
    ui::LintPanel panel;
    panel.resize(520, 700);
    panel.setResult(lint::lintSql(QStringLiteral("ALTER TABLE orders ADD COLUMN c int NOT NULL DEFAULT 0;\n"
                                                 "CREATE INDEX orders_c ON orders (c);\nSET lock_timeout = '1s';\n")));
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QVERIFY(panel.visibleHazardCount() > 0);
    QStringList problems = test::unreadableLabels(&panel);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    QWidget* card = panel.findChild<QWidget*>(QStringLiteral("lintCard"));
    QVERIFY(card);
    QVERIFY(pixelAt(card->grab().toImage(), QPointF(card->width() / 2, card->height() - 3)).lightness() < 128);
    test::saveShots(&panel, QStringLiteral("dark_lint_panel"));
    setAppPalette(m_light);   // rebuilt in the light looks
    card = panel.findChild<QWidget*>(QStringLiteral("lintCard"));
    QVERIFY(pixelAt(card->grab().toImage(), QPointF(card->width() / 2, card->height() - 3)).lightness() > 200);
}

void TestDarkPalette::itemColoursAndLabelsFollowTheBackground()
{
    QTreeWidget tree;
    auto* probe = new Probe(&tree);
    tree.setItemDelegate(probe);
    auto* red = new QTreeWidgetItem(&tree, {QStringLiteral("failed")});
    red->setForeground(0, QColor(0xB3, 0x1B, 0x1B));
    auto* plain = new QTreeWidgetItem(&tree, {QStringLiteral("pending")});
    plain->setForeground(0, QBrush());   // "no colour of its own"
    const QColor base = tree.palette().color(QPalette::Base);
    QVERIFY(contrastRatio(probe->textOf(tree.model()->index(0, 0), &tree), base) >= 4.5);
    QCOMPARE(probe->textOf(tree.model()->index(1, 0), &tree), tree.palette().color(QPalette::Text));

    QWidget window;
    auto* error = new QLabel(QStringLiteral("The server refused the password"), &window);
    ui::setAccentText(error, QColor(0xb3, 0x26, 0x1e));
    auto* note = new QLabel(QStringLiteral("a quiet note"), &window);
    note->move(0, 30);
    ui::setQuietText(note);
    window.show();
    for (bool dark : {true, false, true}) {
        setAppPalette(dark ? test::darkPalette() : m_light);
        const QColor ground = window.palette().color(QPalette::Window);
        QCOMPARE(ui::isDark(window.palette()), dark);
        QVERIFY(contrastRatio(error->palette().color(QPalette::WindowText), ground) >= 4.5);
        QVERIFY(contrastRatio(note->palette().color(QPalette::WindowText), ground) >= 4.5);
        QVERIFY(note->palette().color(QPalette::WindowText) != window.palette().color(QPalette::WindowText));
    }
}

void TestDarkPalette::startPageAndConnectionDialogRead()
{
    QStandardPaths::setTestModeEnabled(true);
    ui::MainWindow w;
    w.resize(1600, 1000);
    w.show();
    w.startPage()->setRecent({{QStringLiteral("orders@prod"), QStringLiteral("host=db1 dbname=orders")}});
    w.startPage()->showError(QStringLiteral("Could not connect to db1"),
                             pg::PgError{QStringLiteral("08001"), QStringLiteral("connection refused"), {}, {}});
    QTest::qWait(50);
    QStringList problems = test::unreadableLabels(&w);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    test::saveShots(&w, QStringLiteral("dark_start_page"));

    ui::ConnectionDialog dialog(&w);
    dialog.setProfile(QStringLiteral("broken"), QStringLiteral("host='unterminated"));
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QLabel* problem = nullptr;
    for (QLabel* l : dialog.findChildren<QLabel*>())
        if (l->text().contains(QLatin1String("does not parse")))
            problem = l;
    QVERIFY(problem);
    QVERIFY(contrastRatio(problem->palette().color(QPalette::WindowText), dialog.palette().color(QPalette::Window)) >= 4.5);
    problems = test::unreadableLabels(&dialog);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    test::saveShots(&dialog, QStringLiteral("dark_connection_dialog"));
}

void TestDarkPalette::wholeWindowUnderADarkPalette()
{
    QStandardPaths::setTestModeEnabled(true);
    QFile::remove(store::Journal::defaultPath());
    const QString conninfo = test::freshDatabase(QStringLiteral("dark"));
    test::connect(conninfo)->execScript(QStringLiteral(R"sql(
        CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, status text NOT NULL,
                             total numeric(12,2) NOT NULL, placed_at timestamptz NOT NULL);
        INSERT INTO orders SELECT g, 1 + g % 600, 'paid', (g % 20000) / 10.0, now() FROM generate_series(1, 40000) g;
        CREATE TABLE customers (id bigint PRIMARY KEY, name text);
        CREATE SCHEMA audit;
        CREATE TABLE audit.events (id bigint PRIMARY KEY, body text);
        ANALYZE;
    )sql"));
    ui::MainWindow w;
    w.resize(1600, 1000);
    w.show();
    auto* tour = new ui::TourGuide(&w, QStringLiteral("orders"), 0.05);
    w.connectTo(conninfo, QStringLiteral("dark"));
    QTRY_VERIFY_WITH_TIMEOUT(tour->stage() == ui::TourGuide::Stage::AtGate || tour->stage() == ui::TourGuide::Stage::Failed, 180000);
    QCOMPARE(tour->stage(), ui::TourGuide::Stage::AtGate);
    ui::Workspace* work = w.workspace();

    // Every tab of the flow, each measured and (with LOCKSTEP_GUI_SHOTS) saved.
    const QStringList tabs{QStringLiteral("plan"), QStringLiteral("sql"), QStringLiteral("run"), QStringLiteral("history")};
    // The Run and History tabs hold their views in scroll areas: show a tab by its index.
    const QList<int> pages{1, 2, 3, 4};
    for (int i = 0; i < tabs.size(); ++i) {
        work->flowTabs()->setCurrentIndex(pages[i]);
        if (tabs[i] == QLatin1String("history")) {
            work->historyView()->reload();
            QTRY_VERIFY(work->historyView()->selectedRunId() > 0);
        }
        QTest::qWait(300);
        QStringList problems = test::unreadableLabels(&w);
        problems.removeDuplicates();
        for (const QString& p : std::as_const(problems))
            qWarning("%s: %s", qPrintable(tabs[i]), qPrintable(p));
        QVERIFY2(problems.isEmpty(), qPrintable(tabs[i]));
        test::saveShots(&w, QStringLiteral("dark_window_%1").arg(tabs[i]));
    }
    test::saveShots(work->runView()->charts(), QStringLiteral("dark_window_run_charts"));
    ui::SqlEditor* editor = work->sqlTab()->editor();
    QVERIFY(editor->text().contains(QLatin1String("ALTER TABLE")));
    QVERIFY(styleBack(*editor, QsciScintillaBase::STYLE_DEFAULT).lightness() < 128);
    for (ui::RunCharts* charts : {work->runView()->charts(), work->historyView()->charts()})
        for (ui::ChartPanel* panel : charts->findChildren<ui::ChartPanel*>())
            QVERIFY(panel->backgroundColor().lightness() < 128);
    // The run's steps: state colours lifted for the dark rows.
    auto* steps = work->runView()->findChild<QTreeWidget*>(QStringLiteral("runStepTree"));
    QVERIFY(steps && steps->topLevelItemCount() > 0);
    QVERIFY(qobject_cast<ui::LegibleItemDelegate*>(steps->itemDelegate()));

    // The desktop switches to light and back while the window is open: every label follows, the editor too.
    for (bool dark : {false, true}) {
        setAppPalette(dark ? test::darkPalette() : m_light);
        for (int page : pages) {
            work->flowTabs()->setCurrentIndex(page);
            QTest::qWait(50);
            QStringList problems = test::unreadableLabels(&w);
            problems.removeDuplicates();
            for (const QString& p : std::as_const(problems))
                qWarning("after a switch to %s: %s", dark ? "dark" : "light", qPrintable(p));
            QVERIFY2(problems.isEmpty(), dark ? "dark" : "light");
        }
        QCOMPARE(styleBack(*editor, QsciScintillaBase::STYLE_DEFAULT).lightness() < 128, dark);
        if (!dark)
            test::saveShots(&w, QStringLiteral("dark_window_switched_to_light"));
    }
}

QTEST_MAIN(TestDarkPalette)
#include "test_dark_palette.moc"
