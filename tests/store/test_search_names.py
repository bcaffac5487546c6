"""Search by a component's own name (issue 17): the distinct names are walked on the (name, class_code)
index, so a city's million components are not read one by one; a table of many distinct names falls back
to the scan, and both ways find the same."""

from gridmap.store import open_store, search
from gridmap.store.search import OTHER_NAME, search_groups


def groups(store, text):
    return [(g.kind, g.title, g.rank, g.total, [h.code for h in g.hits]) for g in search_groups(store, text)]


def test_own_names_are_found_by_walking_the_index_and_by_scan_alike(small_demo, monkeypatch):
    with open_store(small_demo) as store:
        with store.transaction() as conn:
            conn.execute("UPDATE component_point SET name = '东门路灯甲' WHERE id IN "
                         "(SELECT id FROM component_point WHERE class_code = '0101' ORDER BY id LIMIT 3)")
            conn.execute("UPDATE component_line SET name = '南门路灯线' WHERE id IN "
                         "(SELECT id FROM component_line ORDER BY id LIMIT 2)")
        plan = " ".join(str(tuple(r)) for r in store.conn.execute(
            "EXPLAIN QUERY PLAN SELECT min(name) FROM component_point WHERE name > ?", ("",)))
        assert "component_point_name" in plan  # a seek on the index, not a scan
        walked = groups(store, "门路灯")
        named = [g for g in walked if g[2] == OTHER_NAME]
        assert len(named) == 1 and named[0][3] == 5
        for text in ("路灯", "井盖", "门路灯", "no such name"):
            walked = groups(store, text)
            monkeypatch.setattr(search, "NAME_WALK_LIMIT", 0)  # every table "has too many names": the scan
            assert groups(store, text) == walked, text
            monkeypatch.undo()
