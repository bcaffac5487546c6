"""The QGIS plugin in real QGIS desktop (issue 18): the zip from tools/build_qgis_plugin.py is unpacked into a
throwaway profile as *Install from ZIP* does, QGIS (the OS package) starts under Xvfb with
tests/plugin/desktop_check.py as its startup code, which loads, uses, unloads and reloads the plugin and
writes what it found; QGIS then quits."""

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
QGIS_PYTHON = ROOT / ".qgis-python"
sys.path.insert(0, str(ROOT / "tools"))
from build_qgis_plugin import FOLDER, build  # noqa: E402


@pytest.fixture(scope="module")
def desktop_run(tmp_path_factory, small_demo_file):
    if shutil.which("qgis") is None or not (QGIS_PYTHON / ".installed").exists():
        pytest.fail("QGIS desktop or its Python packages are missing: run 'make setup' (it installs the qgis "
                    "package and builds .qgis-python from tools/qgis-requirements.txt)")
    tmp = tmp_path_factory.mktemp("qgis-desktop")
    archive = build(tmp / "gridmap-qgis-plugin.zip")
    plugins = tmp / "profiles" / "default" / "python" / "plugins"
    plugins.mkdir(parents=True)
    with zipfile.ZipFile(archive) as zf:
        assert all(name.startswith(f"{FOLDER}/") for name in zf.namelist())
        zf.extractall(plugins)
    ini = tmp / "profiles" / "default" / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True)
    ini.write_text(f"[PythonPlugins]\n{FOLDER}=true\n[qgis]\nshowTips=false\ncheckVersion=false\n", encoding="utf-8")
    store = tmp / "demo.sqlite"
    shutil.copy(small_demo_file, store)
    result = tmp / "result.json"
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "PYTHONPATH", "VIRTUAL_ENV")}
    env.update(PYTHONPATH=str(QGIS_PYTHON), GRIDMAP_PLUGIN_RESULT=str(result), GRIDMAP_PLUGIN_STORE=str(store),
               XDG_RUNTIME_DIR=str(tmp / "runtime"), PATH="/usr/bin:/bin")
    check = ROOT / "tests" / "plugin" / "desktop_check.py"
    done = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", "qgis", "--profiles-path", str(tmp),
                           "--nologo", "--noversioncheck", "--code", str(check)],
                          env=env, capture_output=True, text=True, timeout=150, check=False)
    assert result.exists(), f"QGIS wrote no result (exit {done.returncode}): {done.stderr[-3000:]}"
    return json.loads(result.read_text(encoding="utf-8")), archive


def test_the_zip_has_what_install_from_zip_needs(desktop_run):
    _found, archive = desktop_run
    with zipfile.ZipFile(archive) as zf:
        names = set(zf.namelist())
        meta = zf.read(f"{FOLDER}/metadata.txt").decode()
    for needed in ("__init__.py", "metadata.txt", "resources/icons/gridmap.svg", "gridmap/gui/qgis_plugin.py",
                   "resources/i18n/gridmap_zh_CN.qm", "data/classes/legacy_component_classes.csv"):
        assert f"{FOLDER}/{needed}" in names, needed
    assert "qgisMinimumVersion=3.22" in meta and "qgisMaximumVersion=" in meta
    assert not any("__pycache__" in n for n in names)


def test_the_plugin_loads_into_qgis_with_its_docks(desktop_run):
    found, _archive = desktop_run
    assert found["errors"] == [] and found["loaded"]
    without = found["after_unload"]  # QGIS as it is without the plugin
    added = set(found["after_load"]["docks"]) - set(without["docks"])
    assert {"gridmap_inspector_dock", "gridmap_search_dock", "gridmap_case_dock", "gridmap_responsibility_dock",
            "gridmap_grid_editor_dock"} <= added
    assert set(found["after_load"]["toolbars"]) - set(without["toolbars"])
    assert set(found["after_load"]["menubar"]) - set(without["menubar"]) == {"gridmap"}
    # a store opens into QGIS's own project: its eleven layers
    assert found["after_open"]["layers"] == found["after_load"]["layers"] + 11 and found["inspector_store"]


def test_unload_and_reload_leave_nothing_behind(desktop_run):
    found, _archive = desktop_run
    assert found["unloaded"] and found["reloaded"] and found["unloaded_again"]
    without = found["after_unload"]
    assert not any("gridmap" in name for name in without["docks"] + without["toolbars"] + without["menubar"])
    assert without["menus"] == [] and without["layers"] == found["after_load"]["layers"]
    assert found["after_reload"] == found["after_load"]  # the same docks, tool bars and menus again
    assert found["after_second_unload"] == without  # and nothing left over the second time
