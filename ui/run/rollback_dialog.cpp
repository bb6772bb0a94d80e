// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/run/rollback_dialog.h"

#include "ui/common/palette_tools.h"
#include "ui/run/run_format.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace lockstep::ui {

RollbackDialog::RollbackDialog(const QString& table, const QVector<RollbackItem>& items, QWidget* parent)
    : QDialog(parent), m_items(items), m_list(new QTextBrowser(this)),
      m_ok(new QPushButton(QStringLiteral("Roll back %1 step%2").arg(items.size()).arg(items.size() == 1 ? "" : "s"), this))
{
    setObjectName(QStringLiteral("rollbackDialog"));
    setWindowTitle(QStringLiteral("Roll back the run on %1").arg(table));
    resize(860, 600);
    auto* intro = new QLabel(QStringLiteral("<b>The rollback undoes these %1 steps on %2, in this order (the last step "
                                            "first).</b> Each runs under a short lock_timeout with retries, like the steps "
                                            "themselves. Steps not listed never ran and are left alone.")
                                 .arg(items.size())
                                 .arg(table.toHtmlEscaped()),
                             this);
    intro->setWordWrap(true);

    // The whole SQL of every step, nothing elided: this is what will run.
    m_list->setObjectName(QStringLiteral("rollbackList"));
    m_list->setOpenLinks(false);
    const QString mono = QFontDatabase::systemFont(QFontDatabase::FixedFont).family();
    // Colours from the palette: quiet words and a code block a shade off the view's background.
    const QPalette pal = m_list->palette();
    const QString quiet = legibleOn(mixColors(pal.color(QPalette::Text), pal.color(QPalette::Base), 0.4),
                                    pal.color(QPalette::Base)).name();
    const QString codeBack = mixColors(pal.color(QPalette::Base), pal.color(QPalette::Text), 0.06).name();
    QString html;
    for (const RollbackItem& it : items) {
        html += QStringLiteral("<p style='margin-top:8px; margin-bottom:2px'><b>%1. %2</b> <span style='color:%4'>— now "
                               "%3</span></p>")
                    .arg(it.index + 1)
                    .arg(it.title.toHtmlEscaped(), stepStateWord(it.state).toHtmlEscaped(), quiet);
        if (it.sql.isEmpty())
            html += QStringLiteral("<p style='margin-left:16px; margin-top:0; color:%2'><i>%1</i></p>").arg(it.note.toHtmlEscaped(), quiet);
        else
            html += QStringLiteral("<p style='margin-left:16px; margin-top:0; white-space:pre-wrap; font-family:\"%1\"; "
                                   "background:%3; color:%4'>%2</p>")
                        .arg(mono, it.sql.trimmed().toHtmlEscaped(), codeBack, pal.color(QPalette::Text).name());
    }
    m_list->setHtml(html);

    auto* buttons = new QDialogButtonBox(this);
    m_ok->setObjectName(QStringLiteral("confirmRollback"));
    buttons->addButton(m_ok, QDialogButtonBox::AcceptRole);
    buttons->addButton(QStringLiteral("Cancel"), QDialogButtonBox::RejectRole);
    m_ok->setEnabled(!items.isEmpty());
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_list, 1);
    layout->addWidget(buttons);
}

QString RollbackDialog::itemText(int row) const
{
    if (row < 0 || row >= m_items.size())
        return {};
    const RollbackItem& it = m_items[row];
    return QStringLiteral("%1. %2 (%3) — %4")
        .arg(it.index + 1)
        .arg(it.title, stepStateWord(it.state), it.sql.isEmpty() ? it.note : it.sql.simplified());
}

QString RollbackDialog::shownText() const { return m_list->toPlainText(); }

} // namespace lockstep::ui
