// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "ui/server/catalog_types.h"

#include <QHash>
#include <QWidget>

namespace lockstep::ui {

// The schema map: a squarified treemap of the database's tables. Area = total size (heap, indexes,
// toast), colour = lock risk on the shared calm-to-hot scale, label = name, size and risk when they fit.
// With several schemas the top level groups tables by schema; clicking a schema's header zooms into it
// (Backspace or the breadcrumb zooms out). Hover shows a tooltip; clicking a table selects it.
class SchemaMap : public QWidget {
    Q_OBJECT
public:
    explicit SchemaMap(QWidget* parent = nullptr);

    void setTables(const QVector<pg::TableStats>& tables);
    // Rates and risk changed, the set of tables did not: repaint without a new layout.
    void updateTables(const QVector<pg::TableStats>& tables);
    void setEmptyText(const QString& text);

    int tableCount() const { return m_tables.size(); }
    quint32 selectedOid() const { return m_selected; }
    QString zoomedSchema() const { return m_zoom; }
    // The oid of the table drawn at `pos` (widget coordinates), 0 if none. Tests and the tooltip use it.
    quint32 tableAt(const QPoint& pos) const;
    QRect tableRect(quint32 oid) const;       // empty when not laid out (zoomed away or too small)
    qint64 lastLayoutMicros() const { return m_layoutMicros; }

public slots:
    void selectTable(quint32 oid);            // no signal: the caller already knows
    void zoomToSchema(const QString& schema); // empty: all schemas
    void zoomOut();

signals:
    void tableClicked(quint32 oid);
    void zoomChanged(const QString& schema);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    bool event(QEvent* event) override;

private:
    struct Cell { int table; QRectF rect; };
    struct Group { QString schema; qint64 bytes = 0; QRectF rect; QRectF header; };

    void invalidateLayout();
    void ensureLayout() const;
    void layoutTables(const QVector<int>& tables, const QRectF& area) const;
    QRectF mapArea() const;
    QRect breadcrumbRect() const;
    int cellAt(const QPointF& pos) const;
    QString tooltipFor(const pg::TableStats& t) const;
    void paintCell(QPainter& p, const Cell& cell) const;
    void paintLegend(QPainter& p) const;

    QVector<pg::TableStats> m_tables;
    QHash<quint32, int> m_indexByOid;
    QStringList m_schemas;
    QString m_zoom;
    quint32 m_selected = 0;
    int m_hover = -1;
    QString m_emptyText;
    // The layout is computed lazily for the current size and zoom, and kept until either changes.
    mutable bool m_layoutValid = false;
    mutable QVector<Cell> m_cells;
    mutable QVector<Group> m_groups;
    mutable qint64 m_layoutMicros = 0;
    mutable bool m_groupsEnlarged = false;   // a small schema was given more than its share to stay visible
};

} // namespace lockstep::ui
