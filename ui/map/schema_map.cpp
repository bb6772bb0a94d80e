// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/map/schema_map.h"

#include "ui/common/display_format.h"
#include "ui/common/palette_tools.h"
#include "ui/common/risk_palette.h"
#include "ui/map/treemap_layout.h"

#include <QElapsedTimer>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QLinearGradient>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>

namespace lockstep::ui {

namespace {
constexpr int kBreadcrumbHeight = 26;
constexpr int kLegendHeight = 26;
constexpr int kGroupHeader = 18;
// A table of 0 bytes (a partitioned parent) still gets a sliver, so every table is on the map.
constexpr double kMinWeight = 8192;
// Each schema's block is at least this share of the map (less when there are many), so it can be seen and clicked.
constexpr double kMinSchemaShare = 0.08;

// A partitioned table's size is the sum of its partitions': its block carries the area, and the partitions
// (also listed) get a sliver each, so no byte is counted twice.
double weightOf(const pg::TableStats& t)
{
    return t.partitionParent.isEmpty() ? std::max(double(t.totalBytes), kMinWeight) : kMinWeight;
}

QString qualified(const pg::TableStats& t) { return t.schema + QLatin1Char('.') + t.name; }
} // namespace

SchemaMap::SchemaMap(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setMinimumSize(240, 200);
    setAccessibleName(tr("Schema map"));
    m_emptyText = tr("Not connected");
}

void SchemaMap::setTables(const QVector<pg::TableStats>& tables)
{
    m_tables = tables;
    m_indexByOid.clear();
    m_indexByOid.reserve(m_tables.size());
    QStringList schemas;
    for (int i = 0; i < m_tables.size(); ++i) {
        m_indexByOid.insert(m_tables[i].oid, i);
        if (schemas.isEmpty() || schemas.last() != m_tables[i].schema)
            schemas << m_tables[i].schema;
    }
    schemas.removeDuplicates();
    schemas.sort();
    m_schemas = schemas;
    if (!m_zoom.isEmpty() && !m_schemas.contains(m_zoom))
        m_zoom.clear();
    if (!m_indexByOid.contains(m_selected))
        m_selected = 0;
    m_hover = -1;
    invalidateLayout();
}

void SchemaMap::updateTables(const QVector<pg::TableStats>& tables)
{
    bool sameSet = tables.size() == m_tables.size();
    for (int i = 0; sameSet && i < tables.size(); ++i)
        sameSet = tables[i].oid == m_tables[i].oid && tables[i].totalBytes == m_tables[i].totalBytes;
    if (!sameSet) {
        setTables(tables);
        return;
    }
    m_tables = tables;
    update();
}

void SchemaMap::setEmptyText(const QString& text)
{
    m_emptyText = text;
    update();
}

void SchemaMap::selectTable(quint32 oid)
{
    if (oid == m_selected)
        return;
    m_selected = m_indexByOid.contains(oid) ? oid : 0;
    // Selecting a table in another schema (from the list) follows it there.
    if (m_selected && !m_zoom.isEmpty() && m_tables[m_indexByOid.value(oid)].schema != m_zoom)
        zoomToSchema(m_tables[m_indexByOid.value(oid)].schema);
    update();
}

void SchemaMap::zoomToSchema(const QString& schema)
{
    const QString target = m_schemas.contains(schema) ? schema : QString();
    if (target == m_zoom)
        return;
    m_zoom = target;
    invalidateLayout();
    emit zoomChanged(m_zoom);
}

void SchemaMap::zoomOut() { zoomToSchema(QString()); }

void SchemaMap::invalidateLayout()
{
    m_layoutValid = false;
    update();
}

QRectF SchemaMap::mapArea() const
{
    return QRectF(rect().adjusted(4, kBreadcrumbHeight, -4, -kLegendHeight));
}

QRect SchemaMap::breadcrumbRect() const { return QRect(4, 0, width() - 8, kBreadcrumbHeight); }

void SchemaMap::layoutTables(const QVector<int>& tables, const QRectF& area) const
{
    QVector<double> weights;
    weights.reserve(tables.size());
    for (int i : tables)
        weights.push_back(weightOf(m_tables[i]));
    const QVector<QRectF> rects = squarify(weights, area);
    for (int k = 0; k < tables.size(); ++k)
        m_cells.push_back({tables[k], rects[k]});
}

void SchemaMap::ensureLayout() const
{
    if (m_layoutValid)
        return;
    QElapsedTimer timer;
    timer.start();
    m_cells.clear();
    m_groups.clear();
    m_groupsEnlarged = false;
    m_cells.reserve(m_tables.size());
    const QRectF area = mapArea();
    const bool grouped = m_zoom.isEmpty() && m_schemas.size() > 1;
    if (!grouped) {
        QVector<int> all;
        all.reserve(m_tables.size());
        for (int i = 0; i < m_tables.size(); ++i)
            if (m_zoom.isEmpty() || m_tables[i].schema == m_zoom)
                all.push_back(i);
        layoutTables(all, area);
    } else {
        QHash<QString, QVector<int>> bySchema;
        QVector<double> weights;
        double total = 0;
        for (int i = 0; i < m_tables.size(); ++i)
            bySchema[m_tables[i].schema].push_back(i);
        for (const QString& s : m_schemas) {
            Group g;
            g.schema = s;
            for (int i : bySchema.value(s))
                if (m_tables[i].partitionParent.isEmpty())
                    g.bytes += m_tables[i].totalBytes;
            double w = 0;
            for (int i : bySchema.value(s))
                w += weightOf(m_tables[i]);
            weights.push_back(w);
            total += w;
            m_groups.push_back(g);
        }
        // A schema of 1.8 MB beside one of 333 MB would be a sliver nobody can see or click: every schema gets
        // at least a small share of the area (the legend then says so; sizes stay in headers and tooltips).
        const double floor = total * std::min(kMinSchemaShare, 0.5 / double(m_groups.size()));
        m_groupsEnlarged = false;
        for (double& w : weights) {
            if (w < floor) {
                w = floor;
                m_groupsEnlarged = true;
            }
        }
        const QVector<QRectF> rects = squarify(weights, area);
        for (int k = 0; k < m_groups.size(); ++k) {
            Group& g = m_groups[k];
            g.rect = rects[k];
            const bool roomForHeader = g.rect.height() > kGroupHeader * 2 && g.rect.width() > 40;
            g.header = roomForHeader ? QRectF(g.rect.left(), g.rect.top(), g.rect.width(), kGroupHeader) : QRectF();
            const QRectF inner = g.rect.adjusted(2, roomForHeader ? kGroupHeader : 2, -2, -2);
            layoutTables(bySchema.value(g.schema), inner);
        }
    }
    m_layoutValid = true;
    m_layoutMicros = timer.nsecsElapsed() / 1000;
}

int SchemaMap::cellAt(const QPointF& pos) const
{
    ensureLayout();
    for (int k = 0; k < m_cells.size(); ++k)
        if (m_cells[k].rect.contains(pos))
            return k;
    return -1;
}

quint32 SchemaMap::tableAt(const QPoint& pos) const
{
    const int k = cellAt(pos);
    return k < 0 ? 0 : m_tables[m_cells[k].table].oid;
}

QRect SchemaMap::tableRect(quint32 oid) const
{
    ensureLayout();
    const int i = m_indexByOid.value(oid, -1);
    for (const Cell& c : m_cells)
        if (c.table == i)
            return c.rect.toAlignedRect();
    return {};
}

QString SchemaMap::tooltipFor(const pg::TableStats& t) const
{
    QString tip = QStringLiteral("<b>%1</b>").arg(qualified(t).toHtmlEscaped());
    if (t.relkind == 'p')
        tip += tr(" (partitioned, %1)").arg(counted(t.partitionChildren.size(), tr("partition"), tr("partitions")));
    tip += QStringLiteral("<br>%1 total: %2 table, %3 indexes, %4 TOAST")
               .arg(sizeText(t.totalBytes), sizeText(t.heapBytes), sizeText(t.indexBytes), sizeText(t.toastBytes));
    const QString writes = tableWritesText(t.writesPerSecond, t.ownWritesPerSecond).toHtmlEscaped();
    tip += QStringLiteral("<br>%1 rows · %2 · %3").arg(countText(t.rows), writes, rateText(t.readsPerSecond, tr("reads/s")));
    tip += QStringLiteral("<br><b>Lock risk %1 (%2)</b>").arg(t.risk).arg(riskWord(t.risk));
    for (const QString& r : t.riskReasons)
        tip += QStringLiteral("<br>• ") + r.toHtmlEscaped();
    return tip;
}

void SchemaMap::paintCell(QPainter& p, const Cell& cell) const
{
    const pg::TableStats& t = m_tables[cell.table];
    const QColor fill = riskColor(t.risk);
    const QRectF r = cell.rect;
    p.fillRect(r, fill);
    if (r.width() < 3 || r.height() < 3)
        return;
    p.setPen(fill.darker(140));
    p.drawRect(r.adjusted(0, 0, -0.5, -0.5));
    if (!t.runClaim.isEmpty() && r.width() >= 8 && r.height() >= 8) {
        // A Lockstep run (this window's or another operator's) is working on it: a dashed frame.
        p.setPen(QPen(textColorOn(fill), 2, Qt::DashLine));
        p.drawRect(r.adjusted(2, 2, -2, -2));
    }
    // Labels only where they fit whole: a clipped name misleads more than no name.
    const QFontMetrics fm = p.fontMetrics();
    const int line = fm.height();
    const QRectF inner = r.adjusted(4, 2, -4, -2);
    if (inner.height() < line)
        return;
    const QString name = t.name;
    if (fm.horizontalAdvance(name) > inner.width())
        return;
    QStringList lines{name};
    const QString size = sizeText(t.totalBytes);
    if (inner.height() >= 2 * line && fm.horizontalAdvance(size) <= inner.width())
        lines << size;
    const QString risk = t.runClaim.isEmpty() ? tr("risk %1").arg(t.risk) : tr("run in progress");
    if (lines.size() == 2 && inner.height() >= 3 * line && fm.horizontalAdvance(risk) <= inner.width())
        lines << risk;
    p.setPen(textColorOn(fill));
    p.drawText(inner, Qt::AlignLeft | Qt::AlignTop, lines.join(QLatin1Char('\n')));
}

void SchemaMap::paintLegend(QPainter& p) const
{
    const QRect band(4, height() - kLegendHeight + 6, width() - 8, kLegendHeight - 8);
    const QFontMetrics fm = p.fontMetrics();
    p.setPen(palette().color(QPalette::WindowText));
    const QString left = m_groupsEnlarged ? tr("Area = total size (small schemas enlarged) · colour = lock risk:")
                                          : tr("Area = total size · colour = lock risk:");
    const int lw = fm.horizontalAdvance(left);
    p.drawText(QRect(band.left(), band.top(), lw, band.height()), Qt::AlignVCenter, left);
    const QString calm = tr("0 calm");
    const QString hot = tr("100 hot");
    int x = band.left() + lw + 8;
    p.drawText(QRect(x, band.top(), fm.horizontalAdvance(calm), band.height()), Qt::AlignVCenter, calm);
    x += fm.horizontalAdvance(calm) + 6;
    const int barWidth = std::min(160, std::max(40, band.right() - x - fm.horizontalAdvance(hot) - 10));
    QLinearGradient g(x, 0, x + barWidth, 0);
    for (int s = 0; s <= 100; s += 25)
        g.setColorAt(s / 100.0, riskColor(s));
    p.fillRect(QRect(x, band.top() + 4, barWidth, band.height() - 8), g);
    x += barWidth + 6;
    p.drawText(QRect(x, band.top(), fm.horizontalAdvance(hot), band.height()), Qt::AlignVCenter, hot);
}

void SchemaMap::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Base));
    const QFontMetrics fm = p.fontMetrics();
    if (m_tables.isEmpty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, m_emptyText);
        return;
    }
    ensureLayout();

    // Breadcrumb: where we are, and how to get out.
    QString crumb;
    if (m_schemas.size() <= 1)
        crumb = tr("Schema %1 · %2").arg(m_schemas.value(0), counted(m_tables.size(), tr("table"), tr("tables")));
    else if (m_zoom.isEmpty())
        crumb = tr("All schemas (%1) · %2 · click a schema's name or double-click a table to zoom in")
                    .arg(QString::number(m_schemas.size()), counted(m_tables.size(), tr("table"), tr("tables")));
    else
        crumb = tr("◂ All schemas  ›  %1 · %2 · Backspace zooms out")
                    .arg(m_zoom, counted(std::count_if(m_tables.begin(), m_tables.end(),
                                                       [&](const pg::TableStats& t) { return t.schema == m_zoom; }),
                                         tr("table"), tr("tables")));
    p.setPen(palette().color(QPalette::WindowText));
    p.drawText(breadcrumbRect(), Qt::AlignVCenter | Qt::AlignLeft, fm.elidedText(crumb, Qt::ElideRight, breadcrumbRect().width()));

    for (const Group& g : m_groups) {
        p.fillRect(g.rect, palette().color(QPalette::Mid));
        if (!g.header.isEmpty()) {
            p.setPen(readableTextOn(palette().color(QPalette::Mid)));
            const QString label = QStringLiteral("%1 · %2").arg(g.schema, sizeText(g.bytes));
            p.drawText(g.header.adjusted(4, 0, -4, 0), Qt::AlignVCenter | Qt::AlignLeft,
                       fm.elidedText(label, Qt::ElideRight, int(g.header.width()) - 8));
        }
    }
    for (const Cell& c : m_cells)
        paintCell(p, c);

    auto outline = [&](int cellIndex, const QColor& color, int width) {
        if (cellIndex < 0)
            return;
        QRectF r = m_cells[cellIndex].rect;
        if (r.width() < 4 || r.height() < 4)
            r = QRectF(r.center() - QPointF(4, 4), QSizeF(8, 8));   // still findable when tiny
        p.setPen(QPen(color, width));
        p.setBrush(Qt::NoBrush);
        p.drawRect(r.adjusted(width / 2.0, width / 2.0, -width / 2.0, -width / 2.0));
    };
    if (m_hover >= 0)
        outline(m_hover, palette().color(QPalette::WindowText), 1);
    if (m_selected) {
        const int i = m_indexByOid.value(m_selected, -1);
        for (int k = 0; k < m_cells.size(); ++k)
            if (m_cells[k].table == i) {
                outline(k, Qt::black, 3);
                outline(k, Qt::white, 1);
            }
    }
    paintLegend(p);
}

void SchemaMap::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    invalidateLayout();
}

void SchemaMap::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(event);
    const QPointF pos = event->position();
    if (!m_zoom.isEmpty() && breadcrumbRect().contains(pos.toPoint())) {
        zoomOut();
        return;
    }
    ensureLayout();
    for (const Group& g : m_groups)
        if (g.header.contains(pos)) {
            zoomToSchema(g.schema);
            return;
        }
    const int k = cellAt(pos);
    if (k < 0)
        return;
    const quint32 oid = m_tables[m_cells[k].table].oid;
    m_selected = oid;
    update();
    emit tableClicked(oid);
}

void SchemaMap::mouseMoveEvent(QMouseEvent* event)
{
    const int k = cellAt(event->position());
    if (k != m_hover) {
        m_hover = k;
        update();
    }
}

void SchemaMap::mouseDoubleClickEvent(QMouseEvent* event)
{
    // A schema too small for a clickable header is still reachable: double-click any of its tables.
    const int k = cellAt(event->position());
    if (event->button() == Qt::LeftButton && k >= 0 && m_zoom.isEmpty() && m_schemas.size() > 1)
        zoomToSchema(m_tables[m_cells[k].table].schema);
}

void SchemaMap::leaveEvent(QEvent*)
{
    m_hover = -1;
    update();
}

void SchemaMap::keyPressEvent(QKeyEvent* event)
{
    if ((event->key() == Qt::Key_Backspace || event->key() == Qt::Key_Escape) && !m_zoom.isEmpty()) {
        zoomOut();
        return;
    }
    QWidget::keyPressEvent(event);
}

bool SchemaMap::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int k = cellAt(help->pos());
        if (k >= 0)
            QToolTip::showText(help->globalPos(), tooltipFor(m_tables[m_cells[k].table]), this,
                               m_cells[k].rect.toAlignedRect());
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

} // namespace lockstep::ui
