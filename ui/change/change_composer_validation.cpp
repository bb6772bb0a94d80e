// SPDX-License-Identifier: GPL-3.0-or-later
// The composer's live validation: the form as a NewColumnChange, the core's offline checks, the request to
// the server and its answer, and the messages beside the fields.
#include "ui/change/change_composer.h"

#include "core/change/change_error.h"
#include "core/plan/ident_quoter.h"
#include "core/plan/plan_render.h"
#include "ui/change/backfill_editor.h"
#include "ui/common/display_format.h"
#include "ui/common/lock_badge.h"
#include "ui/common/palette_tools.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSet>
#include <QTimer>

namespace lockstep::ui {

namespace {
std::optional<QString> optionalText(const QString& text)
{
    const QString t = text.trimmed();
    return t.isEmpty() ? std::nullopt : std::optional<QString>(t);
}

// The core words its reasons for the command line ("give --default or --backfill"); here the fields
// have labels, so the flags become the labels the user sees.
QString inFormWords(QString reason)
{
    static const QVector<QPair<QString, QString>> flags{
        {QStringLiteral("--add-column"), QStringLiteral("“Name”")},     {QStringLiteral("--new-name"), QStringLiteral("“New name”")},
        {QStringLiteral("--replace-column"), QStringLiteral("“Replace”")}, {QStringLiteral("--type"), QStringLiteral("“Type”")},
        {QStringLiteral("--default"), QStringLiteral("“Default”")},     {QStringLiteral("--not-null"), QStringLiteral("NOT NULL")},
        {QStringLiteral("--backfill"), QStringLiteral("“Backfill”")},   {QStringLiteral("--unique"), QStringLiteral("“Unique”")},
        {QStringLiteral("--index"), QStringLiteral("“Index”")},         {QStringLiteral("--references"), QStringLiteral("“References”")},
        {QStringLiteral("--on-delete"), QStringLiteral("“On delete”")}, {QStringLiteral("--check"), QStringLiteral("“Check”")},
    };
    for (const auto& [flag, label] : flags)
        reason.replace(flag, label);
    return reason;
}

// A word too long to wrap (a 70-byte name quoted back) would be cut off beside the field: shortened
// there, whole in the tooltip and the status line.
QString wrappable(const QString& text)
{
    constexpr int kLongest = 32;
    QStringList words = text.split(QLatin1Char(' '));
    for (QString& w : words)
        if (w.size() > kLongest)
            w = w.left(kLongest - 4) + QStringLiteral("…") + w.right(3);
    return words.join(QLatin1Char(' '));
}
} // namespace

QString ChangeComposer::referenceTableText() const
{
    // A table picked from the list is written quoted, so that any name reads back as itself; text typed
    // by hand is SQL syntax as the CLI takes it.
    if (const quint32 oid = pickedReferenceOid()) {
        for (const pg::TableStats& t : m_catalogTables)
            if (t.oid == oid)
                return offlineIdentQuoter()(t.schema) + QLatin1Char('.') + offlineIdentQuoter()(t.name);
    }
    return m_refTable->currentText().trimmed();
}

bool ChangeComposer::hasDraft() const
{
    const NewColumnChange c = currentChange();
    return !c.column.isEmpty() || !c.type.isEmpty() || c.defaultExpr || c.backfill || c.check;
}

NewColumnChange ChangeComposer::currentChange() const
{
    NewColumnChange c;
    c.table = offlineIdentQuoter()(m_table.schema) + QLatin1Char('.') + offlineIdentQuoter()(m_table.name);
    c.kind = m_replace->isChecked() ? NewColumnChange::Kind::Replace : NewColumnChange::Kind::Add;
    // The column name is literal: spaces inside are part of it, around it almost certainly a slip.
    c.column = m_name->text().trimmed();
    if (c.kind == NewColumnChange::Kind::Replace)
        c.oldColumn = m_oldColumn->currentData().toString();
    c.type = m_type->currentText().trimmed();
    c.defaultExpr = optionalText(m_default->text());
    c.notNull = m_notNull->isChecked();
    c.backfill = optionalText(m_backfill->text());
    c.unique = m_unique->isChecked();
    c.index = m_index->isChecked();
    if (m_references->isChecked()) {
        c.referencesTable = referenceTableText();
        c.referencesColumn = m_refColumn->currentData().toString();
        const QString action = m_onDelete->currentData().toString();
        if (!action.isEmpty())
            c.onDelete = action;
    }
    c.check = optionalText(m_check->text());
    return c;
}

void ChangeComposer::scheduleValidation()
{
    if (m_state == State::NoTable && m_table.oid == 0)
        return;
    m_debounce->start();
}

void ChangeComposer::validateNow()
{
    m_debounce->stop();
    validate();
}

void ChangeComposer::validate()
{
    m_debounce->stop();
    if (m_table.oid == 0)
        return;
    resetMessages();
    m_awaitingServer = false;
    m_checkingRest = false;
    const NewColumnChange change = currentChange();
    const bool replace = change.kind == NewColumnChange::Kind::Replace;
    QStringList missing;
    QSet<QString> empty;   // fields not filled in yet: missing, not wrong
    if (replace && change.oldColumn.isEmpty()) {
        missing << tr("the column to replace");
        empty << QStringLiteral("replace_column");
    }
    if (change.column.isEmpty()) {
        missing << tr("a name");
        empty << QStringLiteral("add_column") << QStringLiteral("new_name");
    }
    if (change.type.isEmpty()) {
        missing << tr("a type");
        empty << QStringLiteral("type");
    }
    // Every problem at once (a taken name does not hide a mistyped type), each beside its field.
    QVector<LocalProblem> problems;
    for (const LocalProblem& p : localProblems(change))
        if (!empty.contains(p.field))
            problems.append(p);
    // Each says where it was found: before the server, by Lockstep's own checks or in the catalog it read.
    m_localSaid.clear();
    for (const LocalProblem& p : problems) {
        showProblem(p.field, p.reason);
        m_localSaid << tr("%1: %2 (%3)").arg(fieldLabel(p.field), inFormWords(p.reason),
                                             p.fromCatalog ? tr("in the catalog Lockstep read") : tr("Lockstep's own check, offline"));
    }
    if (!missing.isEmpty()) {
        QString text = tr("Give the new column %1 to see its plan.").arg(missing.join(tr(" and ")));
        if (!problems.isEmpty())
            text += tr(" Fix the fields marked in red too: %1").arg(m_localSaid.join(QStringLiteral("; ")));
        setState(State::Incomplete, text);
        emit planCleared(text);
        return;
    }
    if (!problems.isEmpty()) {
        m_localSummary = problemsSummary(m_localSaid);
        emit planCleared(m_localSummary);
        // The server checks the other fields meanwhile, so its objections come with these, not after them.
        if (const std::optional<NewColumnChange> rest = restOfChange(change, problems)) {
            m_awaitingServer = m_checkingRest = true;
            setState(State::Invalid, m_localSummary + tr(" Checking the other fields on the server…"));
            emit planRequested(*rest);
        } else {
            setState(State::Invalid, m_localSummary);
        }
        return;
    }
    m_awaitingServer = true;
    setState(State::Checking, tr("Checking the change on the server and planning it…"));
    emit planRequested(change);
}

void ChangeComposer::setPlanResult(const Plan& plan)
{
    if (!m_awaitingServer)
        return;
    m_awaitingServer = false;
    if (m_checkingRest) {   // the rest of a change with problems: nothing to plan yet
        m_checkingRest = false;
        setState(State::Invalid, m_localSummary + tr(" The server found nothing wrong with the other fields."));
        return;
    }
    int exclusive = 0;
    for (const Step& s : plan.steps)
        if (lockSeverity(s.lock) == LockSeverity::ReadsAndWrites)
            ++exclusive;
    QString text = tr("Plan ready: %1, about %2 in total")
                       .arg(counted(plan.steps.size(), tr("step"), tr("steps")), formatDuration(plan.estimatedSeconds()));
    if (exclusive > 0)
        text += tr("; %1 ACCESS EXCLUSIVE briefly (under lock_timeout)")
                    .arg(exclusive == 1 ? tr("1 step takes") : tr("%1 steps take").arg(exclusive));
    text += tr(". Nothing has run yet.");
    setState(State::Ready, text);
    emit planReady(plan);
}

void ChangeComposer::setServerRefusal(const QString& field, const QString& reason)
{
    if (!m_awaitingServer)
        return;
    m_awaitingServer = false;
    showProblem(field, reason);
    const QString text = tr("%1: %2").arg(fieldLabel(field), inFormWords(reason));
    if (m_checkingRest) {
        m_checkingRest = false;
        setState(State::Invalid, problemsSummary(m_localSaid + QStringList{tr("%1 (refused by the server)").arg(text)}));
        return;
    }
    setState(State::Refused, tr("The server refused the change — %1").arg(text));
    emit planCleared(text);
}

void ChangeComposer::setServerFailure(const pg::PgError& error)
{
    if (!m_awaitingServer)
        return;
    m_awaitingServer = false;
    if (m_checkingRest) {
        m_checkingRest = false;
        setState(State::Invalid, m_localSummary + tr(" (The server could not check the other fields: %1)").arg(error.toString()));
        return;
    }
    const QString text = tr("Could not check the change on the server: %1").arg(error.toString());
    setState(State::Failed, text);
    emit planCleared(text);
}

QString ChangeComposer::problemsSummary(const QStringList& said) const
{
    return tr("Fix %1 marked in red — %2.")
        .arg(said.size() == 1 ? tr("the field") : tr("the %1 fields").arg(said.size()), said.join(QStringLiteral("; ")));
}

QString ChangeComposer::fieldLabel(const QString& field) const
{
    static const QHash<QString, QString> labels{
        {QStringLiteral("table"), QStringLiteral("Table")},
        {QStringLiteral("add_column"), QStringLiteral("Name")},
        {QStringLiteral("new_name"), QStringLiteral("New name")},
        {QStringLiteral("replace_column"), QStringLiteral("Column to replace")},
        {QStringLiteral("type"), QStringLiteral("Type")},
        {QStringLiteral("default"), QStringLiteral("Default")},
        {QStringLiteral("not_null"), QStringLiteral("NOT NULL")},
        {QStringLiteral("backfill"), QStringLiteral("Backfill")},
        {QStringLiteral("unique"), QStringLiteral("Unique")},
        {QStringLiteral("index"), QStringLiteral("Index")},
        {QStringLiteral("references"), QStringLiteral("References")},
        {QStringLiteral("on_delete"), QStringLiteral("On delete")},
        {QStringLiteral("check"), QStringLiteral("Check")},
    };
    return labels.value(field, field);
}

QString ChangeComposer::messageStyle(bool problem) const
{
    const QColor window = palette().color(QPalette::Window);
    return problem ? QStringLiteral("QLabel { color: %1; font-weight: bold; }").arg(legibleOn(dangerColor(), window).name())
                   : QStringLiteral("QLabel { color: %1; }").arg(quietText(palette()).name());
}

void ChangeComposer::resetMessages()
{
    const QString quiet = messageStyle(false);
    for (auto it = m_fields.cbegin(); it != m_fields.cend(); ++it) {
        it->message->setText(it->hint);
        it->message->setStyleSheet(quiet);
        it->message->setProperty("problem", false);
    }
}

void ChangeComposer::showProblem(const QString& field, const QString& rawReason)
{
    const QString reason = inFormWords(rawReason);
    const auto it = m_fields.constFind(field);
    if (it == m_fields.cend()) {
        // "table" and anything unforeseen: the status line carries it.
        return;
    }
    it->message->setText(QStringLiteral("⚠ ") + wrappable(reason));
    it->message->setStyleSheet(messageStyle(true));
    it->message->setProperty("problem", true);
    it->message->setToolTip(reason);
}

QString ChangeComposer::fieldMessage(const QString& field) const
{
    const auto it = m_fields.constFind(field);
    if (it == m_fields.cend() || !it->message->property("problem").toBool())
        return {};
    return it->message->text();
}

QLabel* ChangeComposer::messageLabel(const QString& field) const
{
    const auto it = m_fields.constFind(field);
    return it == m_fields.cend() ? nullptr : it->message;
}

QString ChangeComposer::statusText() const { return m_status->text(); }

void ChangeComposer::setState(State state, const QString& text)
{
    m_state = state;
    QColor dot = quietText(palette());
    switch (state) {
    case State::Ready: dot = okColor(); break;
    case State::Invalid:
    case State::Refused:
    case State::Failed: dot = dangerColor(); break;
    case State::Checking: dot = warningColor(); break;
    case State::NoTable:
    case State::Incomplete: break;
    }
    dot = legibleOn(dot, palette().color(QPalette::Window), 3);   // a mark: 3:1 against the window
    m_statusDot->setText(QStringLiteral("<span style=\"color:%1; font-size:large\">●</span>").arg(dot.name()));
    m_status->setText(text);
    m_seePlan->setEnabled(state == State::Ready);
}

} // namespace lockstep::ui
