"""Inspections at the desk, components by days since their last inspection, and the supervisors live on the
map (issue 15), in the offscreen workspace."""

import datetime as dt
from types import SimpleNamespace

from gridmap.domain.calendar import city_now, city_today
from gridmap.store import dialect, open_store, positions
from gridmap.store.inspections import inspections_of
from tests.service.test_intake import a_png


def supervisor_and_component(window):
    with open_store(window.store.location) as store:
        return tuple(store.conn.execute(
            "SELECT a.staff_code, c.code, c.id FROM supervisor_assignment a JOIN unit_grid g ON "
            "g.responsibility_grid_code = a.responsibility_grid_code AND g.valid_to IS NULL JOIN component_point c "
            "ON c.unit_grid_code = g.code AND c.currency = '在用' ORDER BY a.staff_code, c.code LIMIT 1").fetchone())


def test_an_inspection_recorded_at_the_desk_opens_a_case(window, tmp_path):
    staff, code, row_id = supervisor_and_component(window)
    workspace = window.workspace
    workspace.go_to(SimpleNamespace(kind="component", code=code, table="component_point", row_id=row_id))
    desk = workspace.register
    assert desk.inspected_component() == code
    assert workspace.sign_in.sign_in(staff)
    dialog = desk.inspect_dialog()
    assert dialog is not None and dialog.open_case.isEnabled() is False  # 完好 opens no case
    dialog.condition.setCurrentIndex(dialog.condition.findData("破损"))
    assert dialog.open_case.isEnabled() and dialog.open_case.isChecked()
    dialog.note.setPlainText("井盖破裂")
    photo = tmp_path / "photo.png"
    photo.write_bytes(a_png(64, 48))
    assert dialog.choose_photo(str(photo))
    not_a_photo = tmp_path / "notes.png"
    not_a_photo.write_bytes(b"hello")
    dialog.accept()
    assert not dialog.isVisible()
    with open_store(window.store.location) as store:
        found = inspections_of(store, code)
    assert [(i["condition"], i["staff_code"], i["has_photo"]) for i in found] == [("破损", staff, 1)]
    case = found[0]["incident_code"]
    assert case and workspace.cases.code == case  # the new case is open in the case panel
    workspace.go_to(SimpleNamespace(kind="component", code=code, table="component_point", row_id=row_id))
    top = workspace.inspector.tree.topLevelItem(0)
    texts = [top.child(k).text(0) for k in range(top.childCount())]
    assert any(t in ("Inspections", "巡查记录") for t in texts)
    second = desk.inspect_dialog()
    assert not second.choose_photo(str(not_a_photo)) and second.photo is None


def test_components_are_coloured_by_days_since_their_last_inspection(window):
    from gridmap.gui.register.inspection_layers import show_inspection_age

    staff, code, _row_id = supervisor_and_component(window)
    from gridmap.store.inspections import Inspection, record_inspection

    with open_store(window.store.location) as store:
        record_inspection(store, Inspection(code, city_now() - dt.timedelta(minutes=5), "完好"), staff_code=staff)
    layers = show_inspection_age(window.session, city_today())
    assert [layer.isValid() for layer in layers] == [True, True, True]
    points = layers[0]
    days = {f["code"]: f["days"] for f in points.getFeatures()}
    # the one inspected today; every other never (NULL)
    assert days[code] in (0, 1) and sum(not isinstance(d, int) for d in days.values()) == len(days) - 1
    assert len(points.renderer().rootRule().children()) == 5


def test_the_supervisors_are_shown_live(window, qtbot):
    desk = window.workspace.register
    with open_store(window.store.location) as store:
        staff = [r[0] for r in store.conn.execute("SELECT DISTINCT staff_code FROM supervisor_assignment ORDER BY 1 "
                                                  "LIMIT 2")]
        x, y = store.conn.execute(f"SELECT {dialect.centre_x_y(store)} FROM district").fetchone()
        start = dt.datetime.combine(city_today(), dt.time()) + dt.timedelta(seconds=1)
        for n, who in enumerate(staff):
            positions.ingest(store, who, [positions.Position(x + 10 * k, y + 50 * n,
                                                             start + dt.timedelta(seconds=30 * k)) for k in range(5)])
    desk.action_live.setChecked(True)
    live = desk.live
    assert live.points.featureCount() == 2 and live.tracks.featureCount() == 2
    assert {f["staff_code"] for f in live.points.getFeatures()} == set(staff)
    assert not live.look()  # nothing new: nothing re-read
    with open_store(window.store.location) as store:
        positions.ingest(store, staff[0], [positions.Position(x + 100, y, start + dt.timedelta(minutes=5))])
    with qtbot.waitSignal(live.updated, timeout=5000):
        pass  # the timer looks again and re-reads
    moved = next(f for f in live.points.getFeatures() if f["staff_code"] == staff[0])
    assert moved.geometry().asPoint().x() == x + 100
    desk.action_live.setChecked(False)
    assert live.points is None
