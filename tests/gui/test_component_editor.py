"""The component editor driven like a data manager (issue 15): synthetic mouse events on a real canvas, QGIS's
edit buffer and attribute form, one store transaction per save."""

import datetime as dt

import pytest
from qgis.core import QgsGeometry, QgsPointXY, QgsProject, QgsRectangle
from qgis.PyQt.QtCore import QEvent, Qt

from gridmap.domain.errors import GridmapError
from gridmap.store import dialect, open_store, register, users
from tests.gui.test_grid_editor import event


@pytest.fixture
def editor(window):
    ed = window.workspace.register.editor
    ed.open_forms = False
    assert ed.start()
    yield ed
    ed.stop(force=True)


def click(window, tool, x, y, button=Qt.MouseButton.LeftButton):
    tool.canvasPressEvent(event(window, QEvent.Type.MouseButtonPress, x, y, button))
    tool.canvasReleaseEvent(event(window, QEvent.Type.MouseButtonRelease, x, y, button))


def drag(window, tool, start, end):
    tool.canvasPressEvent(event(window, QEvent.Type.MouseButtonPress, *start))
    middle = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
    tool.canvasMoveEvent(event(window, QEvent.Type.MouseMove, *middle))
    tool.canvasMoveEvent(event(window, QEvent.Type.MouseMove, *end))
    tool.canvasReleaseEvent(event(window, QEvent.Type.MouseButtonRelease, *end))


def look_at(window, x, y, size=120.0):
    window.canvas.setExtent(QgsRectangle(x - size, y - size, x + size, y + size))
    window.canvas.refresh()


def a_component(window, table="component_point"):
    """(fid, code, x, y) of an in-use component of ``table``, alone within 15 m (so a click takes it)."""
    layer = window.layer(table)
    for feature in layer.getFeatures():
        if feature["currency"] != "在用":
            continue
        point = feature.geometry().pointOnSurface().asPoint()
        box = QgsRectangle(point.x() - 15, point.y() - 15, point.x() + 15, point.y() + 15)
        if layer.featureCount() and sum(1 for _ in layer.getFeatures(box)) == 1:
            return feature.id(), feature["code"], point.x(), point.y()
    raise AssertionError("no lonely component")


def stored_count(window, table="component_point"):
    with open_store(window.store.location) as store:
        return store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def grid_centre(window):
    with open_store(window.store.location) as store:
        return store.conn.execute(f"SELECT {dialect.centre_x_y(store)} FROM unit_grid WHERE "
                                  "valid_to IS NULL ORDER BY code LIMIT 1").fetchone()


def test_a_component_is_added_with_its_form_and_saved_with_a_new_code(window, editor):
    x, y = grid_centre(window)
    look_at(window, x, y)
    layer = window.layer("component_point")
    before = stored_count(window)
    editor.open_forms = True
    editor.choose_class("0101")
    editor.use_add_tool()
    assert window.canvas.mapTool() is editor.add_tools["point"]
    click(window, editor.add_tools["point"], x, y)
    added = layer.editBuffer().addedFeatures()
    assert len(added) == 1 and layer.undoStack().count() == 1
    fid = next(iter(added))
    form = editor.form
    assert form is not None and form.isVisible()
    form.attributeForm().changeAttribute("name", "新建上水井盖")
    form.attributeForm().changeAttribute("material", "球墨铸铁")
    form.accept()
    assert layer.getFeature(fid)["name"] == "新建上水井盖"
    codes = editor.save("普查补录")
    code = codes[("component_point", fid)]
    assert code.startswith("1506020101") and len(code) == 16
    assert stored_count(window) == before + 1
    assert any(f["code"] == code for f in layer.getFeatures(QgsRectangle(x - 1, y - 1, x + 1, y + 1)))
    assert not layer.isModified() and layer.isEditable()  # the session goes on, the buffer is empty
    with open_store(window.store.location) as store:
        kind, row, _wkb = register.component_row(store, code)
        assert (row["name"], row["material"], row["unit_grid_code"]) == ("新建上水井盖", "球墨铸铁",
                                                                         row["unit_grid_code"])
        assert row["unit_grid_code"] and kind == "point"
        assert [c["change"] for c in register.history(store, code)] == ["add"]
        assert register.history(store, code)[0]["reason"] == "普查补录"


def test_a_drag_moves_a_component_as_one_undo_step_and_the_save_keeps_the_old_place(window, editor):
    fid, code, x, y = a_component(window)
    look_at(window, x, y)
    layer = window.layer("component_point")
    window.canvas.setMapTool(editor.move_tool)
    drag(window, editor.move_tool, (x, y), (x + 30, y - 20))
    assert layer.undoStack().count() == 1
    moved = layer.getFeature(fid).geometry().asPoint()
    assert moved.x() == pytest.approx(x + 30, abs=0.5) and moved.y() == pytest.approx(y - 20, abs=0.5)
    editor.action_undo.trigger()
    assert layer.getFeature(fid).geometry().asPoint() == QgsPointXY(x, y)
    editor.action_redo.trigger()
    editor.save("测量纠偏")
    with open_store(window.store.location) as store:
        _kind, _row, wkb = register.component_row(store, code)
        changes = register.history(store, code)
    stored = QgsGeometry()
    stored.fromWkb(wkb)
    assert stored.asPoint().x() == pytest.approx(x + 30, abs=0.5)
    assert [c["change"] for c in changes] == ["move"] and changes[0]["geometry_changed"]
    assert changes[0]["reason"] == "测量纠偏"


def test_a_vertex_of_a_line_is_dragged_to_reshape_it(window, editor):
    fid, code, _x, _y = a_component(window, "component_line")
    layer = window.layer("component_line")
    geometry = layer.getFeature(fid).geometry()
    first = geometry.vertexAt(0)
    look_at(window, first.x(), first.y(), 60)
    window.canvas.setMapTool(editor.move_tool)
    drag(window, editor.move_tool, (first.x(), first.y()), (first.x() + 8, first.y() + 6))
    reshaped = layer.getFeature(fid).geometry()
    assert reshaped.vertexAt(0).x() == pytest.approx(first.x() + 8, abs=0.5)
    assert reshaped.vertexAt(1) == geometry.vertexAt(1)  # only the vertex moved
    editor.save()
    with open_store(window.store.location) as store:
        assert [c["change"] for c in register.history(store, code)] == ["reshape"]


def test_attributes_retirement_and_a_refused_save(window, editor):
    fid, code, x, y = a_component(window)
    other_fid, other_code, _ox, _oy = a_component(window, "component_polygon")
    layer = window.layer("component_point")
    look_at(window, x, y)
    window.canvas.setMapTool(editor.move_tool)
    click(window, editor.move_tool, x, y)
    assert layer.selectedFeatureIds() == [fid]
    editor.open_selected_form()
    editor.form.attributeForm().changeAttribute("state", "破损")
    editor.form.accept()
    polygons = window.layer("component_polygon")
    editor.retire(polygons, [other_fid], "绿地改造")
    with open_store(window.store.location) as store, store.transaction() as conn:
        retired_unit = conn.execute("SELECT code FROM responsible_unit ORDER BY code LIMIT 1").fetchone()[0]
        conn.execute("UPDATE responsible_unit SET retired_at = '2026-01-01T00:00:00' WHERE code = ?", (retired_unit,))
    layer.changeAttributeValue(fid, layer.fields().indexOf("maintainer_unit_code"), retired_unit)
    with pytest.raises(GridmapError, match="no active responsible unit"):
        editor.save()
    with open_store(window.store.location) as store:  # nothing of the three edits was written
        assert register.component_row(store, code)[1]["state"] != "破损"
        assert register.component_row(store, other_code)[1]["currency"] == "在用"
    assert layer.isModified() and polygons.isModified()  # the edits wait to be corrected
    layer.undoStack().undo()
    editor.save()
    with open_store(window.store.location) as store:
        assert register.component_row(store, code)[1]["state"] == "破损"
        assert register.component_row(store, other_code)[1]["currency"] == "作废"
        assert register.history(store, other_code)[-1]["reason"] == "绿地改造"
    assert any(f["code"] == other_code for f in polygons.getFeatures())  # never deleted: void


def test_the_inspector_shows_the_history_and_the_map_the_register_on_a_date(window, editor):
    fid, code, x, y = a_component(window)
    look_at(window, x, y)
    layer = window.layer("component_point")
    editor.change_geometry(layer, fid, QgsGeometry.fromPointXY(QgsPointXY(x + 10, y)))
    editor.save("纠偏")
    window.workspace.go_to(type("Hit", (), {"kind": "component", "code": code, "table": "component_point",
                                            "row_id": fid})())
    panel = window.workspace.inspector
    top = panel.tree.topLevelItem(0)
    history = next(top.child(k) for k in range(top.childCount()) if top.child(k).text(0) in ("History", "历史"))
    assert history.childCount() == 1 and "纠偏" in history.child(0).text(1)
    from gridmap.gui.register.on_date import show_register_on

    layers = show_register_on(window.session, dt.date.today() + dt.timedelta(days=1))
    assert [lyr.isValid() for lyr in layers] == [True, True, True]
    assert layers[0].featureCount() > 100
    group = QgsProject.instance().layerTreeRoot().findGroup(layers[0].name().split(" ")[0]) or True
    assert group


def test_only_people_who_maintain_the_register_may_edit(window):
    with open_store(window.store.location) as store:
        staff = store.conn.execute("SELECT code FROM staff ORDER BY code LIMIT 1").fetchone()[0]
        users.add_user(store, staff, "supervisor")
    sign_in = window.workspace.sign_in
    sign_in.sign_in(staff)
    editor = window.workspace.register.editor
    assert not editor.action_edit.isEnabled()
    assert not editor.start()


def test_a_drag_snaps_to_another_component(window, editor, qtbot):
    """The release point snaps as the project's snapping settings say (10 px to vertices and segments)."""
    fid, _code, x, y = a_component(window)
    layer = window.layer("component_point")
    other = next(f for f in layer.getFeatures(QgsRectangle(x - 200, y - 200, x + 200, y + 200))
                 if f.id() != fid and f.geometry().asPoint().distance(QgsPointXY(x, y)) > 30)
    target = other.geometry().asPoint()
    look_at(window, x, y, 250)
    window.canvas.setMapTool(editor.move_tool)
    near = window.canvas.mapUnitsPerPixel() * 3  # three pixels off the other component
    # QGIS indexes the layers for snapping in the background, as it does while a user looks at the map
    utils = window.canvas.snappingUtils()
    qtbot.waitUntil(lambda: utils.snapToMap(QgsPointXY(target.x() + near, target.y())).isValid(), timeout=10000)
    drag(window, editor.move_tool, (x, y), (target.x() + near, target.y() - near))
    moved = layer.getFeature(fid).geometry().asPoint()
    assert (moved.x(), moved.y()) == (target.x(), target.y())


def test_a_census_is_merged_group_by_group_at_the_desk(window, tmp_path):
    from tests.io.test_census import survey_of_a_community

    path, done = survey_of_a_community(window.store.location, tmp_path)
    dialog = window.workspace.register.census_dialog()
    assert dialog is not None
    dialog.compare_file(str(path), "EPSG:4546")
    census = dialog.census
    # the file's area is the unit grids it lies in: the community's lines and polygons are outside its points
    assert [i.code for i in census.groups["moved"]] == [done["moved"]]
    assert all(box.isEnabled() == bool(census.groups[g]) for g, box in dialog.accept_boxes.items())
    assert dialog.tree.topLevelItem(0).childCount() == len(census.groups["new"])
    dialog.accept_boxes["moved"].setChecked(True)
    dialog.accept_boxes["new"].setChecked(True)
    codes = dialog.write()
    assert len(codes) == 1 and not dialog.write_button.isEnabled()
    with open_store(window.store.location) as store:
        assert register.history(store, done["moved"])[-1]["change"] == "census"
        assert register.component_row(store, done["renamed"])[1]["name"] != "人民路改名井盖"  # not accepted
    layer = window.layer("component_point")
    new_code = next(iter(codes.values()))
    assert any(f["code"] == new_code for f in layer.getFeatures())  # the layer re-read
