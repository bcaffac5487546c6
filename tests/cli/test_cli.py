"""The command line as a user runs it: a real process, its output and exit code."""

import json
import sqlite3
import subprocess
import sys

import pytest

from gridmap.store.schema import CURRENT_VERSION


def gridmap(*args, check=False):
    return subprocess.run([sys.executable, "-m", "gridmap.cli", *map(str, args)], capture_output=True, text=True,
                          check=check, timeout=300)


def test_help_lists_the_commands():
    out = gridmap("--help", check=True).stdout
    for command in ("demo", "info", "validate"):
        assert command in out


def test_demo_then_info_and_validate(tmp_path):
    db = tmp_path / "city.sqlite"
    made = gridmap("demo", "--db", db, "--scale", "0.02", "--seed", "3", "--end", "2026-06-01T12:00", check=True)
    assert "components" in made.stdout
    info = json.loads(gridmap("info", db, "--json", check=True).stdout)
    assert info["schema_version"] == CURRENT_VERSION and info["crs"] == "EPSG:4546"
    assert info["layers"]["component_point"] > 0 and info["settings"]["demo_seed"] == "3"
    text = gridmap("info", db, check=True).stdout
    assert "CGCS2000 / 3-degree Gauss-Kruger CM 111E" in text
    ok = gridmap("validate", db)
    assert ok.returncode == 0 and "valid" in ok.stdout
    again = gridmap("demo", "--db", db, "--scale", "0.02")
    assert again.returncode == 2 and "already exists" in again.stderr


def test_validate_exits_1_with_a_readable_list(small_demo):
    conn = sqlite3.connect(small_demo)
    conn.execute("UPDATE component_point SET unit_grid_code = '150602001001999' WHERE id <= 30")
    conn.commit()
    conn.close()
    result = gridmap("validate", small_demo, "--limit", "3")
    assert result.returncode == 1
    assert "[component.wrong_grid] component_point 150602" in result.stdout
    assert "... 27 more [component.wrong_grid]" in result.stdout
    listed = json.loads(gridmap("validate", small_demo, "--json").stdout)
    assert len([p for p in listed if p["kind"] == "component.wrong_grid"]) == 30


@pytest.mark.parametrize("content", [b"", b"this is not a database"])
def test_errors_name_the_file_and_exit_2(tmp_path, content):
    bad = tmp_path / "broken.sqlite"
    bad.write_bytes(content)
    for command in ("info", "validate"):
        result = gridmap(command, bad)
        assert result.returncode == 2
        assert str(bad) in result.stderr and "not a gridmap store" in result.stderr
        assert "Traceback" not in result.stderr


def test_grid_assign_history_lock_and_export(small_demo, tmp_path):
    from gridmap.store import grids, open_store

    with open_store(small_demo) as store:
        plan = grids.load_plan(store)
    source, target = sorted(plan.members)[:2]
    unit = next(u for u in sorted(plan.members[source]) if plan.check(u, target) is None
                and plan.neighbours[u] & plan.members[target])
    far = next(u for u in sorted(plan.members[source]) if not plan.neighbours[u] & plan.members[target])
    moved = gridmap("grid", "assign", small_demo, unit, "--to", target, "--note", "测试")
    assert moved.returncode == 0 and "moved 1 unit grid" in moved.stdout
    refused = gridmap("grid", "assign", small_demo, far, "--to", target)
    assert refused.returncode == 2 and "would be split" in refused.stderr
    history = gridmap("grid", "history", small_demo, unit, check=True).stdout
    assert source in history and target in history and "(current)" in history
    log = json.loads(gridmap("grid", "history", small_demo, "--json", check=True).stdout)
    assert log["log"][-1]["action"] == "plan.commit" and "测试" in log["log"][-1]["detail"]
    assert gridmap("grid", "lock", small_demo, target).returncode == 0
    locked = gridmap("grid", "assign", small_demo, unit, "--to", source)
    assert locked.returncode == 2 and "locked" in locked.stderr
    assert gridmap("grid", "history", small_demo, "150602999999999").returncode == 2
    out = gridmap("grid", "export", small_demo, tmp_path / "plan", check=True)
    assert (tmp_path / "plan" / "responsibility_plan.gpkg").exists() and "wrote" in out.stdout
    assert gridmap("validate", small_demo).returncode == 0


def test_routing_and_responsibility_commands(small_demo, tmp_path):
    out = tmp_path / "routing.csv"
    assert "routing rule" in gridmap("routing", "export", small_demo, out, check=True).stdout
    dry = gridmap("routing", "import", small_demo, out, "--dry-run", check=True).stdout
    assert "would change 0 rule(s)" in dry
    assert gridmap("check-responsibility", small_demo).returncode == 0
    conn = sqlite3.connect(small_demo)
    conn.execute("UPDATE component_point SET maintainer_unit_code = NULL WHERE id <= 3")
    conn.commit()
    conn.close()
    gaps = gridmap("check-responsibility", small_demo)
    assert gaps.returncode == 1 and "[component.no_maintainer]" in gaps.stdout and "has no maintainer" in gaps.stdout
    bad = gridmap("unit", "add", small_demo, "91350100M000100Y44", "坏")
    assert bad.returncode == 2 and "check character" in bad.stderr
    used = gridmap("unit", "list", small_demo, check=True).stdout.split()[0]
    refused = gridmap("unit", "delete", small_demo, used)
    assert refused.returncode == 2 and "retire it with a successor" in refused.stderr
    assert gridmap("unit", "add", small_demo, "LOCAL-NEW", "新单位", check=True).returncode == 0
    assigned = gridmap("unit", "assign", small_demo, "LOCAL-NEW", "--role", "maintainer", "--class", "0101",
                       check=True)
    assert "component(s) set to LOCAL-NEW" in assigned.stdout


def test_export_and_import_commands(small_demo, tmp_path):
    out = gridmap("export", small_demo, tmp_path / "out", "--profile", "gbt47678", "--encoding", "gbk",
                  "--crs", "EPSG:4490", "--class", "0118", check=True).stdout
    assert "component_point.shp" in out and "exported" in out
    check = gridmap("import", small_demo, tmp_path / "out" / "component_point.shp", "--dry-run")
    assert check.returncode == 0 and "would write 0 new" in check.stdout and "dry run: nothing written" in check.stdout
    per_unit = gridmap("export", small_demo, tmp_path / "units", "--per-unit", check=True).stdout
    assert ".zip" in per_unit
    bad = gridmap("export", small_demo, tmp_path / "x", "--where", "nonsense = 1")
    assert bad.returncode == 2 and "unknown field" in bad.stderr
    (tmp_path / "junk.shp").write_bytes(b"junk")
    junk = gridmap("import", small_demo, tmp_path / "junk.shp")
    assert junk.returncode == 2 and "junk.shp" in junk.stderr and "Traceback" not in junk.stderr


def test_token_evaluate_and_serve_help(small_demo, tmp_path):
    token = gridmap("token", "create", small_demo, "--staff", "ST00001", check=True).stdout.strip().splitlines()
    assert len(token[-1]) > 30 and "shown once" in token[0]
    assert gridmap("token", "create", small_demo, "--staff", "NOBODY").returncode == 2
    out = gridmap("evaluate", small_demo, "--from", "2026-09-01", "--to", "2026-10-31", "--by", "unit",
                  check=True).stdout
    assert "on_time_closure_rate" in out and "%" in out
    xlsx = tmp_path / "e.xlsx"
    gridmap("evaluate", small_demo, "--from", "2026-10-01", "--to", "2026-10-31", "--xlsx", xlsx, check=True)
    assert xlsx.stat().st_size > 1000
    bad = gridmap("evaluate", small_demo, "--from", "2026-10-31", "--to", "2026-10-01")
    assert bad.returncode == 2 and "is after --to" in bad.stderr
    assert "--port" in gridmap("serve", "--help", check=True).stdout
