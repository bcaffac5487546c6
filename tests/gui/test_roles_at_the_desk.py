"""The desk follows the signed-in person's role (issue 14): on a file the app applies the matrix."""

from gridmap.store import open_store, users


def test_a_viewer_is_offered_no_edits_and_a_planner_the_grid_editor(window):
    window.workspace.sign_in.sign_out()  # whoever an earlier session left signed in on this machine
    with open_store(window.store.location) as other:
        codes = [r[0] for r in other.conn.execute("SELECT code FROM staff ORDER BY code LIMIT 2")]
        users.add_user(other, codes[0], "viewer")
        users.add_user(other, codes[1], "planner")
    workspace = window.workspace
    assert workspace.sign_in.sign_in(codes[0])
    assert workspace.sign_in.user.role == "viewer" and "viewer" in workspace.sign_in.label()
    assert not workspace.action_export.isEnabled() and not workspace.action_import.isEnabled()
    assert not workspace.grid_editor.action_edit.isEnabled() and not workspace.responsibility.isEnabled()
    assert workspace.sign_in.sign_in(codes[1])
    assert workspace.grid_editor.action_edit.isEnabled() and workspace.action_export.isEnabled()
    assert not workspace.responsibility.isEnabled()  # maintaining units and routing is the data manager's
    # the audit log names the person at the desk, not the operating-system login
    from gridmap.store import grids

    grids.set_locked(window.store, window.store.conn.execute("SELECT code FROM responsibility_grid LIMIT 1"
                                                             ).fetchone()[0], True)
    last = window.store.conn.execute("SELECT \"user\" FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()[0]
    assert last == codes[1]
    workspace.sign_in.sign_out()
    assert workspace.action_export.isEnabled()  # nobody signed in on a file without limits: as before
