"""Shared fixtures: the one QGIS bootstrap (gridmap.app), and demo stores built once per session."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

DEMO_END = dt.datetime(2026, 11, 27, 9, 0)
DEMO_SEED = 7


def pytest_report_header(config):
    from gridmap.app import versions

    return "versions: " + ", ".join(f"{k} {v}" for k, v in versions().items())


@pytest.fixture(autouse=True)
def nobody_at_the_desk():
    """A test's sign-in does not follow the next test (the desk's person is process-wide)."""
    from gridmap.store import audit

    yield
    audit.set_desk_person(None)


@pytest.fixture(scope="session")
def qapp(tmp_path_factory):
    """The QgsApplication, offscreen, with settings in a temporary directory (overrides pytest-qt's)."""
    from gridmap.app import start_qgis

    app = start_qgis(["gridmap-tests"], settings_dir=tmp_path_factory.mktemp("qgis-settings"))
    yield app
    # close QGIS before Python tears the interpreter down: left to the interpreter, widgets outlived the
    # application and the process aborted ("QPixmap: Must construct a QGuiApplication", exit 134) after
    # every test had passed
    import gc

    from qgis.core import QgsProject

    QgsProject.instance().clear()
    app.processEvents()
    gc.collect()
    app.exitQgis()


@pytest.fixture(scope="session")
def small_demo_file(tmp_path_factory) -> Path:
    """A small demo city (scale 0.05), built once; never modify it (use ``small_demo``)."""
    from gridmap.demo.build import build_demo

    path = tmp_path_factory.mktemp("demo") / "small.sqlite"
    build_demo(path, seed=DEMO_SEED, scale=0.05, end=DEMO_END)
    return path


@pytest.fixture
def small_demo(small_demo_file, tmp_path) -> Path:
    """A private copy of the small demo a test may change."""
    path = tmp_path / "demo.sqlite"
    shutil.copy(small_demo_file, path)
    return path


@pytest.fixture(scope="session")
def small_city_file(tmp_path_factory) -> Path:
    """A small city of three districts (东胜, 康巴什, 达拉特; scale 0.15), built once; never modify it (use
    ``small_city``)."""
    from gridmap.demo.build import build_demo

    path = tmp_path_factory.mktemp("city") / "city.sqlite"
    build_demo(path, seed=DEMO_SEED, scale=0.15, districts=3, end=DEMO_END)
    return path


@pytest.fixture
def small_city(small_city_file, tmp_path) -> Path:
    """A private copy of the small city a test may change."""
    path = tmp_path / "city.sqlite"
    shutil.copy(small_city_file, path)
    return path


@pytest.fixture(scope="session")
def full_demo_file(tmp_path_factory) -> Path:
    """The full-size demo city (105,000 components, 150,000 incidents), built once per session."""
    from gridmap.demo.build import build_demo

    path = tmp_path_factory.mktemp("full") / "full.sqlite"
    build_demo(path, seed=2009, scale=1.0, end=DEMO_END)
    return path
