"""What changed since you looked, on a file (issue 14): the panel reads the audit log."""

from gridmap.store import grids, open_store


def test_changes_by_another_program_are_listed_until_marked_seen(window):
    panel = window.workspace.presence
    panel.mark_seen()
    assert panel.changes.count() == 0 and not panel.announcements.active  # a file: no announcements, the timer looks
    with open_store(window.store.location) as other:
        grids.set_locked(other, other.conn.execute("SELECT code FROM responsibility_grid LIMIT 1").fetchone()[0],
                         True)
    panel.refresh()
    assert panel.changes.count() == 1 and "grid.lock" in panel.changes.item(0).text()
    assert window.presence_dock.windowTitle().endswith("(1)")
    assert panel.people_label.text() == "One desk works on this file."
    panel.mark_seen()
    assert panel.changes.count() == 0
