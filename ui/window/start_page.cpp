// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/window/start_page.h"

#include "core/pg/conninfo_redaction.h"

#include <QHBoxLayout>
#include <QFontDatabase>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace lockstep::ui {

namespace {
constexpr int kConninfoRole = Qt::UserRole + 1;
constexpr int kNameRole = Qt::UserRole + 2;
} // namespace

StartPage::StartPage(QWidget* parent) : QWidget(parent)
{
    auto* title = new QLabel(tr("<h1>Lockstep</h1><p>Add a column to a busy PostgreSQL table without stopping "
                                "its traffic: see the tables and their lock risk, compose the change, review the "
                                "phased plan, run it with a hand on the brake.</p>"),
                             this);
    title->setWordWrap(true);
    title->setTextFormat(Qt::RichText);

    auto* connectButton = new QPushButton(tr("Connect…"), this);
    connectButton->setDefault(true);
    connectButton->setToolTip(tr("Connect to a PostgreSQL database (Ctrl+O)"));
    auto* demoButton = new QPushButton(tr("Try the demo"), this);
    demoButton->setToolTip(tr("Start a private PostgreSQL with sample tables and traffic, and connect to it"));
    connect(connectButton, &QPushButton::clicked, this, &StartPage::connectRequested);
    connect(demoButton, &QPushButton::clicked, this, &StartPage::demoRequested);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(connectButton);
    buttons->addWidget(demoButton);
    buttons->addStretch(1);

    // Connecting: progress and Cancel.
    m_progressBox = new QWidget(this);
    m_progressLabel = new QLabel(m_progressBox);
    m_progressLabel->setWordWrap(true);
    m_progress = new QProgressBar(m_progressBox);
    m_progress->setRange(0, 0);
    m_progress->setTextVisible(false);
    m_progress->setMaximumHeight(8);
    m_cancel = new QPushButton(tr("Cancel"), m_progressBox);
    connect(m_cancel, &QPushButton::clicked, this, &StartPage::cancelRequested);
    auto* progressLayout = new QHBoxLayout(m_progressBox);
    progressLayout->setContentsMargins(0, 0, 0, 0);
    auto* progressText = new QVBoxLayout;
    progressText->addWidget(m_progressLabel);
    progressText->addWidget(m_progress);
    progressLayout->addLayout(progressText, 1);
    progressLayout->addWidget(m_cancel);

    // Failed: one line, then the server's words under Details.
    m_errorBox = new QWidget(this);
    m_errorBox->setObjectName(QStringLiteral("errorBox"));
    m_errorBox->setStyleSheet(QStringLiteral("#errorBox { background: #fdecea; border: 1px solid #e8a29b; border-radius: 4px; }"
                                             "#errorBox QLabel { color: #5f1410; }"));
    m_errorSummary = new QLabel(m_errorBox);
    m_errorSummary->setWordWrap(true);
    QFont bold = m_errorSummary->font();
    bold.setBold(true);
    m_errorSummary->setFont(bold);
    m_detailsToggle = new QToolButton(m_errorBox);
    m_detailsToggle->setText(tr("Details"));
    m_detailsToggle->setCheckable(true);
    m_detailsToggle->setChecked(true);
    m_detailsToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_detailsToggle->setArrowType(Qt::DownArrow);
    m_errorDetails = new QLabel(m_errorBox);
    m_errorDetails->setWordWrap(true);
    m_errorDetails->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_errorDetails->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    connect(m_detailsToggle, &QToolButton::toggled, this, [this](bool on) {
        m_errorDetails->setVisible(on);
        m_detailsToggle->setArrowType(on ? Qt::DownArrow : Qt::RightArrow);
    });
    auto* retry = new QPushButton(tr("Try again"), m_errorBox);
    connect(retry, &QPushButton::clicked, this, &StartPage::retryRequested);
    auto* errorLayout = new QVBoxLayout(m_errorBox);
    errorLayout->addWidget(m_errorSummary);
    auto* errorButtons = new QHBoxLayout;
    errorButtons->addWidget(m_detailsToggle);
    errorButtons->addStretch(1);
    errorButtons->addWidget(retry);
    errorLayout->addLayout(errorButtons);
    errorLayout->addWidget(m_errorDetails);

    auto* recentTitle = new QLabel(tr("<b>Recent connections</b>"), this);
    m_recent = new QListWidget(this);
    m_recent->setContextMenuPolicy(Qt::CustomContextMenu);
    m_recent->setAlternatingRowColors(true);
    m_recentEmpty = new QLabel(this);
    m_recentEmpty->setWordWrap(true);
    m_recentEmpty->setForegroundRole(QPalette::PlaceholderText);
    connect(m_recent, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) {
        emit recentActivated(item->data(kNameRole).toString(), item->data(kConninfoRole).toString());
    });
    connect(m_recent, &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
        QListWidgetItem* item = m_recent->itemAt(pos);
        if (!item)
            return;
        const QString name = item->data(kNameRole).toString();
        const QString conninfo = item->data(kConninfoRole).toString();
        QMenu menu(this);
        menu.addAction(tr("Connect"), this, [=] { emit recentActivated(name, conninfo); });
        menu.addAction(tr("Edit…"), this, [=] { emit recentEditRequested(name, conninfo); });
        menu.addAction(tr("Forget"), this, [=] { emit recentRemoveRequested(name); });
        menu.exec(m_recent->viewport()->mapToGlobal(pos));
    });

    auto* column = new QVBoxLayout;
    column->addWidget(title);
    column->addLayout(buttons);
    column->addSpacing(12);
    column->addWidget(m_progressBox);
    column->addWidget(m_errorBox);
    column->addSpacing(12);
    column->addWidget(recentTitle);
    column->addWidget(m_recent, 10);
    column->addWidget(m_recentEmpty);
    column->addStretch(1);      // keeps the page together at the top when the list is hidden

    // A readable column in the middle rather than lines across a wide screen.
    auto* outer = new QHBoxLayout(this);
    outer->addStretch(1);
    auto* middle = new QWidget(this);
    middle->setLayout(column);
    middle->setMaximumWidth(720);
    middle->setMinimumWidth(420);
    outer->addWidget(middle, 4);
    outer->addStretch(1);
    showIdle();
    setRecent({});
}

void StartPage::setRecent(const QVector<QPair<QString, QString>>& profiles)
{
    m_recent->clear();
    for (const auto& [name, conninfo] : profiles) {
        auto* item = new QListWidgetItem(QStringLiteral("%1\n%2").arg(name, pg::conninfoWithoutPassword(conninfo)), m_recent);
        item->setData(kNameRole, name);
        item->setData(kConninfoRole, conninfo);
        item->setToolTip(tr("Enter or double-click to connect; right-click to edit or forget"));
    }
    m_recent->setVisible(!profiles.isEmpty());
    m_recentEmpty->setText(tr("None yet. Connections you make are remembered here (without passwords)."));
    m_recentEmpty->setVisible(profiles.isEmpty());
}

void StartPage::setRecentUnavailable(const QString& reason)
{
    m_recent->clear();
    m_recent->hide();
    m_recentEmpty->setText(tr("Recent connections are unavailable: %1").arg(reason));
    m_recentEmpty->show();
}

void StartPage::showConnecting(const QString& label)
{
    m_errorBox->hide();
    m_progressLabel->setText(tr("Connecting to %1…").arg(label));
    m_progressBox->show();
    m_cancel->setFocus();
}

void StartPage::showError(const QString& summary, const pg::PgError& error)
{
    m_progressBox->hide();
    m_errorSummary->setText(summary);
    QString details = error.message;
    if (!error.detail.isEmpty())
        details += QStringLiteral("\nDETAIL: ") + error.detail;
    if (!error.hint.isEmpty())
        details += QStringLiteral("\nHINT: ") + error.hint;
    if (!error.sqlstate.isEmpty())
        details += QStringLiteral("\nSQLSTATE: ") + error.sqlstate;
    m_errorDetails->setText(details);
    m_errorBox->show();
}

void StartPage::showIdle()
{
    m_progressBox->hide();
    m_errorBox->hide();
}

QString StartPage::errorText() const
{
    return m_errorBox->isHidden() ? QString() : m_errorSummary->text() + QLatin1Char('\n') + m_errorDetails->text();
}

bool StartPage::isConnecting() const { return !m_progressBox->isHidden(); }

} // namespace lockstep::ui
