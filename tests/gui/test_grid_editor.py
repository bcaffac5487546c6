"""The grid editor driven like a planner: synthetic mouse events on a real canvas, real store."""

import pytest
import shapely
from qgis.core import QgsPointXY, QgsProject, QgsRectangle
from qgis.gui import QgsMapMouseEvent
from qgis.PyQt.QtCore import QEvent, QPoint, Qt

from gridmap.store import grids
from gridmap.store.validate import validate_store


def pixel(window, x, y) -> QPoint:
    p = window.canvas.getCoordinateTransform().transform(QgsPointXY(x, y))
    return QPoint(round(p.x()), round(p.y()))


def event(window, kind, x, y, button=Qt.MouseButton.LeftButton):
    buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else button
    return QgsMapMouseEvent(window.canvas, kind, pixel(window, x, y), button, buttons)


def drag(window, tool, points):
    """Press at the first point, move through the others, release at the last (one stroke)."""
    window.canvas.setMapTool(tool)
    tool.canvasPressEvent(event(window, QEvent.Type.MouseButtonPress, *points[0]))
    for x, y in points[1:]:
        tool.canvasMoveEvent(event(window, QEvent.Type.MouseMove, x, y))
    tool.canvasReleaseEvent(event(window, QEvent.Type.MouseButtonRelease, *points[-1]))


def inside(polygon):
    p = polygon.representative_point()
    return p.x, p.y


@pytest.fixture
def editor(window):
    ed = window.workspace.grid_editor
    ed.start()
    yield ed
    ed.stop(force=True)


def two_movable(plan, source, target):
    """Two units of ``source`` that can be painted into ``target`` one after the other."""
    for first in sorted(plan.members[source]):
        if plan.check(first, target) is None and plan.neighbours[first] & plan.members[target]:
            move = plan.move([first], target)
            second = next((u for u in sorted(plan.neighbours[first] & plan.members[source])
                           if plan.check(u, target) is None), None)
            plan.undo(move)
            if second:
                return first, second
    raise AssertionError("no two movable units")


def zoom_on(window, polygons):
    box = shapely.union_all(polygons).bounds
    window.canvas.setExtent(QgsRectangle(*box))
    window.canvas.setExtent(window.canvas.extent().buffered(50))


def test_one_drag_paints_several_units_as_one_undo_step(window, editor):
    plan = editor.plan
    source, target = sorted(plan.members)[:2]
    first, second = two_movable(plan, source, target)
    zoom_on(window, [plan.polygons[first], plan.polygons[second]])
    editor.panel.choose(target)
    units_before = int(editor.panel.cell(target, "units"))
    drag(window, editor.paint_tool, [inside(plan.polygons[first]), inside(plan.polygons[second])])
    assert plan.assignment[first] == target and plan.assignment[second] == target
    assert editor.undo_stack.count() == 1
    assert int(editor.panel.cell(target, "units")) == units_before + 2
    draft = {f["code"]: f.geometry().area() for f in editor.draft.layer.getFeatures()}
    assert draft[target] == pytest.approx(plan.dissolve(target).area)
    editor.action_undo.trigger()
    assert plan.assignment[first] == source and plan.assignment[second] == source
    assert int(editor.panel.cell(target, "units")) == units_before
    editor.action_redo.trigger()
    assert plan.assignment[second] == target


def test_a_stroke_that_would_split_a_grid_is_refused_with_a_reason(window, editor):
    plan = editor.plan
    source, target = sorted(plan.members)[:2]
    far = next(u for u in sorted(plan.members[source]) if not plan.neighbours[u] & plan.members[target])
    zoom_on(window, [plan.polygons[far]])
    editor.panel.choose(target)
    drag(window, editor.paint_tool, [inside(plan.polygons[far])])
    assert plan.assignment[far] == source
    assert editor.undo_stack.count() == 0
    assert "split" in editor.panel.message.text()


def test_locked_grids_refuse_the_brush(window, editor):
    plan = editor.plan
    source, target = sorted(plan.members)[:2]
    first, _ = two_movable(plan, source, target)
    editor.set_locked(source, True)
    zoom_on(window, [plan.polygons[first]])
    editor.panel.choose(target)
    drag(window, editor.paint_tool, [inside(plan.polygons[first])])
    assert plan.assignment[first] == source and "locked" in editor.panel.message.text()
    assert source in grids.load_plan(window.store).locked


def test_workload_outside_the_tolerance_is_flagged(editor):
    rows = editor.plan.rows(0.01)
    editor.panel.tolerance.setValue(1)
    flagged = [r.code for r in rows if r.flagged]
    assert flagged and all(editor.panel.is_flagged(code) for code in flagged)
    editor.panel.tolerance.setValue(100)
    assert not any(editor.panel.is_flagged(r.code) for r in rows)


def test_commit_from_the_editor_writes_history_and_refreshes_the_map(window, editor):
    plan = editor.plan
    source, target = sorted(plan.members)[:2]
    first, _ = two_movable(plan, source, target)
    editor.panel.choose(target)
    assert editor.paint(first)
    editor._stroke_finished()
    assert editor.commit("test") == 1
    assert [v.responsibility_grid_code for v in grids.history(window.store, first)] == [source, target]
    assert editor.undo_stack.count() == 0 and not plan.dirty
    layer = window.layer("unit_grid")
    assert [f["responsibility_grid_code"] for f in layer.getFeatures(f"\"code\" = '{first}'")] == [target]


def test_save_open_and_compare_a_scenario(window, editor):
    plan = editor.plan
    source, target = sorted(plan.members)[:2]
    first, _ = two_movable(plan, source, target)
    editor.panel.choose(target)
    editor.paint(first)
    editor._stroke_finished()
    editor.save_scenario("北片调整")
    editor.discard()
    assert not plan.dirty
    editor.open_scenario("北片调整")
    assert plan.changes() == [(first, source, target)]
    assert editor.differences("北片调整") == [(first, source, target)]
    editor.select_units([first])
    assert [f["code"] for f in window.layer("unit_grid").selectedFeatures()] == [first]


def test_leaving_the_editor_restores_the_layers(window, editor):
    root = QgsProject.instance().layerTreeRoot()
    assert not root.findLayer(window.layer("component_point").id()).isVisible()
    editor.stop(force=True)
    assert root.findLayer(window.layer("component_point").id()).isVisible()
    assert root.findLayer(window.layer("responsibility_grid").id()).isVisible()
    assert editor.draft is None


def test_split_tool_cuts_a_unit_grid(window):
    editor = window.workspace.grid_editor
    store = window.store
    code = store.conn.execute("SELECT code FROM unit_grid WHERE valid_to IS NULL ORDER BY code LIMIT 1 OFFSET 12"
                              ).fetchone()[0]
    polygon = grids.unit_grid_polygons(store, [code])[code]
    zoom_on(window, [polygon])
    minx, miny, maxx, maxy = polygon.bounds
    mid = (minx + maxx) / 2
    tool = editor.split_tool
    window.canvas.setMapTool(tool)
    for y in (miny - 8, maxy + 8):
        tool.canvasReleaseEvent(event(window, QEvent.Type.MouseButtonRelease, mid, y))
    tool.canvasReleaseEvent(event(window, QEvent.Type.MouseButtonRelease, mid, maxy + 8, Qt.MouseButton.RightButton))
    current = {r[0] for r in store.conn.execute("SELECT code FROM unit_grid WHERE valid_to IS NULL")}
    assert code not in current
    assert validate_store(store) == []
    assert "Done" in editor.panel.message.text() or window.statusBar().currentMessage()


def test_dragging_a_vertex_off_the_district_is_refused_and_highlighted(window):
    editor = window.workspace.grid_editor
    store = window.store
    district = shapely.from_wkb(store.conn.execute("SELECT AsBinary(geom) FROM district").fetchone()[0])
    corner = list(shapely.get_parts(district)[0].exterior.coords)[4]
    window.canvas.setExtent(QgsRectangle(corner[0] - 60, corner[1] - 60, corner[0] + 60, corner[1] + 60))
    before = store.conn.execute("SELECT count(*) FROM unit_grid").fetchone()[0]
    drag(window, editor.vertex_tool, [corner, (corner[0] + 15, corner[1] + 30), (corner[0] + 30, corner[1] + 40)])
    assert store.conn.execute("SELECT count(*) FROM unit_grid").fetchone()[0] == before
    assert "Refused" in window.statusBar().currentMessage()
    assert editor.highlight.band.numberOfVertices() > 0


def test_dragging_an_interior_vertex_moves_it_in_every_grid(window):
    editor = window.workspace.grid_editor
    store = window.store
    code = store.conn.execute("SELECT code FROM unit_grid WHERE valid_to IS NULL ORDER BY code LIMIT 1 OFFSET 30"
                              ).fetchone()[0]
    polygon = grids.unit_grid_polygons(store, [code])[code]
    vertex = next(v for v in polygon.exterior.coords[:-1] if len(grids.polygons_near(store, v[0], v[1], 0.01)) >= 3)
    sharing = set(grids.polygons_near(store, vertex[0], vertex[1], 0.01))
    window.canvas.setExtent(QgsRectangle(vertex[0] - 60, vertex[1] - 60, vertex[0] + 60, vertex[1] + 60))
    drag(window, editor.vertex_tool, [vertex, (vertex[0] + 3, vertex[1] + 2), (vertex[0] + 5, vertex[1] + 4)])
    current = {r[0] for r in store.conn.execute("SELECT code FROM unit_grid WHERE valid_to IS NULL")}
    assert not (sharing & current)  # reshaped grids got new codes
    assert validate_store(store) == []
