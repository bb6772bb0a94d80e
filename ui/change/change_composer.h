// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "ui/server/catalog_types.h"

#include <QHash>
#include <QWidget>
#include <optional>

class QAbstractButton;
class QCheckBox;
class QComboBox;
class QGridLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QStackedWidget;
class QStringListModel;
class QTimer;

namespace lockstep::ui {

class BackfillEditor;

// The "Change" flow tab: a form composing a new-column change on the selected table (add, or replace an
// existing column; name, type, default, NOT NULL, backfill, unique, index, foreign key, check). Every
// edit is validated ~250 ms later by the core's offline validation (validateChangeParts); once that
// passes, the change is sent to the server (planRequested: resolved and planned off the GUI thread),
// and the answer comes back through setPlanResult / setServerRefusal / setServerFailure. A refusal
// shows beside the field it names (ChangeError::field), in red; a field without a problem shows a grey
// hint there instead.
class ChangeComposer : public QWidget {
    Q_OBJECT
public:
    explicit ChangeComposer(QWidget* parent = nullptr);

    // The table to change (the workspace's selection) and, a moment later, its structure.
    void setTable(const pg::TableStats& stats);
    void updateStats(const pg::TableStats& stats);     // a rates refresh; ignored for another table
    void setTableStructure(const TableSnapshot& table);
    void setCatalog(const pg::CatalogSnapshot& snapshot);   // tables a foreign key can reference
    void setTypes(const QStringList& names);                // the server's type names (ui_types.sql)
    void setReferenceColumns(quint32 oid, const QVector<ReferenceColumn>& columns);
    void setReferenceColumnsError(quint32 oid, const QString& message);
    void clear();                                           // disconnected: no table, no types

    // Answers to planRequested (only the newest request's answer arrives).
    void setPlanResult(const Plan& plan);
    void setServerRefusal(const QString& field, const QString& reason);
    void setServerFailure(const pg::PgError& error);

    quint32 tableOid() const { return m_table.oid; }
    // Something is being composed (a name, type, expression or check typed): moving it to another table
    // is the user's decision, not a side effect of a click.
    bool hasDraft() const;
    // The change as the form says it now (table text quoted, empty optional fields left out).
    NewColumnChange currentChange() const;
    // The message shown beside `field` (ChangeError's field names; add_column and new_name share the name
    // row), empty when the field has no problem.
    QString fieldMessage(const QString& field) const;
    QLabel* messageLabel(const QString& field) const;
    QString statusText() const;
    bool hasPlan() const { return m_state == State::Ready; }
    // Validates now instead of after the debounce delay.
    void validateNow();
    void focusName();

    QRadioButton* addButton() const { return m_add; }
    QRadioButton* replaceButton() const { return m_replace; }
    QComboBox* oldColumnBox() const { return m_oldColumn; }
    QLineEdit* nameEdit() const { return m_name; }
    QComboBox* typeBox() const { return m_type; }
    QLineEdit* defaultEdit() const { return m_default; }
    QCheckBox* notNullBox() const { return m_notNull; }
    BackfillEditor* backfillEdit() const { return m_backfill; }
    QCheckBox* uniqueBox() const { return m_unique; }
    QCheckBox* indexBox() const { return m_index; }
    QCheckBox* referencesBox() const { return m_references; }
    QComboBox* referenceTableBox() const { return m_refTable; }
    QComboBox* referenceColumnBox() const { return m_refColumn; }
    QComboBox* onDeleteBox() const { return m_onDelete; }
    QLineEdit* checkEdit() const { return m_check; }

signals:
    void planRequested(const lockstep::NewColumnChange& change);
    void referenceColumnsRequested(quint32 oid);
    void planReady(const lockstep::Plan& plan);      // the server planned the change as the form says it
    void planCleared(const QString& why);            // no plan for the form as it is now, and why
    void showPlanRequested();                        // "See the plan" pressed

private:
    enum class State { NoTable, Incomplete, Invalid, Checking, Ready, Refused, Failed };
    struct LocalProblem {
        QString field, reason;
        bool fromCatalog = false;   // the catalog Lockstep read, else Lockstep's own checks
    };
    struct Field {
        QWidget* editor = nullptr;
        QLabel* message = nullptr;
        QString hint;
    };

    QWidget* buildForm();
    QWidget* buildStatusBar();
    void addRow(QGridLayout* grid, int row, int column, const QString& label, QWidget* editor,
                const QStringList& fields, const QString& hint);
    void scheduleValidation();
    void validate();
    void showProblem(const QString& field, const QString& reason);
    // Every problem found before the server (change_composer_problems.cpp), and the change with those
    // fields set aside for the server to check the rest (none when nothing else can be checked).
    QVector<LocalProblem> localProblems(const NewColumnChange& change) const;
    std::optional<NewColumnChange> restOfChange(NewColumnChange change, const QVector<LocalProblem>& problems) const;
    void resetMessages();
    QString messageStyle(bool problem) const;   // a field's message: quiet hint or red problem, from the palette
    void setState(State state, const QString& text);
    void updateKind();
    void updateReferenceControls();
    void referenceTableChosen();
    void fillOldColumns();
    void updateHeader();
    QString fieldLabel(const QString& field) const;
    QString problemsSummary(const QStringList& said) const;   // "Fix the 2 fields marked in red — …"
    QString referenceTableText() const;
    quint32 pickedReferenceOid() const;      // the listed table the References box names, else 0
    void fillReferenceTables();

    pg::TableStats m_table;
    std::optional<TableSnapshot> m_structure;
    QVector<pg::TableStats> m_catalogTables;
    // The References box lists every table of the catalog (10,000 of them on some servers): one model
    // reset, filled only once References is turned on, keeps a catalog read from stalling the window.
    QStringListModel* m_refTables;
    QVector<quint32> m_refTableOids;         // by row of m_refTables
    bool m_refTablesStale = true;
    QStringList m_types;
    quint32 m_refOid = 0;
    State m_state = State::NoTable;
    bool m_awaitingServer = false;
    bool m_checkingRest = false;     // the server checks the fields without a problem found here
    QString m_localSummary;          // the problems found here, as the status line says them
    QStringList m_localSaid;         // each of them, with where it was found

    QStackedWidget* m_pages;
    QLabel* m_header;
    QLabel* m_headerStats;
    QRadioButton* m_add;
    QRadioButton* m_replace;
    QComboBox* m_oldColumn;
    QLineEdit* m_name;
    QLabel* m_nameLabel;
    QComboBox* m_type;
    QLineEdit* m_default;
    QCheckBox* m_notNull;
    BackfillEditor* m_backfill;
    QCheckBox* m_unique;
    QCheckBox* m_index;
    QCheckBox* m_references;
    QComboBox* m_refTable;
    QComboBox* m_refColumn;
    QComboBox* m_onDelete;
    QLineEdit* m_check;
    QLabel* m_statusDot;
    QLabel* m_status;
    QPushButton* m_seePlan;
    QTimer* m_debounce;
    QHash<QString, Field> m_fields;          // by ChangeError field name
};

} // namespace lockstep::ui
