// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/connect/connection_dialog.h"

#include "ui/connect/conninfo_tools.h"
#include "ui/common/palette_tools.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QIntValidator>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>
#include <libpq-fe.h>

namespace lockstep::ui {

namespace {
QString quoted(const QString& value)
{
    QString v = value;
    v.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    v.replace(QLatin1Char('\''), QLatin1String("\\'"));
    return QLatin1Char('\'') + v + QLatin1Char('\'');
}
} // namespace

ConnectionDialog::ConnectionDialog(QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("Connect to PostgreSQL"));
    m_name = new QLineEdit(this);
    m_name->setPlaceholderText(tr("e.g. orders production (optional)"));
    m_host = new QLineEdit(this);
    m_host->setPlaceholderText(tr("from PGHOST, else the local socket"));
    m_port = new QLineEdit(this);
    m_port->setValidator(new QIntValidator(1, 65535, m_port));
    m_port->setPlaceholderText(tr("from PGPORT, else 5432"));
    m_database = new QLineEdit(this);
    m_database->setPlaceholderText(tr("from PGDATABASE, else the user name"));
    m_user = new QLineEdit(this);
    m_user->setPlaceholderText(tr("from PGUSER, else your login"));
    m_sslmode = new QComboBox(this);
    m_sslmode->addItem(tr("default (PGSSLMODE, else prefer)"), QString());
    for (const char* mode : {"disable", "allow", "prefer", "require", "verify-ca", "verify-full"})
        m_sslmode->addItem(QString::fromLatin1(mode), QString::fromLatin1(mode));
    m_conninfo = new QLineEdit(this);
    m_conninfo->setPlaceholderText(tr("host=… dbname=… or postgresql://user@host/db or service=name"));
    m_conninfo->setClearButtonEnabled(true);

    auto* form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Host:"), m_host);
    form->addRow(tr("&Port:"), m_port);
    form->addRow(tr("&Database:"), m_database);
    form->addRow(tr("&User:"), m_user);
    form->addRow(tr("&SSL mode:"), m_sslmode);
    form->addRow(tr("or connection &string:"), m_conninfo);

    auto* hint = new QLabel(tr("Empty fields are left to libpq: PG* environment variables, ~/.pgpass and "
                               "pg_service.conf apply. If the server wants a password you will be asked for it; "
                               "it is kept in memory only. The profile is saved without it."),
                            this);
    hint->setWordWrap(true);
    hint->setForegroundRole(QPalette::PlaceholderText);
    m_problem = new QLabel(this);
    m_problem->setWordWrap(true);
    setAccentText(m_problem, QColor(0xb3, 0x26, 0x1e));   // red that reads on a light or dark window

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Connect"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(hint);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);
    connect(m_conninfo, &QLineEdit::textChanged, this, [this, buttons] {
        updateState();
        buttons->button(QDialogButtonBox::Ok)->setEnabled(m_problem->text().isEmpty());
    });
    setMinimumWidth(520);
    updateState();
}

void ConnectionDialog::updateState()
{
    // A connection string replaces the fields; say so by disabling them rather than merging silently.
    const bool useString = !m_conninfo->text().trimmed().isEmpty();
    for (QWidget* w : std::initializer_list<QWidget*>{m_host, m_port, m_database, m_user, m_sslmode})
        w->setEnabled(!useString);
    QString error;
    if (useString && conninfoForConnect(m_conninfo->text().trimmed(), {}, &error).isEmpty())
        m_problem->setText(tr("The connection string does not parse: %1").arg(error));
    else
        m_problem->clear();
}

void ConnectionDialog::setProfile(const QString& name, const QString& conninfo)
{
    m_name->setText(name);
    char* err = nullptr;
    PQconninfoOption* options = PQconninfoParse(conninfo.toUtf8().constData(), &err);
    PQfreemem(err);
    bool onlyFields = options != nullptr;
    QMap<QString, QString> values;
    for (PQconninfoOption* o = options; o && o->keyword; ++o) {
        if (!o->val)
            continue;
        const QString key = QString::fromUtf8(o->keyword);
        values.insert(key, QString::fromUtf8(o->val));
        if (!QStringList{"host", "port", "dbname", "user", "sslmode"}.contains(key))
            onlyFields = false;
    }
    PQconninfoFree(options);
    if (onlyFields) {
        m_host->setText(values.value(QStringLiteral("host")));
        m_port->setText(values.value(QStringLiteral("port")));
        m_database->setText(values.value(QStringLiteral("dbname")));
        m_user->setText(values.value(QStringLiteral("user")));
        m_sslmode->setCurrentIndex(qMax(0, m_sslmode->findData(values.value(QStringLiteral("sslmode")))));
        m_conninfo->clear();
    } else {
        for (QLineEdit* e : {m_host, m_port, m_database, m_user})
            e->clear();
        m_sslmode->setCurrentIndex(0);
        m_conninfo->setText(conninfo);
    }
    updateState();
}

QString ConnectionDialog::conninfo() const
{
    const QString text = m_conninfo->text().trimmed();
    if (!text.isEmpty())
        return text;
    QStringList parts;
    auto add = [&parts](const char* key, const QString& value) {
        if (!value.trimmed().isEmpty())
            parts << QString::fromLatin1(key) + QLatin1Char('=') + quoted(value.trimmed());
    };
    add("host", m_host->text());
    add("port", m_port->text());
    add("dbname", m_database->text());
    add("user", m_user->text());
    add("sslmode", m_sslmode->currentData().toString());
    return parts.join(QLatin1Char(' '));
}

QString ConnectionDialog::profileName() const
{
    const QString name = m_name->text().trimmed();
    return name.isEmpty() ? conninfoLabel(conninfo()) : name;
}

} // namespace lockstep::ui
