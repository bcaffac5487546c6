"""The desktop on PostGIS (issue 13): the same workspace opens a database through QGIS's postgres
provider, saves its styles where plain QGIS finds them (public.layer_styles), and new cases are pushed
by LISTEN/NOTIFY, redrawing the incident layer alone."""

import datetime as dt

import pytest
from qgis.core import QgsDataSourceUri, QgsVectorLayer

from gridmap.gui.layers import layer_specs
from gridmap.store import open_store
from gridmap.store.cases import Report, create_token, intake
from gridmap.store.migrate import migrate
from gridmap.store.sources import source
from tests.gui.conftest import workspace_on


@pytest.fixture
def pg_demo(small_demo, pg_uri):
    migrate(small_demo, pg_uri)
    return pg_uri


@pytest.fixture
def pg_window(qapp, qtbot, pg_demo):
    with workspace_on(qtbot, pg_demo) as win:
        yield win


def report(uri, key):
    """A report written by another connection, as the intake service writes it."""
    with open_store(uri) as other:
        staff = other.conn.execute("SELECT staff_code FROM supervisor_assignment ORDER BY 1 LIMIT 1").fetchone()[0]
        create_token(other, staff)
        token_id = other.conn.execute("SELECT max(id) FROM device_token").fetchone()[0]
        x, y = other.conn.execute("SELECT ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom)) FROM "
                                  "unit_grid WHERE valid_to IS NULL ORDER BY code LIMIT 1 OFFSET 7").fetchone()
        moment = dt.datetime.now().replace(microsecond=0)
        code, _ = intake(other, Report("0102", "暴露垃圾", x, y, moment), token_id=token_id, staff_code=staff,
                         idempotency_key=key)
    return code


def test_the_workspace_opens_a_database_through_the_postgres_provider(pg_window, small_demo):
    with open_store(small_demo) as file_store:
        counts = {t: file_store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("component_point", "responsibility_grid", "road")}
    for spec in layer_specs():
        layer = pg_window.layer(spec.key)
        assert layer.isValid() and layer.providerType() == "postgres", spec.key
    for table, count in counts.items():
        assert pg_window.layer(table).featureCount() == count
    assert pg_window.layer("unit_grid").subsetString() == '"valid_to" IS NULL'
    assert pg_window.windowTitle().endswith("— gridmap")
    # the responsibility grids are styled by code, as on a file
    assert len(pg_window.layer("responsibility_grid").renderer().categories()) == counts["responsibility_grid"]


def test_styles_are_saved_in_the_database_for_plain_qgis(pg_window):
    store = pg_window.store
    rows = store.conn.execute("SELECT f_table_name, useasdefault FROM public.layer_styles ORDER BY 1").fetchall()
    assert {r[0] for r in rows} == {s.table for s in layer_specs()} and all(r[1] for r in rows)
    # plain QGIS: a layer opened with nothing but the connection gets gridmap's style by itself
    where = source(store)
    uri = QgsDataSourceUri(where.connection)
    uri.setDataSource(where.schema, "responsibility_grid", "geom", "", "id")
    plain = QgsVectorLayer(uri.uri(False), "plain", "postgres")
    assert plain.isValid()
    assert plain.renderer().type() == "categorizedSymbol"


def test_new_cases_are_pushed_by_notify_and_redraw_the_incident_layer_alone(pg_window, qtbot):
    live = pg_window.workspace.live
    assert live.pushed and live.timer.interval() >= 10_000  # no twice-a-second polling of the server
    layer = pg_window.layer("incident")
    before = layer.featureCount()
    repaints = []
    for key in ("component_point", "unit_grid", "responsibility_grid", "road"):
        pg_window.layer(key).repaintRequested.connect(lambda *_a, k=key: repaints.append(k))
    with qtbot.waitSignal(live.arrived, timeout=5000) as arrival:
        code = report(pg_window.store.location, "pushed-1")
    assert [case["code"] for case in arrival.args[0]] == [code]
    assert layer.featureCount() == before + 1
    assert repaints == []
    # a step by another desk is announced too: the case panel and the overdue list follow
    with open_store(pg_window.store.location) as other, qtbot.waitSignal(pg_window.session.cases_changed,
                                                                         timeout=5000), other.transaction() as conn:
        conn.execute("UPDATE incident SET status = 'registered' WHERE code = ?", (code,))


def test_a_lost_listener_falls_back_to_looking(pg_window, qtbot):
    live = pg_window.workspace.live
    live.announcements.listener.raw.close()  # as when the server drops the connection
    live.announcements.check()
    assert not live.pushed and live.timer.interval() <= 500
    with qtbot.waitSignal(live.arrived, timeout=5000):
        report(pg_window.store.location, "after-loss")


def test_the_grid_editor_and_responsibility_work_on_postgis(pg_window):
    editor = pg_window.workspace.grid_editor
    editor.start()
    assert editor.plan is not None and editor.draft.layer.isValid()
    editor.stop(force=True)
    tabs = pg_window.workspace.responsibility
    tabs.routing.load()
    assert tabs.routing.table.rowCount() > 0
    assert isinstance(tabs.gaps.refresh(), list)


def test_presence_shows_who_is_signed_in_and_changes_pushed_since_you_looked(pg_window, qtbot, pg_demo):
    """Issue 14, live presence: another planner's commit is announced and listed; marking it seen clears it."""
    from gridmap.store import grids, users

    panel = pg_window.workspace.presence
    assert panel.announcements.active  # pushed, not polled
    with open_store(pg_demo) as owner:
        staff = owner.conn.execute("SELECT code FROM staff ORDER BY code LIMIT 1").fetchone()[0]
        planner, _ = users.add_user(owner, staff, "planner", password="pw-1")
    uri = pg_demo.replace("gridmap@", f"{planner.login}@")
    with open_store(uri) as other:
        with qtbot.waitSignal(panel.unseen, timeout=5000, check_params_cb=lambda n: n >= 1):
            grids.set_locked(other, other.conn.execute("SELECT code FROM responsibility_grid LIMIT 1").fetchone()[0],
                             True)
        panel.refresh()
        names = [panel.people.item(k).text() for k in range(panel.people.count())]
        assert any(staff_name in text for text in names
                   for staff_name in [other.conn.execute("SELECT name FROM staff WHERE code = ?", (staff,)
                                                         ).fetchone()[0]])
    texts = [panel.changes.item(k).text() for k in range(panel.changes.count())]
    assert any("grid.lock" in t for t in texts)
    panel.mark_seen()
    assert panel.changes.count() == 0
    assert pg_window.presence_dock.windowTitle() == "Who and what changed"


def test_components_are_edited_on_postgis_as_on_a_file(pg_window):
    """The component editor through QGIS's postgres provider: add with the form, move, save in one transaction."""
    from tests.gui import test_component_editor as on_file

    editor = pg_window.workspace.register.editor
    editor.open_forms = False
    assert editor.start()
    try:
        assert pg_window.layer("component_point").providerType() == "postgres"
        on_file.test_a_drag_moves_a_component_as_one_undo_step_and_the_save_keeps_the_old_place(pg_window, editor)
        on_file.test_a_component_is_added_with_its_form_and_saved_with_a_new_code(pg_window, editor)
    finally:
        editor.stop(force=True)
    from gridmap.gui.register.on_date import show_register_on

    layers = show_register_on(pg_window.session, dt.date.today() + dt.timedelta(days=1))
    assert [layer.isValid() for layer in layers] == [True, True, True] and layers[0].featureCount() > 100


def test_inspections_and_supervisors_on_postgis(pg_window, qtbot, tmp_path):
    """Days since the last inspection (a query layer of the postgres provider) and the live supervisors."""
    from tests.gui import test_inspections_desk as on_file

    on_file.test_an_inspection_recorded_at_the_desk_opens_a_case(pg_window, tmp_path)
    on_file.test_the_supervisors_are_shown_live(pg_window, qtbot)
    from gridmap.gui.register.inspection_layers import show_inspection_age

    layers = show_inspection_age(pg_window.session, dt.date.today())
    assert [layer.isValid() for layer in layers] == [True, True, True]
    assert any(isinstance(f["days"], int) for f in layers[0].getFeatures())
