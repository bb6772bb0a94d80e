// SPDX-License-Identifier: GPL-3.0-or-later
// The composer's form: its widgets, layout and the inputs it is filled from. Validation and the answers
// from the server are in change_composer_validation.cpp, the foreign key inputs in change_composer_references.cpp.
#include "ui/change/change_composer.h"

#include "ui/change/backfill_editor.h"
#include "ui/common/display_format.h"
#include "ui/common/palette_tools.h"
#include "ui/common/risk_palette.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QScrollArea>
#include <QStackedWidget>
#include <QStringListModel>
#include <QTimer>
#include <QVBoxLayout>

namespace lockstep::ui {

namespace {
constexpr int kDebounceMs = 250;

// Offered first in the type list, before the server's answer arrives and above the rest after it.
const QStringList& commonTypes()
{
    static const QStringList types{
        QStringLiteral("bigint"), QStringLiteral("integer"), QStringLiteral("text"), QStringLiteral("boolean"),
        QStringLiteral("numeric"), QStringLiteral("timestamp with time zone"), QStringLiteral("date"),
        QStringLiteral("uuid"), QStringLiteral("jsonb"), QStringLiteral("character varying"),
        QStringLiteral("double precision"), QStringLiteral("smallint"),
    };
    return types;
}

QLabel* makeMessage(QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Ignored: a long message wraps in the column it has instead of widening the form's columns.
    label->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    label->setMinimumWidth(160);
    return label;
}

void setupSearchableCombo(QComboBox* box)
{
    box->setEditable(true);
    box->setInsertPolicy(QComboBox::NoInsert);
    box->setMaxVisibleItems(16);
    box->completer()->setCompletionMode(QCompleter::PopupCompletion);
    box->completer()->setFilterMode(Qt::MatchContains);
    box->completer()->setCaseSensitivity(Qt::CaseInsensitive);
}
} // namespace

ChangeComposer::ChangeComposer(QWidget* parent) : QWidget(parent)
{
    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(kDebounceMs);
    connect(m_debounce, &QTimer::timeout, this, &ChangeComposer::validate);

    m_pages = new QStackedWidget(this);
    auto* empty = new QLabel(tr("Pick a table on the map or in the list, then “Add a column…” to compose a change on it.\n"
                                "Each field is checked as you type, and the Plan tab shows what the change will do."),
                             m_pages);
    empty->setAlignment(Qt::AlignCenter);
    empty->setWordWrap(true);
    empty->setForegroundRole(QPalette::PlaceholderText);
    empty->setMargin(16);
    m_pages->addWidget(empty);

    auto* page = new QWidget(m_pages);
    m_header = new QLabel(page);
    QFont headerFont = m_header->font();
    headerFont.setBold(true);
    headerFont.setPointSizeF(headerFont.pointSizeF() * 1.15);
    m_header->setFont(headerFont);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_headerStats = new QLabel(page);
    m_headerStats->setForegroundRole(QPalette::PlaceholderText);
    auto* headerRow = new QHBoxLayout;
    headerRow->addWidget(m_header);
    headerRow->addSpacing(12);
    headerRow->addWidget(m_headerStats, 1);

    auto* scroll = new QScrollArea(page);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(buildForm());

    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(8, 6, 8, 4);
    layout->setSpacing(4);
    layout->addLayout(headerRow);
    layout->addWidget(scroll, 1);
    layout->addWidget(buildStatusBar());
    m_pages->addWidget(page);

    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(m_pages);

    setTypes({});
    updateKind();
    updateReferenceControls();
    resetMessages();
    setState(State::NoTable, QString());
    // The messages' and the status dot's colours come from the palette: again when it changes.
    followPalette(this, [this] {
        for (auto it = m_fields.cbegin(); it != m_fields.cend(); ++it)
            it->message->setStyleSheet(messageStyle(it->message->property("problem").toBool()));
        setState(m_state, m_status->text());
    });
}

QWidget* ChangeComposer::buildForm()
{
    auto* form = new QWidget;
    auto* grid = new QGridLayout(form);
    grid->setContentsMargins(0, 4, 0, 4);
    grid->setHorizontalSpacing(8);
    grid->setVerticalSpacing(6);

    // Left: which column, and its values.
    auto* kind = new QWidget(form);
    m_add = new QRadioButton(tr("Add a new column"), kind);
    m_replace = new QRadioButton(tr("Replace a column"), kind);
    m_add->setChecked(true);
    m_replace->setToolTip(tr("Rename, retype (int → bigint) or transform an existing column without downtime: a new "
                             "column is filled from it, kept in step, and the old one is dropped at the end"));
    auto* kindGroup = new QButtonGroup(kind);
    kindGroup->addButton(m_add);
    kindGroup->addButton(m_replace);
    auto* kindRow = new QHBoxLayout(kind);
    kindRow->setContentsMargins(0, 0, 0, 0);
    kindRow->addWidget(m_add);
    kindRow->addSpacing(8);
    kindRow->addWidget(m_replace);
    kindRow->addStretch(1);
    addRow(grid, 0, 0, tr("Change"), kind, {},
           tr("Replace: rename, retype or transform a column; the old one goes at the end."));

    m_oldColumn = new QComboBox(form);
    m_oldColumn->setToolTip(tr("The existing column the new one replaces; it is dropped at the end of the change"));
    // Sized by a typical name, never by measuring every column of a wide table.
    m_oldColumn->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_oldColumn->setMinimumContentsLength(12);
    addRow(grid, 1, 0, tr("Old column"), m_oldColumn, {QStringLiteral("replace_column")}, QString());

    m_name = new QLineEdit(form);
    m_name->setPlaceholderText(tr("e.g. total_cents"));
    m_name->setClearButtonEnabled(true);
    addRow(grid, 2, 0, tr("Name"), m_name, {QStringLiteral("add_column"), QStringLiteral("new_name")},
           tr("The new column's name exactly as it will be; no quotes needed."));
    m_nameLabel = qobject_cast<QLabel*>(grid->itemAtPosition(2, 0)->widget());

    m_type = new QComboBox(form);
    setupSearchableCombo(m_type);
    m_type->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_type->setMinimumContentsLength(12);
    m_type->lineEdit()->setPlaceholderText(tr("e.g. bigint, numeric(12,2), text[]"));
    addRow(grid, 3, 0, tr("Type"), m_type, {QStringLiteral("type")},
           tr("Any type this server knows; type to search its types."));

    m_default = new QLineEdit(form);
    m_default->setPlaceholderText(tr("optional, e.g. 0, 'none', now()"));
    m_default->setClearButtonEnabled(true);
    addRow(grid, 4, 0, tr("Default"), m_default, {QStringLiteral("default")},
           tr("New rows get it. A constant is instant; a volatile one (now(), random()) also fills existing rows."));

    m_backfill = new BackfillEditor(form);
    m_backfill->setPlaceholderText(tr("optional, e.g. total * 100"));
    m_backfill->setToolTip(tr("An SQL expression over the row's columns (Ctrl+Space lists them). Existing rows get its value "
                              "in small batches; a trigger keeps new writes in step meanwhile."));
    addRow(grid, 5, 0, tr("Backfill"), m_backfill, {QStringLiteral("backfill")}, QString());

    // Right: constraints and indexes on it.
    m_notNull = new QCheckBox(tr("NOT NULL"), form);
    m_notNull->setToolTip(tr("Enforced without a long lock: CHECK (… IS NOT NULL) NOT VALID, VALIDATE, then SET NOT NULL"));
    addRow(grid, 0, 4, tr("Required"), m_notNull, {QStringLiteral("not_null")},
           tr("Once every row has a value; checked without blocking writes."));
    m_unique = new QCheckBox(tr("UNIQUE"), form);
    addRow(grid, 1, 4, tr("Unique"), m_unique, {QStringLiteral("unique")},
           tr("A unique index built CONCURRENTLY, then attached as a constraint."));
    m_index = new QCheckBox(tr("Index the column"), form);
    addRow(grid, 2, 4, tr("Index"), m_index, {QStringLiteral("index")},
           tr("A plain index, built CONCURRENTLY: writes continue."));

    auto* refs = new QWidget(form);
    m_references = new QCheckBox(refs);
    m_references->setToolTip(tr("Make the new column a foreign key"));
    m_refTable = new QComboBox(refs);
    m_refTables = new QStringListModel(this);
    m_refTable->setModel(m_refTables);
    setupSearchableCombo(m_refTable);
    m_refTable->lineEdit()->setPlaceholderText(tr("table"));
    m_refTable->setMinimumWidth(150);
    // Never measure every table name to size the box.
    m_refTable->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_refTable->setMinimumContentsLength(16);
    m_refColumn = new QComboBox(refs);
    m_refColumn->setMinimumWidth(110);
    m_refColumn->setToolTip(tr("Only columns that alone are a primary key or unique can be referenced"));
    auto* refRow = new QHBoxLayout(refs);
    refRow->setContentsMargins(0, 0, 0, 0);
    refRow->addWidget(m_references);
    refRow->addWidget(m_refTable, 3);
    refRow->addWidget(m_refColumn, 2);
    addRow(grid, 3, 4, tr("References"), refs, {QStringLiteral("references")},
           tr("A foreign key to a unique column; added NOT VALID, then validated without blocking writes."));

    m_onDelete = new QComboBox(form);
    m_onDelete->addItem(tr("NO ACTION (default)"), QString());
    for (const char* action : {"RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT"})
        m_onDelete->addItem(QString::fromLatin1(action), QString::fromLatin1(action));
    addRow(grid, 4, 4, tr("On delete"), m_onDelete, {QStringLiteral("on_delete")},
           tr("What happens to this row when the row it references is deleted."));

    m_check = new QLineEdit(form);
    m_check->setPlaceholderText(tr("optional, e.g. total_cents >= 0"));
    m_check->setClearButtonEnabled(true);
    addRow(grid, 5, 4, tr("Check"), m_check, {QStringLiteral("check")},
           tr("A condition every row must meet; added NOT VALID, then validated."));

    grid->setColumnMinimumWidth(3, 16);
    grid->setColumnStretch(1, 3);
    grid->setColumnStretch(2, 4);
    grid->setColumnStretch(5, 3);
    grid->setColumnStretch(6, 4);
    grid->setRowStretch(6, 1);
    for (int column : {1, 5})
        grid->setColumnMinimumWidth(column, 200);

    for (QLineEdit* edit : {m_name, m_default, m_check})
        connect(edit, &QLineEdit::textChanged, this, &ChangeComposer::scheduleValidation);
    connect(m_type, &QComboBox::editTextChanged, this, &ChangeComposer::scheduleValidation);
    connect(m_backfill, &QsciScintilla::textChanged, this, &ChangeComposer::scheduleValidation);
    for (QCheckBox* box : {m_notNull, m_unique, m_index})
        connect(box, &QCheckBox::toggled, this, &ChangeComposer::scheduleValidation);
    connect(m_replace, &QRadioButton::toggled, this, [this] {
        updateKind();
        scheduleValidation();
    });
    connect(m_oldColumn, &QComboBox::currentIndexChanged, this, &ChangeComposer::scheduleValidation);
    connect(m_references, &QCheckBox::toggled, this, [this] {
        if (m_references->isChecked())
            fillReferenceTables();
        updateReferenceControls();
        if (m_references->isChecked())
            referenceTableChosen();
        scheduleValidation();
    });
    connect(m_refTable, &QComboBox::currentIndexChanged, this, &ChangeComposer::referenceTableChosen);
    connect(m_refTable, &QComboBox::editTextChanged, this, &ChangeComposer::scheduleValidation);
    connect(m_refColumn, &QComboBox::currentIndexChanged, this, &ChangeComposer::scheduleValidation);
    connect(m_onDelete, &QComboBox::currentIndexChanged, this, &ChangeComposer::scheduleValidation);
    return form;
}

void ChangeComposer::addRow(QGridLayout* grid, int row, int column, const QString& label, QWidget* editor,
                            const QStringList& fields, const QString& hint)
{
    auto* name = new QLabel(label, grid->parentWidget());
    name->setBuddy(editor);
    grid->addWidget(name, row, column, Qt::AlignLeft | Qt::AlignVCenter);
    grid->addWidget(editor, row, column + 1);
    QLabel* message = makeMessage(grid->parentWidget());
    grid->addWidget(message, row, column + 2);
    if (fields.isEmpty()) {   // a hint only: no field of the core's validation lands here
        message->setText(hint);
        message->setForegroundRole(QPalette::PlaceholderText);
    }
    for (const QString& f : fields)
        m_fields.insert(f, Field{editor, message, hint});
}

QWidget* ChangeComposer::buildStatusBar()
{
    auto* bar = new QFrame(this);
    bar->setFrameShape(QFrame::StyledPanel);
    m_statusDot = new QLabel(bar);
    m_statusDot->setTextFormat(Qt::RichText);
    m_status = new QLabel(bar);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_seePlan = new QPushButton(tr("See the plan ▸"), bar);
    m_seePlan->setToolTip(tr("Open the Plan tab: every step with its lock, duration and SQL"));
    connect(m_seePlan, &QPushButton::clicked, this, &ChangeComposer::showPlanRequested);
    auto* row = new QHBoxLayout(bar);
    row->setContentsMargins(8, 4, 8, 4);
    row->addWidget(m_statusDot);
    row->addWidget(m_status, 1);
    row->addWidget(m_seePlan);
    return bar;
}

void ChangeComposer::setTable(const pg::TableStats& stats)
{
    const bool other = stats.oid != m_table.oid;
    m_table = stats;
    if (other)
        m_structure.reset();
    m_pages->setCurrentIndex(1);
    updateHeader();
    if (other) {
        fillOldColumns();
        m_backfill->setColumns({});
        validateNow();
    }
}

void ChangeComposer::updateStats(const pg::TableStats& stats)
{
    if (stats.oid != m_table.oid)
        return;
    m_table = stats;
    updateHeader();
}

void ChangeComposer::updateHeader()
{
    m_header->setText(tr("Change on %1").arg(m_table.schema + QLatin1Char('.') + m_table.name));
    m_headerStats->setText(tr("%1 · %2 rows · %3 · lock risk %4 (%5)")
                               .arg(sizeText(m_table.totalBytes), countText(m_table.rows),
                                    rateText(m_table.writesPerSecond, tr("writes/s")))
                               .arg(m_table.risk)
                               .arg(riskWord(m_table.risk)));
}

void ChangeComposer::setTableStructure(const TableSnapshot& table)
{
    if (table.oid != m_table.oid)
        return;
    m_structure = table;
    fillOldColumns();
    QStringList names;
    for (const ColumnInfo& c : table.columns)
        names << c.name;
    m_backfill->setColumns(names);
    scheduleValidation();
}

void ChangeComposer::fillOldColumns()
{
    const QString previous = m_oldColumn->currentData().toString();
    const QSignalBlocker block(m_oldColumn);
    m_oldColumn->clear();
    if (!m_structure) {
        m_oldColumn->addItem(tr("(loading columns…)"));
        m_oldColumn->setItemData(0, QVariant(), Qt::UserRole);
        return;
    }
    for (const ColumnInfo& c : m_structure->columns)
        m_oldColumn->addItem(QStringLiteral("%1  —  %2").arg(c.name, c.type), c.name);
    const int again = m_oldColumn->findData(previous);
    m_oldColumn->setCurrentIndex(again >= 0 ? again : 0);
}

void ChangeComposer::setTypes(const QStringList& names)
{
    m_types = names;
    const QString typed = m_type->currentText();
    const QSignalBlocker block(m_type);
    m_type->clear();
    QStringList common;
    for (const QString& t : commonTypes())
        if (names.isEmpty() || names.contains(t))
            common << t;
    m_type->addItems(common);
    if (!names.isEmpty()) {
        m_type->insertSeparator(m_type->count());
        for (const QString& t : names)
            if (!common.contains(t))
                m_type->addItem(t);
    }
    m_type->setCurrentIndex(-1);
    m_type->setEditText(typed);
}

void ChangeComposer::updateKind()
{
    const bool replace = m_replace->isChecked();
    m_oldColumn->setEnabled(replace);
    m_nameLabel->setText(replace ? tr("New name") : tr("Name"));
    m_fields[QStringLiteral("replace_column")].hint =
        replace ? tr("The new column takes over from this one, which is dropped at the end.")
                : tr("Only when replacing a column.");
    m_fields[QStringLiteral("backfill")].hint =
        replace ? tr("Empty: every row gets its old value converted to the new type. Ctrl+Space lists the columns.")
                : tr("Fills existing rows from their own columns, in small batches. Ctrl+Space lists the columns.");
    resetMessages();
}

void ChangeComposer::clear()
{
    m_debounce->stop();
    m_table = {};
    m_structure.reset();
    m_catalogTables.clear();
    m_refOid = 0;
    m_awaitingServer = false;
    m_refTablesStale = true;
    m_refTableOids.clear();
    m_refTables->setStringList({});
    m_refColumn->clear();
    m_backfill->setColumns({});
    setTypes({});
    m_pages->setCurrentIndex(0);
    resetMessages();
    setState(State::NoTable, QString());
    emit planCleared(QString());
}

void ChangeComposer::focusName()
{
    m_name->setFocus(Qt::OtherFocusReason);
    m_name->selectAll();
}

} // namespace lockstep::ui
